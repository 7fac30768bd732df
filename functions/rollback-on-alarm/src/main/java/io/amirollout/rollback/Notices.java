package io.amirollout.rollback;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;

import java.time.Clock;

/** Tells people what happened for each group: one notice per undo, refusal or failure; nothing for duplicates. */
final class Notices {

    private final NotificationPublisher publisher;
    private final Clock clock;

    Notices(NotificationPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    GroupResult report(AlarmStateChange alarm, GroupResult result, boolean dryRun) {
        String group = result.autoScalingGroup();
        switch (result.outcome()) {
            case ROLLBACK_STARTED -> publish(alarm, NotificationKind.ROLLBACK_STARTED, null,
                    "Rolling back instance refresh on " + group + " (alarm " + alarm.alarmName() + ")", result, dryRun);
            case ROLL_FORWARD_STARTED -> publish(alarm, NotificationKind.ROLLBACK_STARTED, null,
                    "Rolling " + group + " forward to launch-template version " + result.toVersion()
                            + " (alarm " + alarm.alarmName() + ")", result, dryRun);
            case WOULD_ROLL_BACK, WOULD_ROLL_FORWARD -> publish(alarm, NotificationKind.ROLLBACK_STARTED, Severity.INFO,
                    "[dry run] Would " + (result.outcome() == GroupOutcome.WOULD_ROLL_BACK ? "roll back" : "roll forward")
                            + " " + group + " (alarm " + alarm.alarmName() + ")", result, dryRun);
            case CANCELLED_NOT_ROLLED_BACK -> publish(alarm, NotificationKind.ROLLBACK_FAILED, Severity.ERROR,
                    "Refresh on " + group + " CANCELLED, NOT rolled back (alarm " + alarm.alarmName() + ")", result, dryRun);
            case FAILED -> failure(alarm, result, dryRun);
            case NOTHING_TO_UNDO -> publish(alarm, NotificationKind.ROLLBACK_SKIPPED,
                    // A failed rollback may leave a mix of versions: worth a look even though we cannot act.
                    "RollbackFailed".equals(result.refreshStatus()) ? Severity.WARNING : null,
                    "Alarm " + alarm.alarmName() + ": nothing to undo on " + group, result, dryRun);
            case ALREADY_UNDOING -> Log.info("already undoing; duplicate alarm changes nothing", "autoScalingGroup", group,
                    "reason", result.reason(), "plan", String.join(" | ", result.plan()));
        }
        return result;
    }

    GroupResult failure(AlarmStateChange alarm, GroupResult result, boolean dryRun) {
        Log.error("rollout NOT undone", "autoScalingGroup", result.autoScalingGroup(), "reason", result.reason());
        publish(alarm, NotificationKind.ROLLBACK_FAILED, Severity.ERROR, "Rollback FAILED for "
                + result.autoScalingGroup() + " (alarm " + alarm.alarmName() + ")", result, dryRun);
        return result;
    }

    private void publish(AlarmStateChange alarm, NotificationKind kind, Severity severity, String title,
                         GroupResult result, boolean dryRun) {
        Notification.Builder notice = Notification.of(kind, title)
                .severity(severity)
                .accountId(alarm.accountId())
                .correlationId(alarm.correlationId())
                .time(clock.instant())
                .detail("alarmName", alarm.alarmName())
                .detail("alarmKind", alarm.kind().name())
                .detail("alarmTransition", alarm.transition())
                .detail("alarmReason", alarm.reason())
                .detail("autoScalingGroup", result.autoScalingGroup())
                .detail("outcome", result.outcome().name())
                .detail("reason", result.reason())
                .detail("instanceRefreshId", result.instanceRefreshId())
                .detail("refreshStatus", result.refreshStatus())
                .detail("newInstanceRefreshId", result.newInstanceRefreshId())
                .detail("fromVersion", result.fromVersion())
                .detail("toVersion", result.toVersion())
                .detail("plan", result.plan().isEmpty() ? null : String.join("\n", result.plan()))
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
        if (alarm.region() != null) {
            notice.region(alarm.region());
        }
        publisher.publish(notice.build());
    }
}
