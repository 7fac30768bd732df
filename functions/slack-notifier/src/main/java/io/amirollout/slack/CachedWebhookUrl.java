package io.amirollout.slack;

import io.amirollout.shared.Log;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The webhook URL, read once and reused by later invocations in the same container until it is
 * {@code ttl} old, so a rotated secret is picked up without a redeploy and a busy function does not
 * call Secrets Manager / SSM for every message. A TTL of zero reads it every time.
 */
public final class CachedWebhookUrl {

    private final WebhookSource source;
    private final Duration ttl;
    private final Clock clock;
    private URI cached;
    private Instant expiresAt = Instant.MIN;

    public CachedWebhookUrl(WebhookSource source, Duration ttl, Clock clock) {
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The URL, read from its source when there is none cached or the cached one has expired. */
    public synchronized URI get() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(expiresAt)) {
            cached = source.fetch();
            expiresAt = now.plus(ttl);
            Log.debug("Slack webhook URL read", "from", source.describe(), "cachedForSeconds", ttl.toSeconds());
        }
        return cached;
    }

    /** Forgets the URL (Slack said it is gone or forbidden: the next message reads a possibly rotated one). */
    public synchronized void invalidate() {
        cached = null;
        expiresAt = Instant.MIN;
    }

    public String describe() {
        return source.describe();
    }
}
