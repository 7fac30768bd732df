package io.amirollout.slack;

import io.amirollout.shared.Log;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Posts a message to a Slack incoming webhook, retrying what a retry can fix, inside the time the
 * Lambda invocation has left.
 * <ul>
 *   <li>200: delivered.</li>
 *   <li>429: Slack's rate limit; wait the {@code Retry-After} seconds it sends (capped), then retry.</li>
 *   <li>5xx, timeouts, connection failures: retry with exponential back-off and jitter.</li>
 *   <li>any other status (400 invalid_payload, 403 action_prohibited, 404 channel_not_found / no_service,
 *       410 channel_is_archived, …): permanent, no retry; Slack's error text is kept.</li>
 * </ul>
 * Nothing here ever logs or returns the URL: exceptions are reduced to their type, Slack's text is
 * passed through {@link Redactor}.
 */
public final class SlackWebhookClient {

    static final int MAX_ATTEMPTS = 5;
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    static final Duration BASE_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    /** Left for writing the result and Lambda's own bookkeeping. */
    static final Duration TIME_MARGIN = Duration.ofSeconds(1);
    /** An attempt with less time than this is not worth starting. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(250);
    private static final int MAX_ERROR_TEXT = 300;

    private final WebhookTransport transport;
    private final Sleeper sleeper;
    private final Duration attemptTimeout;
    private final DoubleSupplier jitter;

    /**
     * @param jitter returns a number in [0, 1); each back-off waits between half and all of its exponential step
     */
    public SlackWebhookClient(WebhookTransport transport, Sleeper sleeper, Duration attemptTimeout, DoubleSupplier jitter) {
        this.transport = transport;
        this.sleeper = sleeper;
        this.attemptTimeout = attemptTimeout;
        this.jitter = jitter;
    }

    /**
     * Posts {@code json}; {@code remainingMillis} is the invocation's remaining time (asked again before
     * each attempt and each wait, as Lambda's context does).
     */
    public DeliveryResult post(URI url, String json, LongSupplier remainingMillis) {
        Redactor redactor = new Redactor(url);
        Integer lastStatus = null;
        String lastError = null;
        int attempt = 0;
        while (attempt < MAX_ATTEMPTS) {
            long budget = remainingMillis.getAsLong() - TIME_MARGIN.toMillis();
            if (budget < MIN_ATTEMPT.toMillis()) {
                return gaveUp(attempt, lastStatus, lastError, "no time left in this invocation");
            }
            attempt++;
            Duration timeout = attemptTimeout.toMillis() <= budget ? attemptTimeout : Duration.ofMillis(budget);
            Duration wait;
            try {
                WebhookTransport.Response response = transport.post(url, json, timeout);
                lastStatus = response.status();
                lastError = errorText(response.body(), redactor);
                if (response.status() >= 200 && response.status() < 300) {
                    return new DeliveryResult(DeliveryResult.Outcome.DELIVERED, attempt, response.status(), null);
                }
                if (response.status() == 429) {
                    wait = retryAfter(response.retryAfter()).orElseGet(() -> backoff(1));
                } else if (response.status() >= 500) {
                    wait = backoff(attempt);
                } else {
                    Log.error("Slack refused the message; not retrying (a retry cannot fix this)",
                            "httpStatus", response.status(), "slackError", lastError, "attempt", attempt);
                    return new DeliveryResult(DeliveryResult.Outcome.PERMANENT_FAILURE, attempt, response.status(), lastError);
                }
            } catch (HttpTimeoutException e) {
                lastStatus = null;
                lastError = "no answer within " + timeout.toMillis() + " ms";
                wait = backoff(attempt);
            } catch (IOException e) {
                // The type only: an I/O exception's message may quote the address it tried.
                lastStatus = null;
                lastError = "connection failed (" + e.getClass().getSimpleName() + ")";
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return gaveUp(attempt, lastStatus, lastError, "interrupted");
            } catch (RuntimeException e) {
                // e.g. IllegalArgumentException from the request builder, whose message may quote the URL.
                Log.error("the Slack request could not be sent", "errorType", e.getClass().getName(), "attempt", attempt);
                return new DeliveryResult(DeliveryResult.Outcome.PERMANENT_FAILURE, attempt, null,
                        "request could not be built (" + e.getClass().getSimpleName() + ")");
            }
            if (attempt >= MAX_ATTEMPTS) {
                break;
            }
            long left = remainingMillis.getAsLong() - TIME_MARGIN.toMillis();
            if (left < wait.toMillis() + MIN_ATTEMPT.toMillis()) {
                return gaveUp(attempt, lastStatus, lastError, "not enough time left to wait " + wait.toMillis() + " ms and retry");
            }
            Log.warn("Slack delivery attempt failed; retrying", "attempt", attempt, "httpStatus", lastStatus,
                    "slackError", lastError, "retryInMillis", wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return gaveUp(attempt, lastStatus, lastError, "interrupted");
            }
        }
        return gaveUp(attempt, lastStatus, lastError, "gave up after " + attempt + " attempts");
    }

    private static DeliveryResult gaveUp(int attempts, Integer status, String error, String why) {
        String text = error == null ? why : error + "; " + why;
        Log.warn("Slack delivery failed for now (a later retry may succeed)", "attempts", attempts,
                "httpStatus", status, "slackError", text);
        return new DeliveryResult(DeliveryResult.Outcome.TRANSIENT_FAILURE, attempts, status, text);
    }

    /** Slack's Retry-After is whole seconds; anything else is ignored in favour of our own back-off. */
    static Optional<Duration> retryAfter(Optional<String> header) {
        try {
            return header.map(String::trim).map(Long::parseLong).filter(s -> s >= 0)
                    .map(Duration::ofSeconds)
                    .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Exponential step for {@code attempt} (500 ms, 1 s, 2 s, … capped at 8 s), jittered to 50–100 % of it. */
    Duration backoff(int attempt) {
        long step = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt - 1, 16));
        double factor = 0.5 + 0.5 * Math.max(0, Math.min(1, jitter.getAsDouble()));
        return Duration.ofMillis((long) (step * factor));
    }

    private static String errorText(String body, Redactor redactor) {
        String text = redactor.scrub(body == null ? "" : body.strip());
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }
}
