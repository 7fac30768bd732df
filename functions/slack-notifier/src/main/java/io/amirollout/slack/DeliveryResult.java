package io.amirollout.slack;

/**
 * How posting one message ended.
 *
 * @param outcome    DELIVERED, DRY_RUN, PERMANENT_FAILURE (a 4xx: retrying cannot help) or TRANSIENT_FAILURE
 *                   (429 / 5xx / timeouts until attempts or time ran out: a later retry may help)
 * @param attempts   HTTP requests made
 * @param httpStatus Slack's last status, null when no answer came
 * @param slackError Slack's error text (the response body, e.g. invalid_payload), or what went wrong
 */
public record DeliveryResult(Outcome outcome, int attempts, Integer httpStatus, String slackError) {

    public enum Outcome { DELIVERED, DRY_RUN, PERMANENT_FAILURE, TRANSIENT_FAILURE }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED || outcome == Outcome.DRY_RUN;
    }
}
