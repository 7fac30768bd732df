package io.amirollout.verifier;

import java.util.List;

/**
 * What one invocation did, as the function answers it.
 *
 * @param outcome PASSED, FAILED, PENDING (dry run, not decided in one round), CONTINUED (handed to a new
 *                invocation), DUPLICATE, IGNORED (not a refresh ami-rollout started), CONFIGURATION_ERROR (a test tag
 *                is malformed: nothing tested, nothing undone), INVALID_EVENT
 * @param undo    for FAILED: the undo's outcome (ROLLBACK, ROLL_FORWARD, ALREADY_UNDONE, NOTHING_TO_UNDO, CANNOT_UNDO,
 *                or NONE for a manual request)
 * @param plan    the undo plan's steps (a dry run returns them without doing them)
 * @param done    what the applier did
 */
public record VerifyResult(String outcome, String group, String refreshId, String imageId, String phase,
                           String verificationId, boolean dryRun, List<CheckResult> checks, String undo,
                           List<String> plan, List<String> done, String reason) {

    public VerifyResult {
        checks = checks == null ? List.of() : List.copyOf(checks);
        plan = plan == null ? List.of() : List.copyOf(plan);
        done = done == null ? List.of() : List.copyOf(done);
    }

    static VerifyResult simple(String outcome, String group, String refreshId, boolean dryRun, String reason) {
        return new VerifyResult(outcome, group, refreshId, null, null, null, dryRun, null, null, null, null, reason);
    }
}
