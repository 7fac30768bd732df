package io.amirollout.rollback;

import java.util.Optional;

/**
 * Decides whether an alarm state change is one that should undo a rollout. Only a transition INTO
 * ALARM acts. Everything else is ignored with a reason:
 * <ul>
 *   <li>OK and INSUFFICIENT_DATA: the alarm is not firing;</li>
 *   <li>ALARM -> ALARM: a re-notification of an alarm we already acted on (SNS and EventBridge deliver
 *       at least once, composite alarms re-evaluate). Acting again would be harmless (the per-group status
 *       checks would find a rollback already running) but it would cost API calls and noise. The exception
 *       is a composite alarm whose previous ALARM had its actions suppressed (WaitPeriod / ExtensionPeriod):
 *       CloudWatch re-sends ALARM -> ALARM when the suppression ends, and that is the first time it asks
 *       for action;</li>
 *   <li>actions suppressed in the new state (composite alarm actions suppressor) or muted by an alarm mute
 *       rule: the alarm's owner said "do not act now". CloudWatch runs the actions (and sends the ALARM ->
 *       ALARM above) when a suppression ends.</li>
 * </ul>
 */
final class AlarmTriage {

    private AlarmTriage() {
    }

    /** Empty when the change should act; otherwise why it is ignored. */
    static Optional<String> reasonToIgnore(AlarmStateChange change) {
        if (!AlarmStateChange.ALARM.equals(change.state())) {
            return Optional.of("alarm '" + change.alarmName() + "' went to " + change.state()
                    + "; only a transition into ALARM rolls back");
        }
        if (change.actionsSuppressedBy() != null) {
            return Optional.of("alarm '" + change.alarmName() + "' is in ALARM but its actions are suppressed ("
                    + change.actionsSuppressedBy() + "); CloudWatch acts when the suppression ends");
        }
        if (change.mutedBy() != null) {
            return Optional.of("alarm '" + change.alarmName() + "' is in ALARM but its actions are muted by "
                    + change.mutedBy());
        }
        if (AlarmStateChange.ALARM.equals(change.previousState()) && change.previousSuppressedBy() == null) {
            return Optional.of("alarm '" + change.alarmName() + "' was already in ALARM (re-notification); "
                    + "the transition into ALARM was acted on when it happened");
        }
        return Optional.empty();
    }
}
