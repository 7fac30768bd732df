package io.amirollout.shared;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The EventBridge envelope. {@code detail} stays a tree: each function binds it to its own value
 * type, because AWS services add fields to their details over time.
 */
public record EventBridgeEvent(String version, String id, String detailType, String source, String account,
                               String time, String region, List<String> resources, JsonNode detail) {

    /** True when the tree carries the envelope's identifying fields. */
    public static boolean looksLike(JsonNode node) {
        return node != null && node.isObject() && node.hasNonNull("detail-type") && node.hasNonNull("source");
    }

    /** Reads the envelope; a missing detail-type, source or detail object is an {@link InvalidEventException}. */
    public static EventBridgeEvent from(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("an EventBridge event must be a JSON object");
        }
        String detailType = Json.requiredText(node, "detail-type", "the EventBridge event");
        String source = Json.requiredText(node, "source", "the EventBridge event");
        JsonNode detail = node.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new InvalidEventException("the EventBridge event '" + detailType + "' from " + source
                    + " has no 'detail' object");
        }
        List<String> resources = new ArrayList<>();
        JsonNode res = node.get("resources");
        if (res != null && res.isArray()) {
            res.forEach(r -> resources.add(r.asText()));
        }
        return new EventBridgeEvent(Json.text(node, "version"), Json.text(node, "id"), detailType, source,
                Json.text(node, "account"), Json.text(node, "time"), Json.text(node, "region"),
                List.copyOf(resources), detail);
    }

    public boolean is(String expectedSource, String expectedDetailType) {
        return expectedSource.equals(source) && expectedDetailType.equals(detailType);
    }
}
