package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EventBridge "EC2 Instance State-change Notification", read tolerantly: AWS's own samples carry
 * an instance id with a leading space and upper-case states, so both are trimmed and the state is
 * lower-cased. The original tree is kept: it is what gets forwarded.
 *
 * @param original   the event exactly as received
 * @param eventId    the EventBridge event id (consumers deduplicate on it)
 * @param instanceId trimmed instance id
 * @param state      trimmed, lower-case state
 */
public record InstanceStateChange(JsonNode original, String eventId, String instanceId, String state,
                                  String account, String region) {

    static final String SOURCE = "aws.ec2";
    static final String DETAIL_TYPE = "EC2 Instance State-change Notification";
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-zA-Z]{1,32}");
    private static final Pattern INSTANCE_ARN = Pattern.compile(":instance/(i-[0-9a-zA-Z]+)$");

    public static InstanceStateChange from(JsonNode node) {
        EventBridgeEvent event = EventBridgeEvent.from(node);
        if (!event.is(SOURCE, DETAIL_TYPE)) {
            throw new InvalidEventException("the event is '" + event.detailType() + "' from " + event.source()
                    + ", not '" + DETAIL_TYPE + "' from " + SOURCE);
        }
        String instanceId = Json.text(event.detail(), "instance-id");
        if (instanceId == null) {
            // Fall back on the resource ARN, which EC2 always sends as well.
            instanceId = event.resources().stream().map(INSTANCE_ARN::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new InvalidEventException("the EC2 state-change detail has no 'instance-id'"));
        }
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw new InvalidEventException("detail.instance-id '" + instanceId + "' is not an EC2 instance id");
        }
        String state = Json.requiredText(event.detail(), "state", "the EC2 state-change detail").toLowerCase(Locale.ROOT);
        return new InstanceStateChange(node, event.id(), instanceId, state, event.account(), event.region());
    }
}
