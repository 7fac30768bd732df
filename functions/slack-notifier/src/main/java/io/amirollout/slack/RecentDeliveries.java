package io.amirollout.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deliveries (SNS MessageId, EventBridge event id) this container posted recently. SNS, EventBridge
 * and Lambda's asynchronous retries deliver at least once, and a Slack post is not idempotent: a
 * duplicate that reaches the same container is skipped instead of posted twice. Best effort by design
 * (another container does not know), bounded in size and age so it never grows.
 */
final class RecentDeliveries {

    static final int MAX_ENTRIES = 1000;
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, Instant> posted = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    RecentDeliveries(Clock clock) {
        this.clock = clock;
    }

    synchronized boolean contains(String key) {
        if (key == null) {
            return false;
        }
        Instant at = posted.get(key);
        if (at == null) {
            return false;
        }
        if (at.plus(MAX_AGE).isBefore(clock.instant())) {
            posted.remove(key);
            return false;
        }
        return true;
    }

    synchronized void add(String key) {
        if (key != null) {
            posted.put(key, clock.instant());
        }
    }
}
