package io.amirollout.refresh;

import java.util.List;

/**
 * The decision for one group: the outcome it leads to, why, and the changes in order. A plan with no
 * changes is a report only. {@code quiet}: a repeat a scheduled tick does not announce again.
 *
 * @param newVersion the version holding the AMI when known before applying (reused, pending), else null
 */
record GroupPlan(String group, GroupOutcome outcome, String reason, boolean quiet, List<Change> changes,
                 String imageId, String launchTemplateId, String previousVersion, String newVersion, String instanceRefreshId) {

    GroupPlan {
        changes = List.copyOf(changes);
    }

    static GroupPlan report(GroupFacts facts, GroupOutcome outcome, String reason, boolean quiet) {
        return new GroupPlan(facts.group().name(), outcome, reason, quiet, List.of(), facts.imageId(), facts.templateId(),
                facts.current() == null ? null : Long.toString(facts.currentVersion()), null, null);
    }

    GroupPlan withChanges(List<Change> newChanges) {
        return new GroupPlan(group, outcome, reason, quiet, newChanges, imageId, launchTemplateId, previousVersion, newVersion,
                instanceRefreshId);
    }

    GroupPlan withVersion(String version) {
        return new GroupPlan(group, outcome, reason, quiet, changes, imageId, launchTemplateId, previousVersion, version,
                instanceRefreshId);
    }

    GroupPlan withRefresh(String refreshId) {
        return new GroupPlan(group, outcome, reason, quiet, changes, imageId, launchTemplateId, previousVersion, newVersion, refreshId);
    }

    List<String> described() {
        return changes.stream().map(Change::describe).toList();
    }

    boolean pins() {
        return changes.stream().anyMatch(c -> c instanceof Change.PinGroup p && p.group().equals(group));
    }
}
