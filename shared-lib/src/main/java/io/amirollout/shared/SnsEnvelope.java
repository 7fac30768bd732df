package io.amirollout.shared;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda SNS event ({@code Records[].Sns}), read into the aws-lambda-java-events
 * {@link SNSEvent} type. Functions that accept several event shapes read the stream once as a tree
 * and come here when it is an SNS delivery.
 */
public final class SnsEnvelope {

    private SnsEnvelope() {
    }

    /** True when the tree is a Lambda SNS event. */
    public static boolean looksLike(JsonNode node) {
        JsonNode records = node == null ? null : node.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            return false;
        }
        JsonNode first = records.get(0);
        return first.has("Sns") || "aws:sns".equals(Json.text(first, "EventSource"));
    }

    /** Reads the SNS event; a record without {@code Sns.Message} is an {@link InvalidEventException}. */
    public static SNSEvent from(JsonNode node) {
        if (!looksLike(node)) {
            throw new InvalidEventException("not an SNS event: no Records[].Sns");
        }
        List<SNSEvent.SNSRecord> records = new ArrayList<>();
        int index = 0;
        for (JsonNode record : node.get("Records")) {
            JsonNode sns = record.get("Sns");
            if (sns == null || !sns.isObject() || !sns.has("Message") || sns.get("Message").isNull()) {
                throw new InvalidEventException("SNS record " + index + " has no Sns.Message");
            }
            SNSEvent.SNS message = new SNSEvent.SNS()
                    .withMessageId(Json.text(sns, "MessageId"))
                    .withTopicArn(Json.text(sns, "TopicArn"))
                    .withSubject(Json.text(sns, "Subject"))
                    .withMessage(sns.get("Message").asText())
                    .withType(Json.text(sns, "Type"))
                    .withMessageAttributes(attributes(sns.get("MessageAttributes")));
            records.add(new SNSEvent.SNSRecord()
                    .withEventSource(Json.text(record, "EventSource"))
                    .withEventSubscriptionArn(Json.text(record, "EventSubscriptionArn"))
                    .withEventVersion(Json.text(record, "EventVersion"))
                    .withSns(message));
            index++;
        }
        return new SNSEvent().withRecords(records);
    }

    private static Map<String, SNSEvent.MessageAttribute> attributes(JsonNode node) {
        Map<String, SNSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> attributes.put(e.getKey(), new SNSEvent.MessageAttribute()
                    .withType(Json.text(e.getValue(), "Type"))
                    .withValue(Json.text(e.getValue(), "Value"))));
        }
        return attributes;
    }
}
