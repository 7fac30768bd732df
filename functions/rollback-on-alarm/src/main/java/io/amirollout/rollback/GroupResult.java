package io.amirollout.rollback;

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
 */
public record GroupResult(String autoScalingGroup, GroupOutcome outcome, String reason, String instanceRefreshId,
                          String refreshStatus, String newInstanceRefreshId, String fromVersion, String toVersion) {

    static GroupResult failed(String group, String reason) {
        return new GroupResult(group, GroupOutcome.FAILED, reason, null, null, null, null, null);
    }
}
