package io.amirollout.zipcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes two runs' outcomes comparable by masking ONLY what differs from one run to the next whatever the
 * zip: wall-clock readings. Everything else the functions answer (ids, tokens, event times, ARNs) comes from
 * the samples or the stubs, or is derived from them, and must match exactly; a client token that turned
 * random in the shrunk zip, for instance, is exactly the kind of difference the check is for.
 */
final class ResultNormalizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The current time as {@code Instant.now()} prints it: sub-millisecond digits. Times in samples and
     * stubs have whole seconds or milliseconds, so they are compared as they are.
     */
    private static final Pattern NOW = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{4,9}Z");

    /** Keys that hold a measured duration (elapsed milliseconds and the like): they vary with the machine's load. */
    private static final Pattern DURATION_KEY = Pattern.compile("ms|.*(Ms|Millis|Seconds|Duration|Elapsed)", Pattern.CASE_INSENSITIVE);

    private ResultNormalizer() {
    }

    /** A launcher outcome ({@code OK <json>} or {@code THREW <type>: <message>}) with run-specific values masked. */
    static String normalize(String outcome) {
        if (outcome == null) {
            return "<no result>";
        }
        if (outcome.startsWith("OK ")) {
            try {
                return "OK " + JSON.writeValueAsString(mask(JSON.readTree(outcome.substring(3))));
            } catch (IOException notJson) {
                // A handler may answer something that is not JSON: compare its text.
            }
        }
        return NOW.matcher(outcome).replaceAll("<now>");
    }

    private static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                if (field.getValue().isNumber() && DURATION_KEY.matcher(field.getKey()).matches()) {
                    object.put(field.getKey(), "<duration>");
                } else {
                    object.set(field.getKey(), mask(field.getValue()));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i)));
            }
        } else if (node.isTextual()) {
            return new TextNode(NOW.matcher(node.asText()).replaceAll("<now>"));
        }
        return node;
    }
}
