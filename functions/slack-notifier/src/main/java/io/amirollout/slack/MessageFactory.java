package io.amirollout.slack;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Severity;
import io.amirollout.shared.SnsEnvelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Detects what arrived and turns it into messages for people. Every input becomes at least one
 * message: what is not recognised gets a generic layout showing its source, type and JSON.
 * <ul>
 *   <li>Lambda SNS event: one message per record; the record's Message is read as a {@code Notification},
 *       an EventBridge event (EventBridge → SNS), a CloudWatch alarm message, an Image Builder image
 *       message, other JSON or plain text;</li>
 *   <li>EventBridge: every "EC2 Auto Scaling Instance Refresh …" detail-type, "EC2 Image Builder Image State
 *       Change", "CloudWatch Alarm State Change"; any other event generically;</li>
 *   <li>a bare {@code Notification} (direct invocation) or any other JSON.</li>
 * </ul>
 */
public final class MessageFactory {

    private final NoticeMessages notices;
    private final AwsEventMessages awsEvents;

    public MessageFactory(ConsoleLinks links) {
        this.notices = new NoticeMessages(links);
        this.awsEvents = new AwsEventMessages(links);
    }

    /** The messages for one invocation's event (never empty). */
    public List<SlackMessage> messagesFor(JsonNode event) {
        if (SnsEnvelope.looksLike(event)) {
            SNSEvent sns;
            try {
                sns = SnsEnvelope.from(event);
            } catch (InvalidEventException e) {
                return List.of(genericJson(event, "SNS event without a message (" + e.getMessage() + ")", null));
            }
            List<SlackMessage> messages = new ArrayList<>();
            for (int i = 0; i < sns.getRecords().size(); i++) {
                String timestamp = Json.text(event.get("Records").get(i).path("Sns"), "Timestamp");
                SNSEvent.SNS record = sns.getRecords().get(i).getSNS();
                SlackMessage message = fromSnsRecord(record, timestamp);
                messages.add(record.getMessageId() == null ? message : message.withDeliveryKey("sns:" + record.getMessageId()));
            }
            return messages;
        }
        SlackMessage message = fromJson(event, null);
        String eventId = EventBridgeEvent.looksLike(event) ? Json.text(event, "id") : null;
        return List.of(eventId == null ? message : message.withDeliveryKey("event:" + eventId));
    }

    /** A JSON document that arrived directly or as an SNS message. */
    private SlackMessage fromJson(JsonNode node, SnsDelivery via) {
        if (EventBridgeEvent.looksLike(node) && node.path("detail").isObject()) {
            return awsEvents.fromEventBridge(EventBridgeEvent.from(node));
        }
        if (node.isObject() && node.hasNonNull("kind") && node.hasNonNull("title")) {
            return notices.from(node, via);
        }
        if (node.isObject() && node.hasNonNull("AlarmName") && node.hasNonNull("NewStateValue")) {
            return awsEvents.alarmFromSnsMessage(node, via);
        }
        if (node.isObject() && node.path("state").hasNonNull("status") && Json.text(node, "arn") != null
                && Json.text(node, "arn").contains(":image/")) {
            return awsEvents.imageFromSnsMessage(node, via);
        }
        return genericJson(node, null, via);
    }

    private SlackMessage fromSnsRecord(SNSEvent.SNS sns, String timestamp) {
        SnsDelivery via = new SnsDelivery(sns.getTopicArn(), sns.getSubject(), sns.getMessageId(), timestamp);
        String message = sns.getMessage() == null ? "" : sns.getMessage();
        String trimmed = message.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return fromJson(Json.readTree(trimmed), via);
            } catch (InvalidEventException e) {
                // Looks like JSON but is not: show it as text.
            }
        }
        String title = via.subject() != null ? via.subject() : "Message on " + via.source();
        return SlackMessage.builder(title, Severity.INFO)
                .summary(BlockKit.escape(message))
                .field("Topic", via.topicName())
                .source(via.source())
                .correlationId(via.messageId())
                .time(via.timestamp())
                .fallback(title)
                .build();
    }

    private SlackMessage genericJson(JsonNode node, String note, SnsDelivery via) {
        String title = via != null && via.subject() != null ? via.subject()
                : via != null ? "Message on " + via.source() : "Unrecognised event";
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return SlackMessage.builder(title, Severity.WARNING)
                .summary(BlockKit.escape(note != null ? note : "JSON slack-notifier does not recognise; here it is."))
                .field("Topic", via == null ? null : via.topicName())
                .field("Top-level fields", keys.isEmpty() ? null : String.join(", ", keys.subList(0, Math.min(10, keys.size()))))
                .excerpt(MessageText.pretty(node))
                .source(via == null ? "direct invocation" : via.source())
                .correlationId(via == null ? null : via.messageId())
                .time(via == null ? null : via.timestamp())
                .fallback(title)
                .build();
    }
}
