package io.amirollout.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces this container's posts to the webhook at least {@code interval} apart (measured from the start of
 * one request to the start of the next, retries included), waiting instead of posting early.
 *
 * <p>Slack allows an incoming webhook one message per second ("Posting messages: 1 per second, short bursts
 * >1 allowed", Slack's rate-limit guide). The queue's event source runs at most {@code MaximumConcurrency}
 * (2) containers at once, so each container posts at most once per {@code 2 x 1 s}: together they stay at one
 * post per second, and a burst waits in the queue instead of being refused. A 429 that still comes (another
 * sender on the same webhook) is handled by {@link SlackWebhookClient}: it waits Retry-After and retries.
 */
final class PacedTransport implements WebhookTransport {

    private final WebhookTransport next;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;
    private Instant nextAllowed = Instant.MIN;

    PacedTransport(WebhookTransport next, Clock clock, Sleeper sleeper, Duration interval) {
        this.next = next;
        this.clock = clock;
        this.sleeper = sleeper;
        this.interval = interval;
    }

    @Override
    public synchronized Response post(URI url, String json, Duration timeout) throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (now.isBefore(nextAllowed)) {
            sleeper.sleep(Duration.between(now, nextAllowed));
        }
        nextAllowed = clock.instant().plus(interval);
        return next.post(url, json, timeout);
    }

    Duration interval() {
        return interval;
    }
}
