package io.amirollout.shared.testing;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published notice so tests can assert on them. Thread-safe (fan-out publishes in parallel). */
public final class RecordingPublisher implements NotificationPublisher {

    private final List<Notification> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Notification notification) {
        published.add(notification);
    }

    public List<Notification> all() {
        return List.copyOf(published);
    }

    public List<Notification> ofKind(NotificationKind kind) {
        return published.stream().filter(n -> n.kind() == kind).toList();
    }

    public Notification only() {
        if (published.size() != 1) {
            throw new AssertionError("expected exactly one notice, got " + published.size() + ": " + published);
        }
        return published.get(0);
    }
}
