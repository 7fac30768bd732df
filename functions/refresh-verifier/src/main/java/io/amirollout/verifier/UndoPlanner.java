package io.amirollout.verifier;

import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how to undo a refresh whose tests failed, from what was read: the release (state of record), the group's
 * refreshes (newest first) and its refresh settings. No AWS call, no clock: tested as plain values.
 *
 * <p>AWS rules it follows: "You can roll back an instance refresh that is still in progress. You can't roll it back
 * after it's finished" and a rollback "is not supported" without a desired configuration or with {@code $Latest} /
 * {@code $Default} (EC2 Auto Scaling user guide, RollbackInstanceRefresh API reference): our refreshes always name a
 * numbered version in DesiredConfiguration, so an active one can be rolled back. A finished one is undone by a new
 * refresh to the version the group ran before ({@code fromVersion}), and only while the latest refresh of the group
 * is still ours: if a person or a pipeline refreshed the group since, going back would undo their change.
 */
final class UndoPlanner {

    /** Statuses in which RollbackInstanceRefresh applies (the refresh has not finished). */
    static final Set<String> ROLLBACK_POSSIBLE = Set.of("Pending", "InProgress", "Baking");
    static final Set<String> BEING_ROLLED_BACK = Set.of("RollbackInProgress", "RollbackSuccessful");
    static final Set<String> ACTIVE_OR_DONE = Set.of("Pending", "InProgress", "Baking", "Successful");

    private UndoPlanner() {
    }

    static UndoPlan plan(Phase phase, GroupRelease release, List<InstanceRefresh> refreshes, RefreshSettings settings,
                         String failure) {
        String refreshId = release.refreshId();
        Optional<InstanceRefresh> ours = refreshes.stream().filter(r -> refreshId.equals(r.instanceRefreshId())).findFirst();
        String status = ours.map(InstanceRefresh::statusAsString).orElse(null);
        String reject = "tests failed: " + failure;
        if (BEING_ROLLED_BACK.contains(status)) {
            return recordOnly(UndoPlan.Outcome.ALREADY_UNDONE, "refresh " + refreshId + " is already " + status,
                    reject, ReleaseState.ROLLED_BACK);
        }
        if (ROLLBACK_POSSIBLE.contains(status)) {
            List<UndoPlan.Step> steps = new ArrayList<>();
            steps.add(UndoPlan.Step.of(UndoPlan.Kind.ROLLBACK_REFRESH, "refresh " + refreshId + " is " + status + "; " + reject));
            steps.add(UndoPlan.Step.of(UndoPlan.Kind.REJECT_AMI, reject));
            steps.add(new UndoPlan.Step(UndoPlan.Kind.RECORD_RELEASE, "rolled back by refresh-verifier", null, null, null,
                    ReleaseState.ROLLED_BACK));
            return new UndoPlan(UndoPlan.Outcome.ROLLBACK, "roll back refresh " + refreshId + " (" + status + ")", steps);
        }
        if ("Successful".equals(status) || (status == null && phase == Phase.SUCCEEDED)) {
            return rollForward(release, refreshes, settings, reject);
        }
        String why = status == null ? "refresh " + refreshId + " is no longer listed by DescribeInstanceRefreshes"
                : "refresh " + refreshId + " ended " + status + " without being rolled out";
        return new UndoPlan(UndoPlan.Outcome.NOTHING_TO_UNDO, why,
                List.of(UndoPlan.Step.of(UndoPlan.Kind.REJECT_AMI, reject)));
    }

    private static UndoPlan rollForward(GroupRelease release, List<InstanceRefresh> refreshes, RefreshSettings settings,
                                        String reject) {
        String from = release.fromVersion();
        if (from == null || release.launchTemplateId() == null) {
            return cannot("the release has no previous launch-template version recorded, so there is nothing to roll forward to", reject);
        }
        InstanceRefresh latest = refreshes.isEmpty() ? null : refreshes.get(0);
        if (latest != null && !release.refreshId().equals(latest.instanceRefreshId())) {
            String target = InstanceRefreshes.targetVersion(latest);
            if (from.equals(target) && ACTIVE_OR_DONE.contains(latest.statusAsString())) {
                return recordOnly(UndoPlan.Outcome.ALREADY_UNDONE, "refresh " + latest.instanceRefreshId() + " back to version "
                        + from + " is already " + latest.statusAsString(), reject, ReleaseState.ROLLED_FORWARD);
            }
            return cannot("the group was refreshed since (refresh " + latest.instanceRefreshId() + " to version " + target
                    + ", " + latest.statusAsString() + "); rolling forward to version " + from + " would undo that", reject);
        }
        List<UndoPlan.Step> steps = new ArrayList<>();
        steps.add(new UndoPlan.Step(UndoPlan.Kind.START_ROLL_FORWARD, reject, release.launchTemplateId(), from,
                rollForwardPreferences(settings), null));
        steps.add(UndoPlan.Step.of(UndoPlan.Kind.REJECT_AMI, reject));
        steps.add(new UndoPlan.Step(UndoPlan.Kind.RECORD_RELEASE, "rolled forward to version " + from + " by refresh-verifier",
                null, null, null, ReleaseState.ROLLED_FORWARD));
        return new UndoPlan(UndoPlan.Outcome.ROLL_FORWARD, "roll forward to version " + from, steps);
    }

    /**
     * The group's own preferences (shared RefreshSettings: min healthy, warmup, protected / standby handling) but no
     * AutoRollback (rolling "back" a roll-forward would bring the rejected AMI back), no checkpoints (nothing to test
     * on the way back to a known version) and no alarms (without auto rollback an alarm would only stop it half-way).
     */
    static RefreshPreferences rollForwardPreferences(RefreshSettings settings) {
        return RefreshPreferences.builder()
                .minHealthyPercentage(settings.minHealthyPercentage())
                .instanceWarmup(settings.instanceWarmup())
                .skipMatching(true)
                .autoRollback(false)
                .scaleInProtectedInstances(settings.scaleInProtectedInstances())
                .standbyInstances(settings.standbyInstances())
                .build();
    }

    private static UndoPlan recordOnly(UndoPlan.Outcome outcome, String summary, String reject, ReleaseState state) {
        return new UndoPlan(outcome, summary, List.of(UndoPlan.Step.of(UndoPlan.Kind.REJECT_AMI, reject),
                new UndoPlan.Step(UndoPlan.Kind.RECORD_RELEASE, summary, null, null, null, state)));
    }

    private static UndoPlan cannot(String why, String reject) {
        return new UndoPlan(UndoPlan.Outcome.CANNOT_UNDO, why, List.of(UndoPlan.Step.of(UndoPlan.Kind.REJECT_AMI, reject)));
    }
}
