package io.amirollout.refresh;

import java.util.List;

/**
 * What the function returns: an overall outcome and one entry per group.
 * Outcomes: SUCCEEDED (no group failed), PARTIALLY_FAILED, FAILED (every group failed, or the event
 * was invalid), SKIPPED (nothing to do for this event, e.g. no AMI for this region).
 */
public record RefreshResult(String outcome, boolean dryRun, String reason, List<GroupResult> groups,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                            List<String> housekeeping) {

    public RefreshResult {
        groups = List.copyOf(groups);
        housekeeping = housekeeping == null ? List.of() : List.copyOf(housekeeping);
    }

    public RefreshResult(String outcome, boolean dryRun, String reason, List<GroupResult> groups) {
        this(outcome, dryRun, reason, groups, List.of());
    }

    /** The tick's version hygiene (what was, or would be, deleted). */
    public RefreshResult withHousekeeping(List<String> lines) {
        return new RefreshResult(outcome, dryRun, reason, groups, lines);
    }

    public static RefreshResult of(boolean dryRun, List<GroupResult> groups) {
        long failed = groups.stream().filter(g -> g.outcome() == GroupOutcome.FAILED).count();
        String outcome = failed == 0 ? "SUCCEEDED" : failed == groups.size() ? "FAILED" : "PARTIALLY_FAILED";
        String reason = groups.isEmpty() ? "no Auto Scaling group is a target for this event"
                : failed == 0 ? null : failed + " of " + groups.size() + " group(s) failed: "
                + String.join(", ", groups.stream().filter(g -> g.outcome() == GroupOutcome.FAILED)
                .map(GroupResult::autoScalingGroup).toList());
        return new RefreshResult(outcome, dryRun, reason, groups);
    }

    public static RefreshResult skipped(boolean dryRun, String reason) {
        return new RefreshResult("SKIPPED", dryRun, reason, List.of());
    }

    public static RefreshResult invalid(String reason) {
        return new RefreshResult("FAILED", false, reason, List.of());
    }
}
