package io.amirollout.pipeline;

import java.util.List;

/**
 * The handler's answer: one outcome per object in the event, with counts.
 *
 * @param error     set when the event itself could not be read (then outcomes is empty)
 * @param retryable true when a failure was transient (throttling, 5xx, network): the handler then
 *                  fails the invocation so Lambda's retry tries again with the same client tokens
 */
public record PipelineStarterResult(String pipelineArn, boolean dryRun, int started, int alreadyStarted,
                                    int skipped, int failed, int invalid, List<ObjectOutcome> outcomes, String error,
                                    boolean retryable) {

    static PipelineStarterResult of(String pipelineArn, boolean dryRun, List<ObjectOutcome> outcomes, boolean retryable) {
        return new PipelineStarterResult(pipelineArn, dryRun,
                count(outcomes, ObjectOutcome.Status.STARTED) + count(outcomes, ObjectOutcome.Status.DRY_RUN),
                count(outcomes, ObjectOutcome.Status.ALREADY_STARTED),
                count(outcomes, ObjectOutcome.Status.SKIPPED),
                count(outcomes, ObjectOutcome.Status.FAILED),
                count(outcomes, ObjectOutcome.Status.INVALID),
                List.copyOf(outcomes), null, retryable);
    }

    static PipelineStarterResult invalid(String pipelineArn, boolean dryRun, String error) {
        return new PipelineStarterResult(pipelineArn, dryRun, 0, 0, 0, 0, 0, List.of(), error, false);
    }

    private static int count(List<ObjectOutcome> outcomes, ObjectOutcome.Status status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }
}
