package io.amirollout.shared.state;

import java.util.List;
import java.util.Optional;

/**
 * The stack's state of record: one DynamoDB table ({@code pk}, {@code sk} string keys, TTL on
 * {@code expiresAt}), reached only through this interface. Item layouts: shared-lib/README.md.
 *
 * <p>Writes that decide something are conditional: {@link #putIfAbsent} (first writer wins) and
 * {@link #replace} (optimistic concurrency on {@code revision}). A write that loses answers
 * {@code false}; the caller reads again and decides again, so two concurrent invocations never both act.
 * Transient DynamoDB errors (throttling, 5xx after the SDK's retries) are thrown as they are, so
 * the invocation fails and Lambda retries it.
 */
public interface StateTable {

    Optional<StateItem> get(String pk, String sk);

    /** Every item of the partition whose sort key starts with {@code skPrefix} (all pages), in sort-key order. */
    List<StateItem> query(String pk, String skPrefix);

    /** Writes the item only if no item has its key; false when one exists. The stored revision is 1. */
    boolean putIfAbsent(StateItem item);

    /**
     * Writes the item only if the stored revision still is {@code item.revision()} (0: the item must not
     * exist); the stored revision becomes {@code item.revision() + 1}. False when another writer came first.
     */
    boolean replace(StateItem item);

    /** Unconditional write (mirrors and reports only: never for a decision). Revision is kept as given + 1. */
    void put(StateItem item);

    void delete(String pk, String sk);
}
