package io.amirollout.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQS standard queue as the Lambda event source sees it, in simulated time: a received message is invisible
 * for the visibility timeout; deleted when the invocation succeeds and does not name it in
 * {@code batchItemFailures}; visible again after the timeout otherwise; moved to the dead-letter list after
 * {@code maxReceiveCount} receives (the redrive policy).
 */
final class SimulatedQueue {

    private record Message(String id, String body, int receives, Instant visibleAt) {
    }

    private final Clock clock;
    private final Duration visibility;
    private final int maxReceiveCount;
    private final Map<String, Message> messages = new LinkedHashMap<>();
    final List<String> deadLetters = new ArrayList<>();
    private int sequence;

    SimulatedQueue(Clock clock, Duration visibility, int maxReceiveCount) {
        this.clock = clock;
        this.visibility = visibility;
        this.maxReceiveCount = maxReceiveCount;
    }

    void send(String body) {
        String id = "msg-" + (++sequence);
        messages.put(id, new Message(id, body, 0, Instant.MIN));
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** When the next message becomes visible (for a simulated wait), or null when the queue is empty. */
    Instant nextVisible() {
        return messages.values().stream().map(Message::visibleAt).min(Instant::compareTo).orElse(null);
    }

    /** Receives up to {@code max} visible messages as a Lambda SQS event; null when none is visible. */
    ObjectNode receive(int max) {
        Instant now = clock.instant();
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : new ArrayList<>(messages.values())) {
            if (records.size() == max) {
                break;
            }
            if (m.visibleAt().isAfter(now)) {
                continue;
            }
            if (m.receives() >= maxReceiveCount) {
                messages.remove(m.id());
                deadLetters.add(m.body());
                continue;
            }
            Message received = new Message(m.id(), m.body(), m.receives() + 1, now.plus(visibility));
            messages.put(m.id(), received);
            ObjectNode record = records.addObject();
            record.put("messageId", m.id());
            record.put("receiptHandle", "handle-" + m.id());
            record.put("body", m.body());
            record.putObject("attributes").put("ApproximateReceiveCount", String.valueOf(received.receives()));
            record.putObject("messageAttributes");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:eu-west-1:111122223333:ami-rollout-slack");
            record.put("awsRegion", "eu-west-1");
        }
        return records.isEmpty() ? null : event;
    }

    /** What the event source does with an invocation's answer: delete all but the failed ones. */
    void settle(ObjectNode event, List<String> failedIds, boolean invocationFailed) {
        if (invocationFailed) {
            return;
        }
        event.get("Records").forEach(r -> {
            String id = r.get("messageId").asText();
            if (!failedIds.contains(id)) {
                messages.remove(id);
            }
        });
    }

    /** The body SNS puts on a subscribed queue (not raw delivery): its JSON envelope. */
    static String snsEnvelope(String messageId, String message) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", messageId);
        envelope.put("TopicArn", "arn:aws:sns:eu-west-1:111122223333:ami-rollout-notices");
        envelope.put("Message", message);
        envelope.put("Timestamp", "2026-11-21T10:00:00.000Z");
        ObjectNode attributes = envelope.putObject("MessageAttributes");
        attributes.putObject("kind").put("Type", "String").put("Value", Json.readTree(message).path("kind").asText("NONE"));
        return Json.write(envelope);
    }
}
