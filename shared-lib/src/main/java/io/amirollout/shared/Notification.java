package io.amirollout.shared;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Notification} contract (version "1"): one message per event worth telling a person,
 * published to the notifications topic and read by slack-notifier. {@code details} holds the
 * facts a reader needs (group, refresh id, AMI, versions, reason); values are strings, numbers,
 * booleans or lists of those.
 */
public record Notification(String version, NotificationKind kind, Severity severity, String title,
                           String accountId, String region, String correlationId, String time,
                           Map<String, Object> details) {

    public static final String CONTRACT_VERSION = "1";

    public Notification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        version = version == null ? CONTRACT_VERSION : version;
        severity = severity == null ? kind.defaultSeverity() : severity;
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A notice of {@code kind} with its default severity, stamped now, in this account and region. */
    public static Builder of(NotificationKind kind, String title) {
        return new Builder(kind, title);
    }

    /** Fluent builder: details keep insertion order, null values are dropped. */
    public static final class Builder {
        private final NotificationKind kind;
        private final String title;
        private Severity severity;
        private String accountId;
        private String region = System.getenv("AWS_REGION");
        private String correlationId = Log.correlationId();
        private Instant time = Instant.now();
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(NotificationKind kind, String title) {
            this.kind = kind;
            this.title = title;
        }

        public Builder severity(Severity value) {
            this.severity = value;
            return this;
        }

        public Builder accountId(String value) {
            this.accountId = value;
            return this;
        }

        public Builder region(String value) {
            this.region = value;
            return this;
        }

        public Builder correlationId(String value) {
            this.correlationId = value;
            return this;
        }

        public Builder time(Instant value) {
            this.time = value;
            return this;
        }

        public Builder detail(String key, Object value) {
            if (value != null) {
                details.put(key, value);
            }
            return this;
        }

        public Notification build() {
            return new Notification(CONTRACT_VERSION, kind, severity, title, accountId, region, correlationId,
                    time.toString(), details);
        }
    }
}
