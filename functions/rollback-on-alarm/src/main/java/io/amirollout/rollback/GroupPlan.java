package io.amirollout.rollback;

import java.util.List;

/**
 * What to do for one guarded group, decided from what was read and nothing else: the outcome it leads to,
 * why, the refresh it was based on, and the changes in order. A plan without changes is a decision to do
 * nothing (nothing to undo, already undoing, or a refusal with its reason).
 *
 * @param outcome        the outcome once applied (dry runs report WOULD_* instead)
 * @param refreshId      the latest refresh the decision was based on
 * @param fromVersion    launch-template version being undone
 * @param toVersion      launch-template version the group goes back to
 */
record GroupPlan(String group, GroupOutcome outcome, String reason, String refreshId, String refreshStatus,
                 String fromVersion, String toVersion, List<Change> changes) {

    GroupPlan {
        changes = List.copyOf(changes);
    }

    static GroupPlan nothing(String group, GroupOutcome outcome, String reason, String refreshId, String refreshStatus) {
        return new GroupPlan(group, outcome, reason, refreshId, refreshStatus, null, null, List.of());
    }

    /** The plan as lines for results and notices. */
    List<String> describe() {
        return changes.stream().map(Change::describe).toList();
    }
}
