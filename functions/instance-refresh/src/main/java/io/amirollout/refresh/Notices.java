package io.amirollout.refresh;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;

import java.time.Clock;

/** Turns a group's result into its notice (REFRESH_STARTED / DEFERRED / SKIPPED / FAILED). */
final class Notices {

    private final NotificationPublisher publisher;
    private final Clock clock;

    Notices(NotificationPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    void publish(GroupResult result, boolean dryRun, String accountId) {
        NotificationKind kind = switch (result.outcome()) {
            case STARTED -> NotificationKind.REFRESH_STARTED;
            case DEFERRED -> NotificationKind.REFRESH_DEFERRED;
            case FAILED -> NotificationKind.REFRESH_FAILED;
            case SKIPPED, UP_TO_DATE, ALREADY_IN_PROGRESS -> NotificationKind.REFRESH_SKIPPED;
            case REJECTED -> NotificationKind.AMI_REJECTED;
            case SUCCEEDED -> NotificationKind.REFRESH_SUCCEEDED;
            case NOT_CONVERGED -> NotificationKind.REFRESH_NOT_CONVERGED;
            case ROLLED_BACK -> NotificationKind.REFRESH_ROLLED_BACK;
            case REFRESH_FAILED -> NotificationKind.REFRESH_FAILED;
        };
        // A refusal (untrusted AMI, wrong architecture, bad tags…) needs a person; "nothing to do" does not.
        Severity severity = result.outcome() == GroupOutcome.SKIPPED || result.outcome() == GroupOutcome.ROLLED_BACK
                || result.outcome() == GroupOutcome.NOT_CONVERGED || result.outcome() == GroupOutcome.REFRESH_FAILED ? Severity.WARNING : kind.defaultSeverity();
        String verb = switch (result.outcome()) {
            case STARTED -> "started";
            case DEFERRED -> "deferred";
            case FAILED -> "failed";
            case SKIPPED -> "skipped";
            case UP_TO_DATE -> "not needed (up to date)";
            case ALREADY_IN_PROGRESS -> "already in progress";
            case REJECTED -> "refused from now on: AMI rejected";
            case SUCCEEDED -> "succeeded";
            case NOT_CONVERGED -> "succeeded, but instances still run the old version or AMI";
            case ROLLED_BACK -> "rolled back by Auto Scaling (AMI rejected)";
            case REFRESH_FAILED -> "ended without success";
        };
        try {
            publisher.publish(Notification.of(kind, (dryRun ? "[dry run] " : "") + "Instance refresh " + verb
                            + " for " + result.autoScalingGroup())
                    .severity(severity)
                    .accountId(accountId)
                    .time(clock.instant())
                    .detail("autoScalingGroup", result.autoScalingGroup())
                    .detail("outcome", result.outcome().name())
                    .detail("imageId", result.imageId())
                    .detail("launchTemplateId", result.launchTemplateId())
                    .detail("launchTemplateVersion", result.newVersion())
                    .detail("previousVersion", result.previousVersion())
                    .detail("instanceRefreshId", result.instanceRefreshId())
                    .detail("pinned", result.pinned())
                    .detail("dryRun", dryRun)
                    .detail("reason", result.reason())
                    .detail("plan", result.plan().isEmpty() ? null : String.join("\n", result.plan()))
                    .build());
        } catch (RuntimeException e) {
            Log.error("notice could not be built or sent; the group's outcome stands", e,
                    "autoScalingGroup", result.autoScalingGroup());
        }
    }
}
