package io.amirollout.rollback;

import java.util.List;

/**
 * The result for one group.
 *
 * @param autoScalingGroup     the group's name
 * @param outcome              what happened
 * @param reason               why, in words a person on call understands
 * @param instanceRefreshId    the latest refresh the decision was based on (null when there was none)
 * @param refreshStatus        its status when we looked
 * @param newInstanceRefreshId the roll-forward refresh we started (or the rollback's id, which AWS keeps the same)
 * @param fromVersion          launch-template version being undone
 * @param toVersion            launch-template version the group goes back to
 * @param plan                 the changes decided, in order, each with its reason (a dry run's answer to "what would
 *                             it do?"); empty when nothing was to be changed
 */
public record GroupResult(String autoScalingGroup, GroupOutcome outcome, String reason, String instanceRefreshId,
                          String refreshStatus, String newInstanceRefreshId, String fromVersion, String toVersion,
                          List<String> plan) {

    public GroupResult {
        plan = plan == null ? List.of() : List.copyOf(plan);
    }

    public GroupResult(String autoScalingGroup, GroupOutcome outcome, String reason, String instanceRefreshId,
                       String refreshStatus, String newInstanceRefreshId, String fromVersion, String toVersion) {
        this(autoScalingGroup, outcome, reason, instanceRefreshId, refreshStatus, newInstanceRefreshId, fromVersion,
                toVersion, List.of());
    }

    static GroupResult failed(String group, String reason) {
        return new GroupResult(group, GroupOutcome.FAILED, reason, null, null, null, null, null);
    }

    /** The plan's decision as a result, before (or instead of) applying it. */
    static GroupResult of(GroupPlan plan, GroupOutcome outcome, String reason, String newInstanceRefreshId) {
        return new GroupResult(plan.group(), outcome, reason, plan.refreshId(), plan.refreshStatus(), newInstanceRefreshId,
                plan.fromVersion(), plan.toVersion(), plan.describe());
    }
}
