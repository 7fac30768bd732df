package io.amirollout.verifier;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notices refresh-verifier sends (README "Notices" has the exact {@code details} shape slack-notifier renders):
 * TESTS_PASSED, TESTS_FAILED, then ROLLBACK_STARTED (rollback or roll forward begun) or ROLLBACK_FAILED (a person
 * must act). Every one carries {@code details.checks = [{name, passed, status, evidence}]}.
 */
final class VerifierNotices {

    private final NotificationPublisher publisher;

    VerifierNotices(NotificationPublisher publisher) {
        this.publisher = publisher;
    }

    /** The facts every notice of one verification shares. */
    record Subject(String group, String refreshId, String imageId, String toVersion, Phase phase, Integer checkpoint,
                   String correlationId, boolean dryRun) {
    }

    void passed(Subject s, List<CheckResult> checks, Instant now) {
        publisher.publish(base(NotificationKind.TESTS_PASSED, s, title(s, "ASG tests passed for " + s.group() + where(s)), now)
                .detail("checks", checks(checks)).build());
    }

    void failed(Subject s, List<CheckResult> checks, String undo, List<String> plan, Instant now) {
        CheckResult first = checks.stream().filter(c -> c.status() == CheckResult.Status.FAILED).findFirst().orElse(null);
        publisher.publish(base(NotificationKind.TESTS_FAILED, s, title(s, "ASG tests failed for " + s.group() + where(s)
                        + (first == null ? "" : ": " + first.name())), now)
                .detail("failedCheck", first == null ? null : first.name())
                .detail("reason", first == null ? null : first.evidence())
                .detail("checks", checks(checks))
                .detail("undo", undo)
                .detail("plan", plan.isEmpty() ? null : plan)
                .build());
    }

    void undone(Subject s, UndoApplier.Applied applied, CheckResult failure, Instant now) {
        boolean ok = applied.outcome() == UndoPlan.Outcome.ROLLBACK || applied.outcome() == UndoPlan.Outcome.ROLL_FORWARD;
        boolean cannot = applied.outcome() == UndoPlan.Outcome.CANNOT_UNDO;
        if (!ok && !cannot) {
            return; // already undone by someone else, or nothing to undo: TESTS_FAILED says so
        }
        String verb = applied.outcome() == UndoPlan.Outcome.ROLL_FORWARD ? "rolling forward" : "starting rollback";
        NotificationKind kind = cannot ? NotificationKind.ROLLBACK_FAILED : NotificationKind.ROLLBACK_STARTED;
        String title = cannot ? "ASG tests failed for " + s.group() + ", and the refresh could not be undone: " + applied.summary()
                : "ASG tests failed for " + s.group() + ", " + verb;
        publisher.publish(base(kind, s, title(s, title), now)
                .severity(cannot ? Severity.ERROR : Severity.WARNING)
                .detail("action", applied.outcome().name())
                .detail("summary", applied.summary())
                .detail("failedCheck", failure == null ? null : failure.name())
                .detail("reason", failure == null ? null : failure.evidence())
                .detail("rejectedImageId", s.imageId())
                .detail("done", applied.done())
                .build());
    }

    void notTested(Subject s, String problem, Instant now) {
        publisher.publish(base(NotificationKind.TESTS_FAILED, s, title(s, "ASG tests not run for " + s.group()
                        + ": a test tag is malformed"), now)
                .severity(Severity.WARNING)
                .detail("reason", problem)
                .detail("undo", "NONE")
                .build());
    }

    private static Notification.Builder base(NotificationKind kind, Subject s, String title, Instant now) {
        return Notification.of(kind, title).time(now).correlationId(s.correlationId())
                .detail("autoScalingGroup", s.group())
                .detail("instanceRefreshId", s.refreshId())
                .detail("imageId", s.imageId())
                .detail("launchTemplateVersion", s.toVersion())
                .detail("phase", s.phase().name())
                .detail("checkpointPercentage", s.checkpoint())
                .detail("dryRun", s.dryRun());
    }

    private static String title(Subject s, String text) {
        return (s.dryRun() ? "[dry run] " : "") + text;
    }

    private static String where(Subject s) {
        return switch (s.phase()) {
            case CHECKPOINT -> " at the " + s.checkpoint() + "% checkpoint";
            case SUCCEEDED -> ", refresh complete";
            case MANUAL -> " (manual request)";
        };
    }

    static List<Map<String, Object>> checks(List<CheckResult> checks) {
        return checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("passed", c.passed());
            m.put("status", c.status().name());
            m.put("evidence", c.evidence());
            return m;
        }).toList();
    }
}
