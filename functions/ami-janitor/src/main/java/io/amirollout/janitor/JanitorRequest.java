package io.amirollout.janitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;

import java.util.Iterator;
import java.util.Set;

/**
 * What started the run: the schedule (an EventBridge "Scheduled Event", from an EventBridge rule or
 * EventBridge Scheduler) or a person (a manual request, strict JSON: {@code {"dryRun": true, "reason": "..."}},
 * both optional; any other field is refused so a typo never runs a live pass by accident).
 *
 * @param eventId the scheduled event's id (duplicates of it are ignored), null for a manual request
 */
record JanitorRequest(String source, String eventId, boolean dryRun, String reason) {

    static final Set<String> MANUAL_FIELDS = Set.of("dryRun", "reason");

    static JanitorRequest read(JsonNode event) {
        if (!event.isObject()) {
            throw new InvalidEventException("expected a JSON object: a Scheduled Event or {\"dryRun\": true|false}");
        }
        if (EventBridgeEvent.looksLike(event)) {
            EventBridgeEvent envelope = EventBridgeEvent.from(event);
            if (!"Scheduled Event".equals(envelope.detailType())) {
                throw new InvalidEventException("EventBridge event '" + envelope.detailType() + "' from " + envelope.source()
                        + " is not a Scheduled Event");
            }
            if (envelope.id() == null || envelope.id().isBlank()) {
                throw new InvalidEventException("the Scheduled Event has no id");
            }
            return new JanitorRequest("schedule", envelope.id(), false, null);
        }
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MANUAL_FIELDS.contains(name)) {
                throw new InvalidEventException("unknown field '" + name + "' in the manual request (allowed: dryRun, reason)");
            }
        }
        JsonNode dryRun = event.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidEventException("dryRun must be true or false (got " + dryRun + ")");
        }
        JsonNode reason = event.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw new InvalidEventException("reason must be a string");
        }
        return new JanitorRequest("manual", null, dryRun != null && dryRun.asBoolean(),
                reason == null ? null : reason.asText());
    }
}
