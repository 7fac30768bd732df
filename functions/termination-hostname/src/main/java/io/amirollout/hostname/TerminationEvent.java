package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the three events that say an instance is going away, read into one shape:
 * <ul>
 *   <li>"EC2 Instance-terminate Lifecycle Action" (aws.autoscaling): the group's terminate lifecycle hook
 *       holds the instance in Terminating:Wait; its tags are certainly there, and the action must be
 *       completed afterwards;</li>
 *   <li>"EC2 Instance State-change Notification" (aws.ec2), state {@code shutting-down}: tags still attached;</li>
 *   <li>the same, state {@code terminated}: the fallback. The EC2 User Guide ("Terminate your instance"):
 *       "After an instance is terminated, resources such as tags and volumes are gradually disassociated
 *       from the instance and may no longer be visible on the terminated instance after a short while."</li>
 * </ul>
 * The instance id is trimmed (AWS's own EventBridge samples carry {@code " i-…"}) and then validated
 * exactly: {@code i-} and 8 or 17 lower-case hex digits. Anything else is bad input, answered without an
 * AWS call (EC2 would only answer {@code InvalidInstanceID.Malformed}).
 *
 * @param original   the event exactly as received (what is forwarded, with fields added)
 * @param eventId    the EventBridge event id
 * @param instanceId the validated instance id
 * @param trigger    {@code lifecycle-action} or the EC2 state (trimmed, lower case)
 * @param lifecycle  the lifecycle action to complete; null for EC2 state changes
 */
public record TerminationEvent(JsonNode original, String eventId, String instanceId, String trigger,
                               String account, String region, LifecycleAction lifecycle) {

    static final String EC2_SOURCE = "aws.ec2";
    static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    static final String AUTOSCALING_SOURCE = "aws.autoscaling";
    static final String TERMINATE_ACTION = "EC2 Instance-terminate Lifecycle Action";
    static final String LIFECYCLE_TRIGGER = "lifecycle-action";
    static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

    /** Exactly what EC2 issues: the old 8-digit and the current 17-digit form, lower-case hex. */
    static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern INSTANCE_ARN = Pattern.compile(":instance/(i-[^/\\s]+)$");

    /**
     * The terminate lifecycle action, as Auto Scaling sends it to EventBridge (Auto Scaling User Guide's
     * example event: detail fields LifecycleActionToken, AutoScalingGroupName, LifecycleHookName, EC2InstanceId,
     * LifecycleTransition "autoscaling:EC2_INSTANCE_TERMINATING", NotificationMetadata, and in current events
     * Origin and Destination, e.g. "AutoScalingGroup" to "EC2", or to "WarmPool" for warm pools).
     *
     * @param destination {@code EC2} (terminated) or {@code WarmPool} (the instance goes back to the warm
     *                    pool and lives on); absent in older events, which means EC2
     */
    public record LifecycleAction(String groupName, String hookName, String token, String destination) {

        /** True when the instance really goes away (not back into a warm pool). */
        public boolean terminates() {
            return destination == null || !"WarmPool".equalsIgnoreCase(destination);
        }
    }

    public boolean isLifecycleAction() {
        return lifecycle != null;
    }

    public static TerminationEvent from(JsonNode node) {
        EventBridgeEvent event = EventBridgeEvent.from(node);
        if (event.is(EC2_SOURCE, STATE_CHANGE)) {
            String id = instanceId(Json.text(event.detail(), "instance-id"), event, "detail.instance-id");
            String state = Json.requiredText(event.detail(), "state", "the EC2 state-change detail").trim()
                    .toLowerCase(Locale.ROOT);
            return new TerminationEvent(node, event.id(), id, state, event.account(), event.region(), null);
        }
        if (event.is(AUTOSCALING_SOURCE, TERMINATE_ACTION)) {
            JsonNode detail = event.detail();
            String transition = Json.text(detail, "LifecycleTransition");
            if (transition != null && !TERMINATING.equals(transition.trim())) {
                throw new InvalidEventException("detail.LifecycleTransition is '" + transition + "', not " + TERMINATING);
            }
            String id = instanceId(Json.requiredText(detail, "EC2InstanceId", "the lifecycle action detail"), event,
                    "detail.EC2InstanceId");
            LifecycleAction action = new LifecycleAction(
                    Json.requiredText(detail, "AutoScalingGroupName", "the lifecycle action detail").trim(),
                    Json.requiredText(detail, "LifecycleHookName", "the lifecycle action detail").trim(),
                    Json.requiredText(detail, "LifecycleActionToken", "the lifecycle action detail").trim(),
                    Json.text(detail, "Destination"));
            return new TerminationEvent(node, event.id(), id, LIFECYCLE_TRIGGER, event.account(), event.region(), action);
        }
        throw new InvalidEventException("the event is '" + event.detailType() + "' from " + event.source()
                + ", not '" + STATE_CHANGE + "' from " + EC2_SOURCE + " nor '" + TERMINATE_ACTION + "' from "
                + AUTOSCALING_SOURCE);
    }

    private static String instanceId(String given, EventBridgeEvent event, String field) {
        String id = given;
        if (id == null) {
            // EC2 always sends the instance ARN in resources as well.
            id = event.resources().stream().map(INSTANCE_ARN::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new InvalidEventException("the event names no instance (" + field + ")"));
        }
        id = id.trim();
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new InvalidEventException(field + " '" + id + "' is not an EC2 instance id (i- and 8 or 17 "
                    + "lower-case hex digits)");
        }
        return id;
    }
}
