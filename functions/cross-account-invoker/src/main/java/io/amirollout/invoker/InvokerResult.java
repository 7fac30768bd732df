package io.amirollout.invoker;

import java.util.List;

/**
 * The outcome for one request (an image notice, a continuation, a redrive): returned by the handler and
 * summarised in the FANOUT_COMPLETED notice. Counts are in targets (account × region); {@code skipped}
 * counts the targets of accounts left out on purpose ({@code skippedAccounts} says why). The target lists
 * are capped at {@link #LIST_LIMIT} entries; the state table has every target.
 */
public record InvokerResult(Status status, String reason, String shape, String imageArn, String imageName,
                            String imageVersion, String imageStatus, boolean dryRun, String accountSource,
                            List<String> regions, List<String> skippedRegions, int accounts, int targets,
                            int succeeded, int failed, int skipped, int notAttempted, int notDeployed, int pending,
                            int round, List<TargetResult> failures, List<SkippedAccount> skippedAccounts,
                            List<TargetResult> notAttemptedTargets, List<TargetResult> dryRunTargets) {

    static final int LIST_LIMIT = 500;

    public enum Status {
        /** Every target is settled (see the counts for how it went). */
        FANNED_OUT,
        /** Targets remain: a continuation carries on (retries after backoff, or the time budget ran out). */
        CONTINUED,
        /** Dry run: dryRunTargets lists what would be invoked. */
        DRY_RUN,
        /** Image Builder reported a FAILED build: an IMAGE_BUILD_FAILED notice was sent. */
        IMAGE_BUILD_FAILED,
        /** Refused: not from a configured pipeline, or the AMI is not shared with the targets (notice sent). */
        REFUSED,
        /** This release's fan-out already completed (a duplicate notice): nothing done, no second notice. */
        DUPLICATE,
        /** Nothing to roll out (another image state, another event, no regions left). */
        SKIPPED,
        /** The event could not be read. */
        INVALID_EVENT
    }

    static InvokerResult simple(Status status, String reason, String shape, BuiltImage image, boolean dryRun) {
        return new InvokerResult(status, reason, shape, image == null ? null : image.arn(),
                image == null ? null : image.name(), image == null ? null : image.version(),
                image == null ? null : image.status(), dryRun, null, List.of(), List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of(), List.of(), List.of(), List.of());
    }

    static <T> List<T> capped(List<T> list) {
        return list.size() <= LIST_LIMIT ? List.copyOf(list) : List.copyOf(list.subList(0, LIST_LIMIT));
    }
}
