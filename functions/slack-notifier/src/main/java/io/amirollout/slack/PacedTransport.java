package io.amirollout.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts each post to the webhook (retries included) only at a moment {@link PostSlots} hands out, waiting
 * instead of posting early.
 *
 * <p>Slack allows an incoming webhook one message per second ("Posting messages: 1 per second, short bursts
 * >1 allowed", Slack's rate-limit guide). The slots are one second apart and, deployed, shared by every
 * container through the state table, so the queue's event source may run two containers
 * (MaximumConcurrency 2) and together they still post once per second; a burst waits in the queue instead of
 * being refused. A 429 that still comes (another sender on the same webhook) is handled by
 * {@link SlackWebhookClient}: it waits Retry-After, and the retry takes a new slot.
 */
final class PacedTransport implements WebhookTransport {

    private final WebhookTransport next;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PostSlots slots;

    PacedTransport(WebhookTransport next, Clock clock, Sleeper sleeper, PostSlots slots) {
        this.next = next;
        this.clock = clock;
        this.sleeper = sleeper;
        this.slots = slots;
    }

    /** A container-local pacer (no shared table). */
    PacedTransport(WebhookTransport next, Clock clock, Sleeper sleeper, Duration interval) {
        this(next, clock, sleeper, PostSlots.local(interval));
    }

    @Override
    public Response post(URI url, String json, Duration timeout) throws IOException, InterruptedException {
        Instant now = clock.instant();
        Instant slot = slots.reserve(now);
        if (slot.isAfter(now)) {
            sleeper.sleep(Duration.between(now, slot));
        }
        return next.post(url, json, timeout);
    }
}
