package io.amirollout.shared;

/**
 * Sends notices. Publishing is best effort: a notice that cannot be sent is logged and never
 * fails or undoes the work it describes.
 */
@FunctionalInterface
public interface NotificationPublisher {

    void publish(Notification notification);

    /** For setups without a notifications topic: each notice becomes a log line only. */
    static NotificationPublisher logOnly() {
        return n -> Log.info("notice (no notifications topic configured)", "kind", n.kind().name(),
                "severity", n.severity().name(), "title", n.title(), "details", n.details());
    }
}
