package io.amirollout.hostname;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.hostname.HostnameSources.Resolution;
import io.amirollout.shared.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message the listeners read (contract: docs/termination-hostname-message.schema.json): the original
 * EventBridge event with, under {@code detail}, the validated {@code instance-id} (set on lifecycle actions,
 * whose own field is {@code EC2InstanceId}, and trimmed on hand-made events), {@code hostname} (or null),
 * {@code hostnameSource}, {@code trigger}, the instance's {@code tags}, and a {@code reason} when there is no
 * hostname. Every other field stays as received, so an existing listener keeps working.
 */
final class HostnameMessage {

    private HostnameMessage() {
    }

    static String body(TerminationEvent event, Resolution resolution, Map<String, String> tags) {
        ObjectNode message = event.original().deepCopy();
        message.remove("dryRun"); // ours, not AWS's: never forwarded
        ObjectNode detail = (ObjectNode) message.get("detail");
        detail.put("instance-id", event.instanceId());
        if (resolution.found()) {
            detail.put("hostname", resolution.hostname());
            detail.put("hostnameSource", resolution.source());
        } else {
            detail.putNull("hostname");
            detail.putNull("hostnameSource");
            detail.put("reason", resolution.reason());
        }
        detail.put("trigger", event.trigger());
        ObjectNode tagNode = detail.putObject("tags");
        new java.util.TreeMap<>(tags).forEach(tagNode::put);
        try {
            return Json.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the hostname message", e);
        }
    }

    /** SNS message attributes (all String), for subscription filter policies. SNS rejects empty values. */
    static Map<String, String> attributes(TerminationEvent event, Resolution resolution) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("instanceId", event.instanceId());
        attributes.put("trigger", event.trigger());
        attributes.put("hostnameFound", Boolean.toString(resolution.found()));
        if (resolution.found()) {
            attributes.put("hostname", resolution.hostname());
        }
        if (event.eventId() != null && !event.eventId().isBlank()) {
            attributes.put("eventId", event.eventId());
        }
        return attributes;
    }
}
