package io.amirollout.janitor;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The janitor's notices: one per kind per run (AMI_MARKED, AMI_DEREGISTERED, AMI_UNMARKED), each listing
 * image, name, age and region as a table; a dry run sends one notice with the plan table instead.
 */
final class JanitorNotices {

    private final NotificationPublisher publisher;
    private final String accountId;

    JanitorNotices(NotificationPublisher publisher, String accountId) {
        this.publisher = publisher;
        this.accountId = accountId;
    }

    void publish(JanitorResult result, Instant now) {
        if (result.dryRun()) {
            List<AmiPlan> changes = result.outcomes().stream().map(AmiOutcome::plan)
                    .filter(p -> p.changes() || p.action() == AmiPlan.Action.WAIT).toList();
            if (changes.isEmpty()) {
                return;
            }
            publisher.publish(base(NotificationKind.AMI_MARKED, "[dry run] ami-janitor would mark " + result.marked()
                    + ", deregister " + result.deregistered() + " and unmark " + result.unmarked() + " AMI(s)", now, changes)
                    .detail("dryRun", Boolean.TRUE)
                    .detail("complete", result.complete())
                    .build());
            return;
        }
        send(result, AmiPlan.Action.MARK, NotificationKind.AMI_MARKED, "marked for deregistration", now);
        send(result, AmiPlan.Action.DEREGISTER, NotificationKind.AMI_DEREGISTERED, "deregistered with their unshared snapshots", now);
        send(result, AmiPlan.Action.UNMARK, NotificationKind.AMI_UNMARKED, "no longer marked (in use or protected again)", now);
        List<AmiOutcome> failed = result.outcomes().stream().filter(o -> o.status() == AmiOutcome.Status.FAILED).toList();
        if (!failed.isEmpty()) {
            publisher.publish(base(NotificationKind.AMI_DEREGISTERED, failed.size() + " AMI change(s) refused by EC2", now,
                    failed.stream().map(AmiOutcome::plan).toList())
                    .severity(Severity.ERROR)
                    .detail("errors", failed.stream().map(o -> o.plan().imageId() + ": " + o.detail()).toList())
                    .build());
        }
    }

    private void send(JanitorResult result, AmiPlan.Action action, NotificationKind kind, String what, Instant now) {
        List<AmiPlan> plans = result.outcomes().stream()
                .filter(o -> o.status() == AmiOutcome.Status.DONE && o.plan().action() == action)
                .map(AmiOutcome::plan).toList();
        if (!plans.isEmpty()) {
            publisher.publish(base(kind, plans.size() + " AMI(s) " + what, now, plans).build());
        }
    }

    private Notification.Builder base(NotificationKind kind, String title, Instant now, List<AmiPlan> plans) {
        List<Map<String, Object>> amis = plans.stream().map(p -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("imageId", p.imageId());
            row.put("name", p.name());
            row.put("region", p.region());
            row.put("ageDays", p.ageDays());
            row.put("action", p.action().name());
            if (p.deregisterAfter() != null) {
                row.put("deregisterAfter", p.deregisterAfter().toString());
            }
            if (!p.snapshotsToDelete().isEmpty() || !p.snapshotsKept().isEmpty()) {
                row.put("snapshotsDeleted", p.snapshotsToDelete());
                row.put("snapshotsKept", p.snapshotsKept());
            }
            row.put("why", String.join("; ", p.reasons()));
            return row;
        }).toList();
        return Notification.of(kind, title)
                .time(now)
                .accountId(accountId)
                .detail("regions", List.copyOf(new TreeSet<>(plans.stream().map(AmiPlan::region).toList())))
                .detail("amis", amis)
                .detail("table", PlanTable.render(plans));
    }
}
