package io.amirollout.slack;

import java.util.List;

/**
 * What the invocation did, written as the function's JSON result.
 *
 * @param status   DELIVERED (every message posted or already posted), DRY_RUN (built, not posted) or FAILED
 * @param dryRun   whether this was a dry run
 * @param messages one entry per message
 * @param error    why nothing could be done (bad input), else null
 */
public record NotifyResult(String status, boolean dryRun, List<MessageOutcome> messages, String error) {

    /**
     * @param source     where the message came from
     * @param title      its header
     * @param severity   INFO / SUCCESS / WARNING / ERROR
     * @param outcome    DELIVERED, DUPLICATE (this container already posted the same delivery), DRY_RUN,
     *                   PERMANENT_FAILURE, TRANSIENT_FAILURE or WEBHOOK_UNAVAILABLE
     * @param attempts   HTTP requests made
     * @param httpStatus Slack's last HTTP status
     * @param slackError Slack's error text, or what went wrong
     */
    public record MessageOutcome(String source, String title, String severity, String outcome, int attempts,
                                 Integer httpStatus, String slackError) {
    }

    public static NotifyResult invalid(String error) {
        return new NotifyResult("FAILED", false, List.of(), error);
    }

    /** True when a later retry of the whole invocation may succeed (transient failures only). */
    public boolean retryable() {
        return messages.stream().anyMatch(m -> m.outcome().equals("TRANSIENT_FAILURE") || m.outcome().equals("WEBHOOK_UNAVAILABLE"));
    }
}
