package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides what to do for one guarded group when its alarm fires: a {@link GroupPlan}, computed from
 * {@link GroupFacts} alone (no AWS call, no write, no clock but the one given).
 *
 * <p>From the group's latest instance refresh:
 * <ul>
 *   <li>Pending / InProgress / Baking: roll it back (our refresh: and record its AMI rejected);</li>
 *   <li>our roll-forward (the refresh after ours, going back to the recorded {@code fromVersion}), or a rollback
 *       or cancellation already under way: nothing but the records a previous attempt may not have finished;</li>
 *   <li>Successful within the grace period: roll FORWARD to the recorded {@code fromVersion}, but only when
 *       that refresh is the one the state of record says we started. A refresh someone else started since
 *       (or one never recorded) is not undone: the version before it is unknown, and guessing could send the
 *       group back weeks, to an AMI that may be deregistered. That is a FAILED result at ERROR, saying what
 *       was found;</li>
 *   <li>anything else: nothing to undo, with the reason.</li>
 * </ul>
 */
final class UndoDecider {

    static final String REJECTED_BY = "rollback-on-alarm";

    private UndoDecider() {
    }

    static GroupPlan decide(AlarmStateChange alarm, GroupFacts facts, Instant now, RollbackOnAlarmConfig config) {
        String name = facts.name();
        if (facts.latest().isEmpty()) {
            return GroupPlan.nothing(name, GroupOutcome.NOTHING_TO_UNDO,
                    "no instance refresh in the last six weeks: nothing to undo", null, null);
        }
        InstanceRefresh latest = facts.latest().get();
        String id = latest.instanceRefreshId();
        String status = latest.statusAsString();
        GroupRelease ours = facts.release().orElse(null);
        boolean latestIsOurs = ours != null && id.equals(ours.refreshId());
        boolean ourRollForward = isOurRollForward(facts, latest, ours);
        InstanceRefreshStatus known = latest.status() == null ? InstanceRefreshStatus.UNKNOWN_TO_SDK_VERSION : latest.status();

        if (ourRollForward && known != InstanceRefreshStatus.ROLLBACK_IN_PROGRESS
                && known != InstanceRefreshStatus.ROLLBACK_SUCCESSFUL) {
            return already(name, latest, "refresh " + id + " (" + status + ") is the roll-forward to version "
                    + ours.fromVersion() + " after refresh " + ours.refreshId() + " (duplicate alarm or retry)",
                    ours.toVersion(), ours.fromVersion(), completion(facts, ReleaseState.ROLLED_FORWARD, alarm, now));
        }
        switch (known) {
            case PENDING, IN_PROGRESS, BAKING -> {
                return rollBack(alarm, facts, latest, latestIsOurs ? ours : null, now);
            }
            case ROLLBACK_IN_PROGRESS, CANCELLING -> {
                List<Change> records = latestIsOurs && known == InstanceRefreshStatus.ROLLBACK_IN_PROGRESS
                        ? completion(facts, ReleaseState.ROLLED_BACK, alarm, now) : List.of();
                return already(name, latest, "instance refresh " + id + " is already " + status + " (duplicate alarm)",
                        InstanceRefreshes.targetVersion(latest), groupVersion(facts), records);
            }
            case SUCCESSFUL -> {
                Instant cutoff = now.minus(config.rollForwardGrace());
                if (latest.endTime() == null || latest.endTime().isBefore(cutoff)) {
                    return GroupPlan.nothing(name, GroupOutcome.NOTHING_TO_UNDO, "the latest refresh " + id
                            + " finished Successful at " + latest.endTime() + ", more than " + config.rollForwardGrace().toMinutes()
                            + " minutes ago (ROLL_FORWARD_GRACE_MINUTES): that version is the baseline now, not undone", id, status);
                }
                return RollForwardDecider.decide(alarm, facts, latest, latestIsOurs ? ours : null, now, config);
            }
            case ROLLBACK_SUCCESSFUL -> {
                List<Change> records = latestIsOurs ? completion(facts, ReleaseState.ROLLED_BACK, alarm, now) : List.of();
                return new GroupPlan(name, GroupOutcome.NOTHING_TO_UNDO, "the latest refresh " + id
                        + " was already rolled back (RollbackSuccessful); nothing to undo", id, status, null, null, records);
            }
            case ROLLBACK_FAILED -> {
                return GroupPlan.nothing(name, GroupOutcome.NOTHING_TO_UNDO, "the latest refresh " + id + " ended RollbackFailed ("
                        + latest.statusReason() + "); the group may run a mix of versions: check it by hand", id, status);
            }
            case FAILED, CANCELLED -> {
                return GroupPlan.nothing(name, GroupOutcome.NOTHING_TO_UNDO, "the latest refresh " + id + " ended " + status
                        + " without changing the group's configuration; nothing to undo (instances it already replaced "
                        + "keep the new version until the next refresh)", id, status);
            }
            default -> {
                return GroupPlan.nothing(name, GroupOutcome.FAILED, "the latest refresh " + id + " has status '" + status
                        + "', which this function does not know; not acting", id, status);
            }
        }
    }

    private static GroupPlan rollBack(AlarmStateChange alarm, GroupFacts facts, InstanceRefresh refresh, GroupRelease ours,
                                      Instant now) {
        String id = refresh.instanceRefreshId();
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.ClaimGroup(facts.head().touched(now), "one invocation acts per decision"));
        changes.add(new Change.RollBackRefresh(facts.name(), id, "alarm '" + alarm.alarmName() + "' fired during "
                + refresh.statusAsString() + " refresh " + id + irreversibleHint(refresh)));
        String whose;
        if (ours != null) {
            changes.addAll(completion(facts, ReleaseState.ROLLED_BACK, alarm, now));
            whose = "our refresh to " + ours.imageId();
        } else {
            whose = "a refresh this project did not record (nothing to mark rejected: its AMI is unknown)";
        }
        return new GroupPlan(facts.name(), GroupOutcome.ROLLBACK_STARTED, "alarm '" + alarm.alarmName() + "' fired during "
                + refresh.statusAsString() + " instance refresh " + id + " (" + whose + "): rolling back", id,
                refresh.statusAsString(), InstanceRefreshes.targetVersion(refresh), groupVersion(facts), changes);
    }

    /**
     * The records an undo of our release leaves: the release marked, its AMI rejected, and after a roll-forward the
     * tag mirror. Only what is still missing, so a retry or a duplicate finishes a half-done undo and else does nothing.
     */
    static List<Change> completion(GroupFacts facts, ReleaseState state, AlarmStateChange alarm, Instant now) {
        GroupRelease release = facts.release().orElseThrow();
        String why = (state == ReleaseState.ROLLED_FORWARD ? "rolled forward to version " + release.fromVersion()
                : "refresh " + release.refreshId() + " rolled back") + " because alarm '" + alarm.alarmName() + "' fired";
        List<Change> changes = new ArrayList<>();
        if (release.state() != state) {
            changes.add(new Change.MarkRelease(release, state, why));
        }
        if (!facts.releaseRejected()) {
            changes.add(new Change.RejectAmi(new RejectedAmi(facts.name(), release.imageId(), REJECTED_BY, why,
                    release.refreshId(), now), "no automatic path may start it again for this group"));
        }
        if (state == ReleaseState.ROLLED_FORWARD) {
            boolean currentOk = Objects.equals(tag(facts, RolloutTags.CURRENT_VERSION), release.fromVersion());
            boolean previousGone = tag(facts, RolloutTags.PREVIOUS_VERSION) == null;
            if (!currentOk || !previousGone) {
                changes.add(new Change.MirrorTags(facts.name(), java.util.Map.of(RolloutTags.CURRENT_VERSION, release.fromVersion()),
                        previousGone ? List.of() : List.of(RolloutTags.PREVIOUS_VERSION),
                        "the tags mirror the record: the group runs version " + release.fromVersion()
                                + " again, and no roll-forward target points at the rejected version"));
            }
        }
        return changes;
    }

    /** The latest refresh came after our release's refresh and goes back to its fromVersion: our roll-forward. */
    private static boolean isOurRollForward(GroupFacts facts, InstanceRefresh latest, GroupRelease ours) {
        return ours != null && ours.fromVersion() != null && ours.refreshId() != null
                && !ours.refreshId().equals(latest.instanceRefreshId())
                && ours.fromVersion().equals(InstanceRefreshes.targetVersion(latest))
                && facts.beforeLatest().map(r -> ours.refreshId().equals(r.instanceRefreshId())).orElse(false);
    }

    private static GroupPlan already(String group, InstanceRefresh refresh, String reason, String from, String to,
                                     List<Change> records) {
        return new GroupPlan(group, GroupOutcome.ALREADY_UNDOING, reason + (records.isEmpty() ? "; nothing more to do"
                : "; completing the record a previous attempt left unfinished"), refresh.instanceRefreshId(),
                refresh.statusAsString(), from, to, records);
    }

    /** The documented conditions under which AWS refuses a rollback, said up front. */
    private static String irreversibleHint(InstanceRefresh refresh) {
        String version = InstanceRefreshes.targetVersion(refresh);
        if (refresh.desiredConfiguration() == null) {
            return " (AWS will refuse the rollback: the refresh has no desired configuration; it is then CANCELLED instead)";
        }
        if ("$Latest".equals(version) || "$Default".equals(version)) {
            return " (AWS will refuse the rollback: desired version " + version + "; it is then CANCELLED instead)";
        }
        return "";
    }

    static String tag(GroupFacts facts, String key) {
        return AutoScalingGroups.tag(facts.group(), key).orElse(null);
    }

    static String groupVersion(GroupFacts facts) {
        var spec = AutoScalingGroups.launchTemplate(facts.group());
        return spec == null ? null : spec.version();
    }
}
