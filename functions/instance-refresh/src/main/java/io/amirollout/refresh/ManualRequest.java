package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A person's request for one group:
 * {@code {"autoScalingGroup":"web-asg","imageId":"ami-…","dryRun":false,"ignoreWindow":false}}.
 * Without {@code imageId} the newest trusted AMI matching the group's image name is used. The
 * group's maintenance window still applies unless {@code ignoreWindow} is true.
 */
public record ManualRequest(String autoScalingGroup, String imageId, boolean dryRun, boolean ignoreWindow) {

    static final String AMI_ID = "ami-[0-9a-f]{8,17}";

    public static boolean looksLike(JsonNode node) {
        return node != null && node.isObject() && node.has("autoScalingGroup");
    }

    /** Reads and validates the request; every problem is named in one {@link InvalidEventException}. */
    public static ManualRequest from(JsonNode node) {
        List<String> problems = new ArrayList<>();
        String group = Json.text(node, "autoScalingGroup");
        if (group == null) {
            problems.add("autoScalingGroup is missing or empty");
        } else if (group.length() > 255) {
            problems.add("autoScalingGroup is longer than 255 characters");
        }
        String imageId = Json.text(node, "imageId");
        if (imageId != null && !imageId.matches(AMI_ID)) {
            problems.add("imageId '" + imageId + "' is not an AMI id (ami-…)");
        }
        boolean dryRun = flag(node, "dryRun", problems);
        boolean ignoreWindow = flag(node, "ignoreWindow", problems);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid manual request: " + String.join("; ", problems));
        }
        return new ManualRequest(group, imageId, dryRun, ignoreWindow);
    }

    private static boolean flag(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problems.add(field + " must be true or false");
            return false;
        }
        return value.booleanValue();
    }
}
