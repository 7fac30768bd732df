package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Auto Scaling's "EC2 Auto Scaling Instance Refresh …" events: for a refresh the state table says we started,
 * the outcome is recorded (a Successful one only after the convergence check), and an AWS auto rollback rejects
 * the AMI for the group. A refresh we did not start, or an outcome already recorded, changes nothing.
 */
final class RefreshEventRecorder {

    private final GroupLedger ledger;
    private final ConvergenceCheck convergence;
    private final PlanApplier applier;
    private final Clock clock;

    RefreshEventRecorder(GroupLedger ledger, ConvergenceCheck convergence, PlanApplier applier, Clock clock) {
        this.ledger = ledger;
        this.convergence = convergence;
        this.applier = applier;
        this.clock = clock;
    }

    /** Auto Scaling reported a refresh event: for a refresh we started, record how it ended. */
    GroupResult record(EventBridgeEvent event, boolean dryRun) {
        JsonNode detail = event.detail();
        String group = Json.requiredText(detail, "AutoScalingGroupName", "the instance refresh event's detail");
        String refreshId = Json.requiredText(detail, "InstanceRefreshId", "the instance refresh event's detail");
        String status = RefreshOutcomes.STATUS_BY_EVENT.get(event.detailType().substring(RefreshOutcomes.EVENT_PREFIX.length()));
        GroupResult.Builder result = GroupResult.of(group).instanceRefreshId(refreshId);
        if (status == null) {
            return (result.quietly(GroupOutcome.UP_TO_DATE,
                    "'" + event.detailType() + "' does not end the refresh; nothing to record"));
        }
        Optional<GroupRelease> ours = ledger.releaseByRefresh(group, refreshId);
        if (ours.isEmpty()) {
            Log.info("a refresh this function did not start ended; nothing recorded", "autoScalingGroup", group, "refreshId", refreshId);
            return (result.quietly(GroupOutcome.SKIPPED,
                    "instance refresh " + refreshId + " was not started by instance-refresh; nothing to record"));
        }
        GroupRelease release = ours.get();
        List<String> laggards = "Successful".equals(status) && release.state() == ReleaseState.STARTED && release.toVersion() != null
                ? convergence.laggards(group, release.launchTemplateId(), release.toVersion(), release.imageId()) : List.of();
        List<Change> changes = RefreshOutcomes.record(release, status, laggards, clock.instant());
        GroupOutcome outcome = switch (status) {
            case "Successful" -> laggards.isEmpty() ? GroupOutcome.SUCCEEDED : GroupOutcome.NOT_CONVERGED;
            case "RollbackSuccessful" -> GroupOutcome.ROLLED_BACK;
            default -> GroupOutcome.REFRESH_FAILED;
        };
        String reason = "instance refresh " + refreshId + " to " + release.imageId() + " (version " + release.toVersion() + ") ended "
                + status + (laggards.isEmpty() ? "" : ", but " + laggards.size() + " instance(s) still run something else: "
                + String.join("; ", laggards)) + (changes.isEmpty() ? "; already recorded as " + release.state() : "; recorded")
                + (changes.stream().anyMatch(c -> c instanceof Change.Reject) ? ". " + release.imageId()
                + " is rejected for the group: no automatic path starts it again" : "");
        GroupPlan plan = new GroupPlan(group, outcome, reason, changes.isEmpty(), changes, release.imageId(), release.launchTemplateId(),
                release.fromVersion(), release.toVersion(), refreshId);
        return dryRun ? PlanApplier.dryRun(plan) : applier.apply(plan, null, null).result();
    }
}
