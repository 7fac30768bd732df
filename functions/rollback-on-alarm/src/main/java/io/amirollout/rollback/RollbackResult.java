package io.amirollout.rollback;

import java.util.List;

/**
 * The function's answer for one alarm state change.
 *
 * @param alarmName   the alarm
 * @param alarmKind   metric, metric math or composite
 * @param via         how the alarm reached us
 * @param transition  e.g. "OK -> ALARM"
 * @param outcome     ACTED (every guarded group handled), PARTIAL (some failed), FAILED (all failed or the
 *                    groups could not be listed for a permanent reason), or IGNORED (not a transition into ALARM,
 *                    or an alarm that guards no group)
 * @param reason      one sentence for people
 * @param dryRun      true when nothing was changed on purpose
 * @param groups      one entry per guarded group
 * @param failed      names of the groups that failed (including cancelled-not-rolled-back)
 */
public record RollbackResult(String alarmName, AlarmKind alarmKind, AlarmStateChange.Via via, String transition,
                             String outcome, String reason, boolean dryRun, List<GroupResult> groups,
                             List<String> failed) {

    public RollbackResult {
        groups = List.copyOf(groups);
        failed = List.copyOf(failed);
    }
}
