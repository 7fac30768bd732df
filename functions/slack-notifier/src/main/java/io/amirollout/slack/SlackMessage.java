package io.amirollout.slack;

import io.amirollout.shared.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * One message for a person, before it becomes Block Kit JSON ({@link BlockKit}). Values are plain text
 * from events; {@link BlockKit} escapes and truncates them. Only {@code summary} is Slack mrkdwn, built
 * with {@link BlockKit#escape(String)} around every value it quotes.
 *
 * @param title         header line (plain text)
 * @param severity      drives the colour bar and the header's emoji
 * @param summary       one mrkdwn sentence saying what happened (may be null)
 * @param fields        label / value pairs shown two per row (group, account, region, versions, AMI, …)
 * @param reason        a longer explanation shown in its own section (may be null)
 * @param excerpt       raw text shown in a code block, e.g. an unrecognised event's JSON (may be null)
 * @param links         AWS console links
 * @param source        where it came from (shown in the context line and the result)
 * @param correlationId the id that ties the message to logs and other notices (may be null)
 * @param time          when it happened, as the event said (may be null)
 * @param fallback      the top-level text: what a phone notification shows
 * @param deliveryKey   the id of the delivery that carried it (SNS MessageId, EventBridge event id), used to
 *                      skip a duplicate delivery; null when there is none (direct invocation)
 */
public record SlackMessage(String title, Severity severity, String summary, List<Field> fields, String reason,
                           String excerpt, List<Link> links, String source, String correlationId, String time,
                           String fallback, String deliveryKey) {

    public record Field(String label, String value) {
    }

    public record Link(String label, String url) {
    }

    public SlackMessage {
        fields = List.copyOf(fields);
        links = List.copyOf(links);
    }

    /** This message, marked with the id of the delivery that carried it. */
    public SlackMessage withDeliveryKey(String key) {
        return new SlackMessage(title, severity, summary, fields, reason, excerpt, links, source, correlationId, time,
                fallback, key);
    }

    public static Builder builder(String title, Severity severity) {
        return new Builder(title, severity);
    }

    /** Fluent builder; blank field values are skipped so messages only show what is known. */
    public static final class Builder {
        private final String title;
        private final Severity severity;
        private String summary;
        private final List<Field> fields = new ArrayList<>();
        private String reason;
        private String excerpt;
        private final List<Link> links = new ArrayList<>();
        private String source;
        private String correlationId;
        private String time;
        private String fallback;

        private Builder(String title, Severity severity) {
            this.title = title;
            this.severity = severity;
        }

        public Builder summary(String mrkdwn) {
            this.summary = mrkdwn;
            return this;
        }

        public Builder field(String label, Object value) {
            if (value != null && !String.valueOf(value).isBlank()) {
                fields.add(new Field(label, String.valueOf(value).trim()));
            }
            return this;
        }

        public Builder reason(String value) {
            this.reason = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public Builder excerpt(String value) {
            this.excerpt = value;
            return this;
        }

        public Builder link(String label, String url) {
            if (url != null) {
                links.add(new Link(label, url));
            }
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder correlationId(String value) {
            this.correlationId = value;
            return this;
        }

        public Builder time(String value) {
            this.time = value;
            return this;
        }

        public Builder fallback(String value) {
            this.fallback = value;
            return this;
        }

        public boolean hasField(String label) {
            return fields.stream().anyMatch(f -> f.label().equals(label));
        }

        public SlackMessage build() {
            return new SlackMessage(title, severity, summary, fields, reason, excerpt, links, source, correlationId,
                    time, fallback == null ? title : fallback, null);
        }
    }
}
