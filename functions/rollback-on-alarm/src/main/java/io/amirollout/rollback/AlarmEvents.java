package io.amirollout.rollback;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsEnvelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the three ways CloudWatch tells us an alarm changed state into {@link AlarmStateChange}s:
 * <ul>
 *   <li>the EventBridge "CloudWatch Alarm State Change" event ({@code detail.alarmName}, {@code detail.state.value},
 *       {@code detail.previousState.value});</li>
 *   <li>the alarm notification CloudWatch publishes to an SNS topic, wrapped in the Lambda SNS event
 *       ({@code Records[].Sns.Message} is a JSON string with {@code AlarmName}, {@code NewStateValue},
 *       {@code OldStateValue});</li>
 *   <li>the payload an alarm action sends when it invokes Lambda directly ({@code source: aws.cloudwatch},
 *       {@code alarmData.alarmName}, {@code alarmData.state.value}, {@code alarmData.previousState.value}).</li>
 * </ul>
 * Metric, metric-math and composite alarms differ only in {@code configuration}; that is read for the
 * {@link AlarmKind} and never required.
 */
final class AlarmEvents {

    static final String SOURCE = "aws.cloudwatch";
    static final String STATE_CHANGE = "CloudWatch Alarm State Change";

    private AlarmEvents() {
    }

    /** Every alarm state change in the event; an unknown shape or a missing field is an {@link InvalidEventException}. */
    static List<AlarmStateChange> parse(JsonNode node) {
        if (SnsEnvelope.looksLike(node)) {
            List<AlarmStateChange> changes = new ArrayList<>();
            for (SNSEvent.SNSRecord record : SnsEnvelope.from(node).getRecords()) {
                changes.add(fromSnsMessage(record.getSNS().getMessage(), record.getSNS().getMessageId()));
            }
            return changes;
        }
        if (EventBridgeEvent.looksLike(node)) {
            return List.of(fromEventBridge(EventBridgeEvent.from(node)));
        }
        if (node.isObject() && node.has("alarmData")) {
            return List.of(fromAlarmAction(node));
        }
        throw new InvalidEventException("not a CloudWatch alarm event: expected an EventBridge '" + STATE_CHANGE
                + "' event, an SNS alarm notification (Records[].Sns.Message) or an alarm-action payload (alarmData)");
    }

    static AlarmStateChange fromEventBridge(EventBridgeEvent event) {
        if (!event.is(SOURCE, STATE_CHANGE)) {
            throw new InvalidEventException("the EventBridge event is '" + event.detailType() + "' from " + event.source()
                    + ", not '" + STATE_CHANGE + "' from " + SOURCE + "; this function only acts on alarm state changes");
        }
        JsonNode detail = event.detail();
        JsonNode state = detail.get("state");
        JsonNode previous = detail.get("previousState");
        JsonNode mute = detail.get("muteDetail");
        String alarmArn = event.resources().isEmpty() ? null : event.resources().get(0);
        return new AlarmStateChange(
                Json.requiredText(detail, "alarmName", "the alarm state change detail"),
                alarmArn,
                kindOf(detail.get("configuration")),
                Json.requiredText(state, "value", "the alarm state change detail.state"),
                Json.text(previous, "value"),
                Json.text(state, "reason"),
                Json.text(state, "actionsSuppressedBy"),
                Json.text(previous, "actionsSuppressedBy"),
                mute != null && mute.isObject() ? firstNonNull(Json.text(mute, "mutedByArn"), "a mute rule") : null,
                event.account(), event.region(), event.time(), AlarmStateChange.Via.EVENTBRIDGE, event.id());
    }

    static AlarmStateChange fromAlarmAction(JsonNode node) {
        String source = Json.text(node, "source");
        if (source != null && !SOURCE.equals(source)) {
            throw new InvalidEventException("the alarm-action payload comes from '" + source + "', not " + SOURCE);
        }
        JsonNode data = node.get("alarmData");
        if (data == null || !data.isObject()) {
            throw new InvalidEventException("the alarm-action payload has no 'alarmData' object");
        }
        JsonNode state = data.get("state");
        JsonNode previous = data.get("previousState");
        return new AlarmStateChange(
                Json.requiredText(data, "alarmName", "the alarm-action payload's alarmData"),
                Json.text(node, "alarmArn"),
                kindOf(data.get("configuration")),
                Json.requiredText(state, "value", "the alarm-action payload's alarmData.state"),
                Json.text(previous, "value"),
                Json.text(state, "reason"),
                Json.text(state, "actionsSuppressedBy"),
                Json.text(previous, "actionsSuppressedBy"),
                null,
                Json.text(node, "accountId"), Json.text(node, "region"), Json.text(node, "time"),
                AlarmStateChange.Via.ALARM_ACTION, null);
    }

    static AlarmStateChange fromSnsMessage(String message, String messageId) {
        JsonNode alarm;
        try {
            alarm = Json.readTree(message);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("the SNS message is not a CloudWatch alarm notification (" + e.getMessage() + ")");
        }
        if (!alarm.isObject()) {
            throw new InvalidEventException("the SNS message is not a CloudWatch alarm notification (not a JSON object)");
        }
        AlarmKind kind = AlarmKind.UNKNOWN;
        JsonNode trigger = alarm.get("Trigger");
        if (alarm.hasNonNull("AlarmRule")) {
            kind = AlarmKind.COMPOSITE;
        } else if (trigger != null && trigger.isObject()) {
            kind = trigger.has("Metrics") ? metricsKind(trigger.get("Metrics"), "Expression") : AlarmKind.METRIC;
        }
        return new AlarmStateChange(
                Json.requiredText(alarm, "AlarmName", "the SNS alarm notification"),
                Json.text(alarm, "AlarmArn"),
                kind,
                Json.requiredText(alarm, "NewStateValue", "the SNS alarm notification"),
                Json.text(alarm, "OldStateValue"),
                Json.text(alarm, "NewStateReason"),
                null, null, null,
                Json.text(alarm, "AWSAccountId"),
                null, // SNS gives the region's display name ("EU (Ireland)"), not its code
                Json.text(alarm, "StateChangeTime"), AlarmStateChange.Via.SNS, messageId);
    }

    /** EventBridge and alarm-action {@code configuration}: alarmRule = composite; an expression = metric math. */
    static AlarmKind kindOf(JsonNode configuration) {
        if (configuration == null || !configuration.isObject()) {
            return AlarmKind.UNKNOWN;
        }
        if (configuration.hasNonNull("alarmRule")) {
            return AlarmKind.COMPOSITE;
        }
        return metricsKind(configuration.get("metrics"), "expression");
    }

    private static AlarmKind metricsKind(JsonNode metrics, String expressionField) {
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            return AlarmKind.UNKNOWN;
        }
        for (JsonNode metric : metrics) {
            if (metric.hasNonNull(expressionField)) {
                return AlarmKind.METRIC_MATH;
            }
        }
        return AlarmKind.METRIC;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
