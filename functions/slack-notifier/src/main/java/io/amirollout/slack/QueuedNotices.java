package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lambda SQS event from the Slack queue ({@code Records[].eventSource = "aws:sqs"}). The queue is fed by
 * the notifications topic (SNS → SQS, not raw: the body is SNS's JSON envelope with {@code Type:
 * "Notification"}, {@code MessageId}, {@code Message}) and by EventBridge rules (the body is the event).
 * Each record becomes the event slack-notifier already understands: the envelope is turned back into a
 * one-record Lambda SNS event, an EventBridge event stays as it is.
 */
final class QueuedNotices {

    /**
     * One queued delivery.
     *
     * @param messageId  the SQS message id (what a partial batch response names)
     * @param event      the event as slack-notifier reads it (SNS-shaped or EventBridge or other JSON)
     * @param deliveryId SNS MessageId / EventBridge event id (the same notice delivered twice has the same id),
     *                   else the SQS message id
     */
    record Item(String messageId, JsonNode event, String deliveryId) {
    }

    private QueuedNotices() {
    }

    static boolean looksLike(JsonNode node) {
        JsonNode records = node == null ? null : node.get("Records");
        return records != null && records.isArray() && !records.isEmpty()
                && "aws:sqs".equals(Json.text(records.get(0), "eventSource"));
    }

    static List<Item> read(JsonNode node) {
        List<Item> items = new ArrayList<>();
        for (JsonNode record : node.get("Records")) {
            String messageId = Json.text(record, "messageId");
            if (messageId == null) {
                throw new InvalidEventException("SQS record without messageId");
            }
            String body = Json.text(record, "body");
            JsonNode event;
            try {
                event = body == null ? Json.MAPPER.getNodeFactory().textNode("") : Json.readTree(body);
            } catch (InvalidEventException e) {
                // Plain text put on the queue by hand: shown as it is, like an SNS text message.
                event = snsShaped(null, null, null, body, null, null);
                items.add(new Item(messageId, event, "sqs:" + messageId));
                continue;
            }
            if ("Notification".equals(Json.text(event, "Type")) && event.hasNonNull("Message")) {
                String snsId = Json.text(event, "MessageId");
                items.add(new Item(messageId, snsShaped(snsId, Json.text(event, "TopicArn"), Json.text(event, "Subject"),
                        event.get("Message").asText(), Json.text(event, "Timestamp"), event.get("MessageAttributes")),
                        snsId == null ? "sqs:" + messageId : "sns:" + snsId));
            } else if (EventBridgeEvent.looksLike(event) && Json.text(event, "id") != null) {
                items.add(new Item(messageId, event, "event:" + Json.text(event, "id")));
            } else {
                items.add(new Item(messageId, event, "sqs:" + messageId));
            }
        }
        return items;
    }

    private static JsonNode snsShaped(String messageId, String topicArn, String subject, String message, String timestamp,
                                      JsonNode attributes) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode records = root.putArray("Records");
        ObjectNode record = records.addObject();
        record.put("EventSource", "aws:sns");
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        if (messageId != null) {
            sns.put("MessageId", messageId);
        }
        if (topicArn != null) {
            sns.put("TopicArn", topicArn);
        }
        if (subject != null) {
            sns.put("Subject", subject);
        }
        sns.put("Message", message == null ? "" : message);
        if (timestamp != null) {
            sns.put("Timestamp", timestamp);
        }
        if (attributes != null && attributes.isObject()) {
            sns.set("MessageAttributes", attributes);
        }
        return root;
    }
}
