package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A person's request for the organization-wide status of a release:
 * {@code {"status": "<image build version arn>" | "latest", "notify": true}}. {@code notify} (default false)
 * also sends the summary to Slack (a RELEASE_STATUS notice). Unknown fields are refused (our own input).
 */
record ReleaseStatusRequest(String release, boolean sendToSlack) {

    static final String LATEST = "latest";
    static final Pattern IMAGE_ARN = Pattern.compile("^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\\d{12}:image/[^/]+/[^/]+/\\d+$");
    private static final Set<String> FIELDS = Set.of("status", "notify");

    /** True when the event is a status request (a top-level "status" field), whatever else it holds. */
    static boolean looksLike(JsonNode event) {
        return event != null && event.isObject() && event.has("status");
    }

    static ReleaseStatusRequest from(JsonNode event) {
        event.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidEventException("status request: unknown field '" + name + "' (allowed: status, notify)");
            }
        });
        JsonNode status = event.get("status");
        if (status == null || !status.isTextual()) {
            throw new InvalidEventException("status request: 'status' must be an image build version ARN or \"latest\"");
        }
        String release = status.asText().trim();
        if (!release.equals(LATEST) && !IMAGE_ARN.matcher(release).matches()) {
            throw new InvalidEventException("status request: '" + release + "' is neither \"latest\" nor an image build "
                    + "version ARN (arn:aws:imagebuilder:<region>:<account>:image/<name>/<version>/<build>)");
        }
        JsonNode notify = event.get("notify");
        if (notify != null && !notify.isBoolean()) {
            throw new InvalidEventException("status request: 'notify' must be true or false");
        }
        return new ReleaseStatusRequest(release, notify != null && notify.asBoolean());
    }

    boolean latest() {
        return release.equals(LATEST);
    }
}
