package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A person's request for one group. Three forms:
 * <ul>
 *   <li>{@code {"autoScalingGroup":"web-asg","imageId":"ami-…","dryRun":false,"ignoreWindow":false}}: roll to
 *       this AMI (without {@code imageId}: the newest trusted AMI of the group's image name that is not rejected).
 *       The AMI becomes the group's desired image until a newer release arrives;</li>
 *   <li>{@code {"autoScalingGroup":"web-asg","imageId":"ami-…","force":true}}: the same, also for an AMI rejected
 *       for the group (the release record then says {@code forced}). {@code force} needs {@code imageId};</li>
 *   <li>{@code {"autoScalingGroup":"web-asg","reject":"ami-…","reason":"…"}}: record the AMI as rejected for the
 *       group; no automatic path starts it again.</li>
 * </ul>
 * Strict: unknown fields ({@code "dryrun"}, {@code "imageID"}) and wrong types are refused before any AWS call,
 * so a misspelt dry-run flag never leads to a real change.
 */
public record ManualRequest(String autoScalingGroup, String imageId, boolean dryRun, boolean ignoreWindow,
                            boolean force, String reject, String reason) {

    static final String AMI_ID = "ami-[0-9a-f]{8,17}";
    static final Set<String> FIELDS = Set.of("autoScalingGroup", "imageId", "dryRun", "ignoreWindow", "force", "reject", "reason");
    /** Auto Scaling group names: 1-255 characters, no colon (ARNs are not names). */
    static final String GROUP_NAME = "[^:]{1,255}";

    public ManualRequest(String autoScalingGroup, String imageId, boolean dryRun, boolean ignoreWindow) {
        this(autoScalingGroup, imageId, dryRun, ignoreWindow, false, null, null);
    }

    public static boolean looksLike(JsonNode node) {
        return node != null && node.isObject() && node.has("autoScalingGroup");
    }

    /** Reads and validates the request; every problem is named in one {@link InvalidEventException}. */
    public static ManualRequest from(JsonNode node) {
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + name + "' (accepted: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String group = text(node, "autoScalingGroup", problems);
        if (group == null && !problems.stream().anyMatch(p -> p.startsWith("autoScalingGroup"))) {
            problems.add("autoScalingGroup is missing or empty");
        } else if (group != null && !group.matches(GROUP_NAME)) {
            problems.add("autoScalingGroup '" + group + "' is not a group name (1-255 characters, no ':')");
        }
        String imageId = amiId(node, "imageId", problems);
        String reject = amiId(node, "reject", problems);
        String reason = text(node, "reason", problems);
        boolean dryRun = flag(node, "dryRun", problems);
        boolean ignoreWindow = flag(node, "ignoreWindow", problems);
        boolean force = flag(node, "force", problems);
        if (force && imageId == null && node.get("imageId") == null) {
            problems.add("force needs imageId: only an AMI named by a person can be forced past a rejection");
        }
        if (reject != null && (node.has("imageId") || force || ignoreWindow)) {
            problems.add("reject cannot be combined with imageId, force or ignoreWindow");
        }
        if (reason != null && reject == null) {
            problems.add("reason only goes with reject");
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid manual request: " + String.join("; ", problems));
        }
        return new ManualRequest(group, imageId, dryRun, ignoreWindow, force, reject, reason);
    }

    private static String text(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(field + " must be a string");
            return null;
        }
        String text = value.textValue().trim();
        return text.isEmpty() ? null : text;
    }

    private static String amiId(JsonNode node, String field, List<String> problems) {
        String value = text(node, field, problems);
        if (value != null && !value.matches(AMI_ID)) {
            problems.add(field + " '" + value + "' is not an AMI id (ami- and 8 to 17 hexadecimal digits)");
            return null;
        }
        return value;
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
