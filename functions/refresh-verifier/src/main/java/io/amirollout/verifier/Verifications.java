package io.amirollout.verifier;

import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Verification records in the state table: created by a claim (first writer wins), advanced by conditional writes. */
final class Verifications {

    static final String SCOPE = "verify";
    /** Long enough for any refresh's checkpoints and bake time; DynamoDB TTL removes the record afterwards. */
    static final Duration KEEP = Duration.ofDays(14);

    private final StateTable table;
    private final ProcessedEvents events;

    Verifications(StateTable table) {
        this.table = table;
        this.events = new ProcessedEvents(table);
    }

    /** The new record when this call created it; empty when it already existed (a duplicate, a retry). */
    Optional<Verification> claim(String id, String group, String refreshId, String imageId, Phase phase, Instant now,
                                 Instant leaseUntil) {
        Verification fresh = new Verification(id, group, refreshId, imageId, phase, Verification.State.TESTING, 0, now,
                leaseUntil, null, List.of(), null, null);
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>(fresh.attributes());
        attributes.values().removeIf(java.util.Objects::isNull);
        if (!events.claim(SCOPE, id, now, KEEP, attributes)) {
            return Optional.empty();
        }
        // What the claim stored (ProcessedEvents' documented layout: pk event#<scope>#<id>, sk event, revision 1),
        // without reading it back.
        return Optional.of(Verification.from(id, new StateItem("event#" + SCOPE + "#" + id, "event", attributes, 1, now.plus(KEEP))));
    }

    Optional<Verification> find(String id) {
        return events.find(SCOPE, id).map(item -> Verification.from(id, item));
    }

    /** Writes the changed record if nobody wrote it since it was read; the stored version, or empty when it lost. */
    Optional<Verification> write(Verification changed) {
        StateItem read = changed.item();
        StateItem next = new StateItem(read.pk(), read.sk(), read.attributes(), read.revision(), read.expiresAt())
                .with(changed.attributes());
        if (!table.replace(next)) {
            return Optional.empty();
        }
        StateItem stored = new StateItem(next.pk(), next.sk(), next.attributes(), next.revision() + 1, next.expiresAt());
        return Optional.of(Verification.from(changed.id(), stored));
    }
}
