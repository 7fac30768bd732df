package io.amirollout.refresh;

import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a refresh we started ended, recorded in the state of record: from Auto Scaling's EventBridge refresh
 * events, or from the refresh's status when a tick finds it ended without an event recorded. An AWS auto
 * rollback rejects the AMI for the group (by {@code aws-auto-rollback}): no automatic path starts it again.
 */
final class RefreshOutcomes {

    /** Event detail-type suffix ("EC2 Auto Scaling Instance Refresh …") → the refresh status it reports. */
    static final Map<String, String> STATUS_BY_EVENT = Map.of(
            "Succeeded", "Successful", "Failed", "Failed", "Cancelled", "Cancelled",
            "Rollback Succeeded", "RollbackSuccessful", "Rollback Failed", "RollbackFailed");

    static final String EVENT_PREFIX = "EC2 Auto Scaling Instance Refresh ";

    private RefreshOutcomes() {
    }

    /** The state a refresh status ends a release in, or empty while it still runs (or for a status that ends nothing). */
    static Optional<ReleaseState> stateFor(String status) {
        return Optional.ofNullable(switch (status) {
            case "Successful" -> ReleaseState.SUCCEEDED;
            case "RollbackSuccessful" -> ReleaseState.ROLLED_BACK;
            case "Failed", "Cancelled", "RollbackFailed" -> ReleaseState.FAILED;
            default -> null;
        });
    }

    /**
     * The changes that record {@code status} for our release: nothing when the record already says the refresh
     * ended (a duplicate event, or rollback-on-alarm recorded its roll-forward first).
     */
    static List<Change> record(GroupRelease release, String status, Instant now) {
        return record(release, status, List.of(), now);
    }

    /** @param laggards after a Successful refresh, the instances not on the target (empty: converged) */
    static List<Change> record(GroupRelease release, String status, List<String> laggards, Instant now) {
        Optional<ReleaseState> state = stateFor(status).map(s -> s == ReleaseState.SUCCEEDED && !laggards.isEmpty()
                ? ReleaseState.NOT_CONVERGED : s);
        List<Change> changes = new ArrayList<>();
        if (state.isEmpty() || release.state() != ReleaseState.STARTED) {
            return changes;
        }
        String reason = "instance refresh " + release.refreshId() + " ended " + status
                + (laggards.isEmpty() ? "" : "; not converged: " + String.join("; ", laggards));
        changes.add(new Change.RecordRelease(release.ended(state.get(), reason.length() > 2000 ? reason.substring(0, 2000) : reason, now)));
        if ("RollbackSuccessful".equals(status) || "RollbackFailed".equals(status)) {
            changes.add(new Change.Reject(new RejectedAmi(release.group(), release.imageId(), "aws-auto-rollback",
                    "Auto Scaling rolled back instance refresh " + release.refreshId() + " to version " + release.fromVersion()
                            + " (" + status + ")", release.refreshId(), now)));
        }
        return changes;
    }

    /** A tick found our STARTED release's refresh ended with no outcome recorded (an event missed): record it now. */
    static GroupPlan reconcile(GroupFacts f, GroupRelease release, InstanceRefresh refresh) {
        List<Change> changes = record(release, refresh.statusAsString(), f.now());
        String reason = "instance refresh " + refresh.instanceRefreshId() + " to " + release.imageId() + " ended "
                + refresh.statusAsString() + "; recorded" + (changes.stream().anyMatch(c -> c instanceof Change.Reject)
                ? ", and the AMI is rejected for the group" : "");
        GroupOutcome outcome = "Successful".equals(refresh.statusAsString()) ? GroupOutcome.UP_TO_DATE : GroupOutcome.SKIPPED;
        return GroupPlan.report(f, outcome, reason, false).withChanges(changes).withRefresh(refresh.instanceRefreshId())
                .withVersion(release.toVersion());
    }
}
