package io.amirollout.slack;

import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out the moments at which a post to the webhook may start, at least {@code interval} apart.
 * <ul>
 *   <li>{@link #table}: one slot item in the state table ({@code pk = pace#slack}, {@code sk = slot}, attribute
 *       {@code next}) shared by every container: reserving is a conditional write (revision check) of
 *       {@code next = max(now, next) + interval}, so two containers never get the same second. This is what
 *       keeps the whole function — however many containers the queue's event source runs — at one post per
 *       second per webhook.</li>
 *   <li>{@link #local}: this container only (local runs without a table).</li>
 * </ul>
 */
interface PostSlots {

    /** The moment the caller may post (now or later); it is then taken. */
    Instant reserve(Instant now);

    static PostSlots local(Duration interval) {
        return new PostSlots() {
            private Instant next = Instant.MIN;

            @Override
            public synchronized Instant reserve(Instant now) {
                Instant slot = now.isAfter(next) ? now : next;
                next = slot.plus(interval);
                return slot;
            }
        };
    }

    String PK = "pace#slack";
    String SK = "slot";

    static PostSlots table(StateTable table, Duration interval) {
        return now -> {
            for (int attempt = 0; attempt < 20; attempt++) {
                Optional<StateItem> stored = table.get(PK, SK);
                Instant next = stored.map(i -> i.getOrNull("next")).map(Instant::parse).orElse(Instant.MIN);
                Instant slot = now.isAfter(next) ? now : next;
                StateItem item = new StateItem(PK, SK, Map.of("next", slot.plus(interval).toString()),
                        stored.map(StateItem::revision).orElse(0L), null);
                if (table.replace(item)) {
                    return slot;
                }
            }
            // Twenty writers in a row came first: wait one interval as if a slot had been taken.
            return now.plus(interval);
        };
    }
}
