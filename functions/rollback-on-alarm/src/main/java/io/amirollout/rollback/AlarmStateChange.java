package io.amirollout.rollback;

import java.util.Locale;

/**
 * One alarm state change, whichever way it reached us (EventBridge, SNS, or a direct alarm action).
 *
 * @param alarmName            the alarm's name (matched against the {@code ami-rollout:alarms} tag)
 * @param alarmArn             its ARN when the event carries one (also accepted in the tag)
 * @param kind                 metric, metric math or composite (informational)
 * @param state                new state: ALARM, OK or INSUFFICIENT_DATA
 * @param previousState        previous state, null when the event does not say
 * @param reason               CloudWatch's state reason, for people
 * @param actionsSuppressedBy  composite alarms: why actions are suppressed in the new state (WaitPeriod,
 *                             ExtensionPeriod, Alarm), null when they are not
 * @param previousSuppressedBy the same for the previous state
 * @param mutedBy              the alarm mute rule that mutes the alarm's actions (EventBridge muteDetail)
 * @param accountId            account the alarm lives in
 * @param region               region code when the event gives one (SNS gives a display name, ignored)
 * @param time                 when the state changed
 * @param via                  EVENTBRIDGE, SNS or ALARM_ACTION
 * @param eventId              the EventBridge event id or SNS message id, for correlation
 */
public record AlarmStateChange(String alarmName, String alarmArn, AlarmKind kind, String state, String previousState,
                               String reason, String actionsSuppressedBy, String previousSuppressedBy, String mutedBy,
                               String accountId, String region, String time, Via via, String eventId) {

    public static final String ALARM = "ALARM";

    /** How the change reached this function. */
    public enum Via { EVENTBRIDGE, SNS, ALARM_ACTION }

    public AlarmStateChange {
        state = upper(state);
        previousState = upper(previousState);
        kind = kind == null ? AlarmKind.UNKNOWN : kind;
    }

    /** "OK -> ALARM", for logs and results. */
    public String transition() {
        return (previousState == null ? "?" : previousState) + " -> " + state;
    }

    /** Correlates logs and notices: the alarm ARN (or name) plus the state-change time. */
    public String correlationId() {
        String base = alarmArn != null ? alarmArn : alarmName;
        return time == null ? base : base + "@" + time;
    }

    private static String upper(String value) {
        return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    }
}
