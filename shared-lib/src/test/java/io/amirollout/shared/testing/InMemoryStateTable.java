package io.amirollout.shared.testing;

import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link StateTable} in memory with DynamoDB's conditional-write semantics (attribute_not_exists, revision
 * match), for unit tests of the functions. {@link #writes()} counts successful writes so a test can assert
 * that a duplicate event wrote nothing. The real table is exercised against moto in integration-tests.
 */
public final class InMemoryStateTable implements StateTable {

    private final TreeMap<String, StateItem> items = new TreeMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    private static String key(String pk, String sk) {
        return pk + "\u0000" + sk;
    }

    @Override
    public synchronized Optional<StateItem> get(String pk, String sk) {
        return Optional.ofNullable(items.get(key(pk, sk)));
    }

    @Override
    public synchronized List<StateItem> query(String pk, String skPrefix) {
        List<StateItem> out = new ArrayList<>();
        for (StateItem item : items.values()) {
            if (item.pk().equals(pk) && (skPrefix == null || item.sk().startsWith(skPrefix))) {
                out.add(item);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean putIfAbsent(StateItem item) {
        if (items.containsKey(key(item.pk(), item.sk()))) {
            return false;
        }
        store(new StateItem(item.pk(), item.sk(), item.attributes(), 1, item.expiresAt()));
        return true;
    }

    @Override
    public synchronized boolean replace(StateItem item) {
        StateItem stored = items.get(key(item.pk(), item.sk()));
        long storedRevision = stored == null ? 0 : stored.revision();
        if (storedRevision != item.revision()) {
            return false;
        }
        store(new StateItem(item.pk(), item.sk(), item.attributes(), item.revision() + 1, item.expiresAt()));
        return true;
    }

    @Override
    public synchronized void put(StateItem item) {
        store(new StateItem(item.pk(), item.sk(), item.attributes(), item.revision() + 1, item.expiresAt()));
    }

    @Override
    public synchronized void delete(String pk, String sk) {
        if (items.remove(key(pk, sk)) != null) {
            writes.incrementAndGet();
        }
    }

    private void store(StateItem item) {
        items.put(key(item.pk(), item.sk()), item);
        writes.incrementAndGet();
    }

    public int writes() {
        return writes.get();
    }

    public synchronized Map<String, StateItem> snapshot() {
        return Map.copyOf(items);
    }
}
