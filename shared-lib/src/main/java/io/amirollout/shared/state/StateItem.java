package io.amirollout.shared.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of the stack's state table: its key, string attributes, the revision used for optimistic
 * concurrency, and an optional expiry (DynamoDB TTL attribute {@code expiresAt}, epoch seconds).
 *
 * <p>Attributes are strings on purpose: every reader (a function, a person with the console, the
 * {@code status} request) sees the same plain values, and no attribute type can drift between writers.
 *
 * @param revision 0 for an item never written; each conditional write stores {@code revision + 1}
 */
public record StateItem(String pk, String sk, Map<String, String> attributes, long revision, Instant expiresAt) {

    public StateItem {
        Objects.requireNonNull(pk, "pk");
        Objects.requireNonNull(sk, "sk");
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    public static StateItem of(String pk, String sk) {
        return new StateItem(pk, sk, Map.of(), 0, null);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    public String getOrNull(String name) {
        return attributes.get(name);
    }

    /** A copy with these attributes set (a null value removes the attribute). */
    public StateItem with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(attributes);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return new StateItem(pk, sk, merged, revision, expiresAt);
    }

    public StateItem with(String name, String value) {
        Map<String, String> change = new LinkedHashMap<>();
        change.put(name, value);
        return with(change);
    }

    public StateItem expiringAt(Instant when) {
        return new StateItem(pk, sk, attributes, revision, when);
    }

    /** Same key, same attributes, next revision: what a successful conditional write stored. */
    StateItem written() {
        return new StateItem(pk, sk, attributes, revision + 1, expiresAt);
    }
}
