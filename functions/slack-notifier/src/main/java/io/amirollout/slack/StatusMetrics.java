package io.amirollout.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The groups per state of the release just reported, as CloudWatch metrics for the infra dashboard: one line
 * in the embedded metric format on stdout ("Lambda automatically sends everything that your function writes to
 * standard output to a CloudWatch Logs log group, and CloudWatch Logs extracts metrics from any log events that
 * follow the embedded metric format specification" — CloudWatch user guide, EMF with Lambda). Namespace
 * {@code ami-rollout}, metric {@code ReleaseGroups}, dimension {@code State}: a gauge, read with Maximum.
 */
final class StatusMetrics {

    static final String NAMESPACE = "ami-rollout";
    static final List<String> STATES = List.of("DEFERRED", "STARTED", "SUCCEEDED", "NOT_CONVERGED", "ROLLING_BACK",
            "ROLLED_BACK", "FAILED", "SKIPPED");

    private final PrintStream out;
    private final Clock clock;

    StatusMetrics(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** One EMF document per state (a document holds one set of dimension values). */
    void emit(Map<String, Integer> counts) {
        for (String state : STATES) {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            ObjectNode aws = doc.putObject("_aws");
            aws.put("Timestamp", clock.millis());
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", NAMESPACE);
            ArrayNode dimensions = directive.putArray("Dimensions");
            dimensions.addArray().add("State");
            directive.putArray("Metrics").addObject().put("Name", "ReleaseGroups").put("Unit", "Count");
            doc.put("State", state);
            doc.put("ReleaseGroups", counts.getOrDefault(state, 0));
            out.println(Json.write(doc));
        }
    }
}
