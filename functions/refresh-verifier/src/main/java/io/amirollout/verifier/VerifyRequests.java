package io.amirollout.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the three inputs: Auto Scaling's instance-refresh events ("Checkpoint Reached", "Succeeded"), a
 * person's {@code {"verify": "<group>", "dryRun": true}} and the function's own {@code {"continuation": ...}}.
 * Our own JSON refuses unknown fields; AWS events are read leniently (AWS adds fields).
 *
 * <p>Event detail fields as the EC2 Auto Scaling user guide ("Instance refresh events") shows them:
 * {@code InstanceRefreshId}, {@code AutoScalingGroupName}, and for a checkpoint {@code CheckpointPercentage} and
 * {@code CheckpointDelay}, both strings ("50", "300"). AWS emits a checkpoint event "for each checkpoint except the
 * 100 percent complete checkpoint", so the end of a refresh is seen through "Succeeded".
 */
public final class VerifyRequests {

    static final String SOURCE = "aws.autoscaling";
    static final String CHECKPOINT = "EC2 Auto Scaling Instance Refresh Checkpoint Reached";
    static final String SUCCEEDED = "EC2 Auto Scaling Instance Refresh Succeeded";
    private static final Set<String> MANUAL_FIELDS = Set.of("verify", "dryRun");
    private static final Set<String> CONTINUATION_FIELDS = Set.of("continuation");
    private static final Set<String> CONTINUATION_BODY_FIELDS = Set.of("id");
    /** Auto Scaling group names: 1-255 characters, no control characters (API pattern), no comma (our lists). */
    private static final Pattern GROUP = Pattern.compile("^[^\\p{Cntrl},]{1,255}$");
    private static final Pattern ID = Pattern.compile("^[^\\p{Cntrl}]{1,1024}$");

    private VerifyRequests() {
    }

    public static VerifyRequest parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("the input must be a JSON object");
        }
        boolean dryRun = dryRun(event);
        if (EventBridgeEvent.looksLike(event)) {
            return fromEvent(EventBridgeEvent.from(event), dryRun);
        }
        if (event.has("continuation")) {
            strict(event, CONTINUATION_FIELDS, "a continuation");
            JsonNode body = event.get("continuation");
            if (!body.isObject()) {
                throw new InvalidEventException("'continuation' must be an object");
            }
            strict(body, CONTINUATION_BODY_FIELDS, "'continuation'");
            String id = Json.requiredText(body, "id", "'continuation'");
            if (!ID.matcher(id).matches()) {
                throw new InvalidEventException("'continuation.id' is not a verification id: '" + id + "'");
            }
            return new VerifyRequest(null, null, null, null, null, id, false);
        }
        if (event.has("verify")) {
            strict(event, MANUAL_FIELDS, "a manual request");
            String group = Json.requiredText(event, "verify", "the manual request");
            if (!GROUP.matcher(group).matches()) {
                throw new InvalidEventException("'verify' must name one Auto Scaling group (got '" + group + "')");
            }
            return new VerifyRequest(Phase.MANUAL, group, null, null, null, null, dryRun);
        }
        throw new InvalidEventException("expected an Auto Scaling instance-refresh event, {\"verify\": \"<group>\"} "
                + "or a continuation; got fields " + fields(event));
    }

    private static VerifyRequest fromEvent(EventBridgeEvent event, boolean dryRun) {
        if (!SOURCE.equals(event.source()) || !(CHECKPOINT.equals(event.detailType()) || SUCCEEDED.equals(event.detailType()))) {
            throw new InvalidEventException("not an event refresh-verifier handles: '" + event.detailType() + "' from "
                    + event.source() + " (expected '" + CHECKPOINT + "' or '" + SUCCEEDED + "' from " + SOURCE + ")");
        }
        JsonNode detail = event.detail();
        String refreshId = Json.requiredText(detail, "InstanceRefreshId", "the event detail");
        String group = Json.requiredText(detail, "AutoScalingGroupName", "the event detail");
        if (CHECKPOINT.equals(event.detailType())) {
            Integer percent = number(detail, "CheckpointPercentage", true);
            if (percent < 1 || percent > 100) {
                throw new InvalidEventException("CheckpointPercentage must be 1-100 (got " + percent + ")");
            }
            return new VerifyRequest(Phase.CHECKPOINT, group, refreshId, percent, number(detail, "CheckpointDelay", false),
                    null, dryRun);
        }
        return new VerifyRequest(Phase.SUCCEEDED, group, refreshId, null, null, null, dryRun);
    }

    /** Auto Scaling sends the numbers as strings ("50"); a number is accepted too. */
    private static Integer number(JsonNode detail, String field, boolean required) {
        String text = Json.text(detail, field);
        if (text == null) {
            if (required) {
                throw new InvalidEventException("the event detail has no '" + field + "'");
            }
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidEventException("'" + field + "' is not a whole number: '" + text + "'");
        }
    }

    private static boolean dryRun(JsonNode event) {
        JsonNode value = event.get("dryRun");
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidEventException("'dryRun' must be true or false");
        }
        return value.booleanValue();
    }

    private static void strict(JsonNode node, Set<String> allowed, String what) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidEventException(what + " has unknown field(s) " + unknown + " (allowed: " + new java.util.TreeSet<>(allowed) + ")");
        }
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
