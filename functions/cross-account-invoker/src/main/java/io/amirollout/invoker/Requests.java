package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;

import java.util.Iterator;
import java.util.Set;

/**
 * The requests that are ours (a person's or this function's own), told apart by their one top-level field;
 * anything else is read as an image notice ({@link ImageEvents}). Our inputs refuse unknown fields.
 * <ul>
 *   <li>{@code {"redrive": "<image build version arn>", "dryRun": false}}: retry what was not invoked;</li>
 *   <li>{@code {"continuation": {"imageArn": ..., "round": n, "notBefore": "<instant>"}}}: carry a fan-out on.</li>
 * </ul>
 * A new kind of request is one more constant and one more case in the handler's switch.
 */
final class Requests {

    enum Kind { REDRIVE, CONTINUATION, IMAGE_NOTICE }

    static final String IMAGE_ARN = "^arn:aws[^:]*:imagebuilder:[^:]+:[0-9]{12}:image/[a-z0-9-_]+/[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+$";

    private Requests() {
    }

    static Kind kind(JsonNode event) {
        if (event.has("redrive")) {
            return Kind.REDRIVE;
        }
        if (event.has("continuation")) {
            return Kind.CONTINUATION;
        }
        return Kind.IMAGE_NOTICE;
    }

    static String redriveArn(JsonNode event) {
        onlyFields(event, Set.of("redrive", "dryRun"), "a redrive request");
        String arn = event.get("redrive").asText("");
        if (!arn.matches(IMAGE_ARN)) {
            throw new InvalidEventException("'redrive' must be an image build version ARN "
                    + "(arn:aws:imagebuilder:<region>:<account>:image/<name>/<x.y.z>/<build>), got '" + arn + "'");
        }
        return arn;
    }

    static Continuations.Continuation continuation(JsonNode event) {
        onlyFields(event, Set.of("continuation"), "a continuation");
        JsonNode c = event.get("continuation");
        onlyFields(c, Set.of("imageArn", "round", "notBefore"), "a continuation");
        String arn = c.path("imageArn").asText("");
        if (!arn.matches(IMAGE_ARN)) {
            throw new InvalidEventException("continuation.imageArn must be an image build version ARN, got '" + arn + "'");
        }
        String notBefore = c.path("notBefore").isNull() || c.path("notBefore").isMissingNode() ? null : c.get("notBefore").asText();
        try {
            if (notBefore != null) {
                java.time.Instant.parse(notBefore);
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidEventException("continuation.notBefore must be an ISO-8601 instant, got '" + notBefore + "'");
        }
        return new Continuations.Continuation(arn, c.path("round").asInt(0), notBefore);
    }

    static boolean dryRun(JsonNode event) {
        JsonNode dryRun = event.get("dryRun");
        return dryRun != null && dryRun.asBoolean(false);
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String what) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(what + " must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidEventException(what + " has an unknown field '" + name + "' (allowed: " + allowed + ")");
            }
        }
    }
}
