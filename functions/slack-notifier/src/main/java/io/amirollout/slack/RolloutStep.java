package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsEnvelope;

import java.util.Map;
import java.util.Optional;

/**
 * One step of one instance refresh ({@code account, region, group, refresh id, step}), as reported by our own
 * notice and by Auto Scaling's own EventBridge event. The rule (README, "One message per rollout step"):
 * whichever of the two reaches slack-notifier first is posted, the other is suppressed. Steps:
 * <pre>
 *   our notice            Auto Scaling detail-type "EC2 Auto Scaling Instance Refresh …"   step
 *   REFRESH_STARTED       Started                                                         STARTED
 *   REFRESH_SUCCEEDED     Succeeded                                                       SUCCEEDED
 *   REFRESH_FAILED        Failed                                                          FAILED
 *   ROLLBACK_STARTED      Rollback Started                                                ROLLBACK_STARTED
 *   REFRESH_ROLLED_BACK   Rollback Succeeded                                              ROLLBACK_SUCCEEDED
 *   ROLLBACK_FAILED       Rollback Failed                                                 ROLLBACK_FAILED
 * </pre>
 * A notice needs {@code details.instanceRefreshId} and a group to be matched; a dry-run notice is never a
 * step (nothing happened in AWS, and it must not silence a real event). Checkpoint, baking and cancelled
 * events have no notice twin and are always posted, as are refreshes a person started by hand.
 */
final class RolloutStep {

    private RolloutStep() {
    }

    private static final Map<String, String> NOTICE_STEPS = Map.of(
            "REFRESH_STARTED", "STARTED", "REFRESH_SUCCEEDED", "SUCCEEDED", "REFRESH_FAILED", "FAILED",
            "ROLLBACK_STARTED", "ROLLBACK_STARTED", "REFRESH_ROLLED_BACK", "ROLLBACK_SUCCEEDED",
            "ROLLBACK_FAILED", "ROLLBACK_FAILED");
    private static final Map<String, String> EVENT_STEPS = Map.of(
            "Started", "STARTED", "Succeeded", "SUCCEEDED", "Failed", "FAILED",
            "Rollback Started", "ROLLBACK_STARTED", "Rollback Succeeded", "ROLLBACK_SUCCEEDED",
            "Rollback Failed", "ROLLBACK_FAILED");
    private static final String REFRESH_PREFIX = "EC2 Auto Scaling Instance Refresh ";

    /** The step key of an event (SNS-shaped notice or EventBridge event), if it reports a refresh step. */
    static Optional<String> of(JsonNode event) {
        try {
            if (SnsEnvelope.looksLike(event)) {
                if (event.get("Records").size() != 1) {
                    return Optional.empty();
                }
                String message = Json.text(event.get("Records").get(0).path("Sns"), "Message");
                if (message == null || !message.strip().startsWith("{")) {
                    return Optional.empty();
                }
                JsonNode inner = Json.readTree(message);
                return EventBridgeEvent.looksLike(inner) ? fromEvent(inner) : fromNotice(inner);
            }
            return EventBridgeEvent.looksLike(event) ? fromEvent(event) : Optional.empty();
        } catch (InvalidEventException e) {
            return Optional.empty();
        }
    }

    static Optional<String> fromNotice(JsonNode notice) {
        String step = NOTICE_STEPS.get(Json.text(notice, "kind"));
        JsonNode details = notice.path("details");
        Object dryRun = details.has("dryRun") ? details.get("dryRun").asText() : null;
        String outcome = Json.text(details, "outcome");
        if (step == null || "true".equalsIgnoreCase(String.valueOf(dryRun)) || (outcome != null && outcome.startsWith("WOULD_"))) {
            return Optional.empty();
        }
        String group = Json.text(details, "autoScalingGroup");
        String refresh = Json.text(details, "instanceRefreshId");
        return key(Json.text(notice, "accountId"), Json.text(notice, "region"), group, refresh, step);
    }

    static Optional<String> fromEvent(JsonNode event) {
        String type = Json.text(event, "detail-type");
        if (!"aws.autoscaling".equals(Json.text(event, "source")) || type == null || !type.startsWith(REFRESH_PREFIX)) {
            return Optional.empty();
        }
        String step = EVENT_STEPS.get(type.substring(REFRESH_PREFIX.length()));
        JsonNode detail = event.path("detail");
        return step == null ? Optional.empty() : key(Json.text(event, "account"), Json.text(event, "region"),
                Json.text(detail, "AutoScalingGroupName"), Json.text(detail, "InstanceRefreshId"), step);
    }

    private static Optional<String> key(String account, String region, String group, String refresh, String step) {
        if (account == null || region == null || group == null || refresh == null) {
            return Optional.empty();
        }
        return Optional.of("step#" + account + "#" + region + "#" + group + "#" + refresh + "#" + step);
    }
}
