package io.amirollout.shared.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Small per-event records for exactly-once work ({@code pk = event#<scope>#<id>}, {@code sk = event}),
 * expiring through the table's TTL. {@link #claim} is a conditional write: of any number of deliveries of
 * the same event, exactly one claims it. A claim whose work then fails is {@link #release released}, so the
 * Lambda retry can claim it again.
 */
public final class ProcessedEvents {

    private final StateTable table;

    public ProcessedEvents(StateTable table) {
        this.table = table;
    }

    static String partition(String scope, String id) {
        return "event#" + scope + "#" + id;
    }

    /** True when this call is the first to claim (scope, id); the record expires after {@code keep}. */
    public boolean claim(String scope, String id, Instant now, Duration keep, Map<String, String> attributes) {
        return table.putIfAbsent(new StateItem(partition(scope, id), "event", attributes, 0, now.plus(keep)));
    }

    public Optional<StateItem> find(String scope, String id) {
        return table.get(partition(scope, id), "event");
    }

    /** Replaces the record's attributes (e.g. "published" after "claimed"), keeping its expiry. */
    public void update(StateItem record, Map<String, String> attributes) {
        table.put(record.with(attributes));
    }

    public void release(String scope, String id) {
        table.delete(partition(scope, id), "event");
    }
}
