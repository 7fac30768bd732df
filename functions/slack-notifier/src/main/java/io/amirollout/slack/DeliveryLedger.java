package io.amirollout.slack;

import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateItem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers which deliveries (and which rollout steps) were posted, so a duplicate delivery or the second
 * report of the same rollout step is not posted again. Two phases: {@link #begin} claims a key as POSTING,
 * {@link #posted} marks it POSTED, {@link #abandon} frees it when the post failed (the retry may claim it).
 *
 * <p>With the state table (every deployed stack) the claim is a conditional write, shared by all
 * containers; without it (local runs) it falls back to this container's memory ({@link RecentDeliveries}).
 * A claim left POSTING longer than {@link #STALE_CLAIM} belongs to a container that died between claiming
 * and finishing: it is taken over (a possible duplicate is preferred to a lost message).
 */
interface DeliveryLedger {

    Duration KEEP = Duration.ofDays(2);
    Duration STALE_CLAIM = Duration.ofMinutes(10);

    enum Claim {
        /** This caller claimed the key: post, then {@link #posted} or {@link #abandon}. */
        CLAIMED,
        /** Already posted. */
        POSTED,
        /** Another container is posting it right now. */
        IN_PROGRESS
    }

    Claim begin(String key);

    void posted(String key);

    void abandon(String key);

    /** This container's memory only. */
    static DeliveryLedger inMemory(Clock clock) {
        RecentDeliveries recent = new RecentDeliveries(clock);
        return new DeliveryLedger() {
            @Override
            public Claim begin(String key) {
                return recent.contains(key) ? Claim.POSTED : Claim.CLAIMED;
            }

            @Override
            public void posted(String key) {
                recent.add(key);
            }

            @Override
            public void abandon(String key) {
                // Nothing was remembered for it.
            }
        };
    }

    /** Claims in the state table ({@code event#slack#<key>}, expiring after {@link #KEEP}). */
    static DeliveryLedger table(ProcessedEvents events, Clock clock) {
        return new DeliveryLedger() {
            @Override
            public Claim begin(String key) {
                Instant now = clock.instant();
                if (events.claim("slack", key, now, KEEP, Map.of("state", "POSTING", "at", now.toString()))) {
                    return Claim.CLAIMED;
                }
                Optional<StateItem> found = events.find("slack", key);
                if (found.isEmpty()) {
                    // Released between our claim and our read: claim again once.
                    return events.claim("slack", key, now, KEEP, Map.of("state", "POSTING", "at", now.toString()))
                            ? Claim.CLAIMED : Claim.IN_PROGRESS;
                }
                StateItem record = found.get();
                if ("POSTED".equals(record.getOrNull("state"))) {
                    return Claim.POSTED;
                }
                String at = record.getOrNull("at");
                if (at != null && Instant.parse(at).plus(STALE_CLAIM).isAfter(now)) {
                    return Claim.IN_PROGRESS;
                }
                events.update(record, Map.of("state", "POSTING", "at", now.toString()));
                return Claim.CLAIMED;
            }

            @Override
            public void posted(String key) {
                events.find("slack", key).ifPresent(r -> events.update(r, Map.of("state", "POSTED",
                        "at", clock.instant().toString())));
            }

            @Override
            public void abandon(String key) {
                events.release("slack", key);
            }
        };
    }
}
