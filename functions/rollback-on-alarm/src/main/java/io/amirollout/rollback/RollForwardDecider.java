package io.amirollout.rollback;

import io.amirollout.shared.Log;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.AlarmSpecification;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roll-forward half of {@link UndoDecider}: the group's latest refresh ended Successful within the grace
 * period. The target is the state of record's, never a tag: the {@code fromVersion} of the release whose
 * refresh we started, and only when that refresh is the group's latest successful one.
 */
final class RollForwardDecider {

    private RollForwardDecider() {
    }

    /** @param ours the release whose refresh is {@code latest}; null when the record names another refresh or none */
    static GroupPlan decide(AlarmStateChange alarm, GroupFacts facts, InstanceRefresh latest, GroupRelease ours, Instant now,
                            RollbackOnAlarmConfig config) {
        String name = facts.name();
        String id = latest.instanceRefreshId();
        String status = latest.statusAsString();
        String from = InstanceRefreshes.targetVersion(latest) != null ? InstanceRefreshes.targetVersion(latest)
                : UndoDecider.groupVersion(facts);
        if (ours == null) {
            String recorded = facts.release().map(r -> "the state of record's latest release for the group is "
                    + r.imageId() + " (refresh " + r.refreshId() + ", " + r.state() + ", version " + r.fromVersion()
                    + " -> " + r.toVersion() + ")").orElse("the state of record holds no refresh started by ami-rollout for the group");
            return failed(name, id, status, from, "the group's latest successful refresh " + id + " (to version " + from
                    + ", ended " + latest.endTime() + ") is not the refresh ami-rollout started: " + recorded
                    + ". Someone else refreshed the group since, or the record is missing, so the version before it is "
                    + "unknown; NOT rolling forward (it could send the group back weeks, to a deregistered AMI). Check it by hand");
        }
        String target = ours.fromVersion();
        if (target == null || !target.matches("[0-9]+")) {
            return failed(name, id, status, from, "refresh " + id + " is ours (release " + ours.imageId() + ") but the recorded "
                    + "version before it is " + (target == null ? "missing" : "not a version number ('" + target + "')")
                    + ", so the version to go back to is unknown; roll back by hand");
        }
        String templateId = ours.launchTemplateId() != null ? ours.launchTemplateId() : groupTemplateId(facts.group());
        if (templateId == null) {
            return failed(name, id, status, from, "neither the record nor the group names a launch template, so the group "
                    + "cannot be rolled forward to version " + target);
        }
        if (target.equals(UndoDecider.groupVersion(facts))) {
            return new GroupPlan(name, GroupOutcome.NOTHING_TO_UNDO, "the group already uses launch-template version "
                    + target + " (the version before refresh " + id + "); nothing to undo", id, status, from, target,
                    UndoDecider.completion(facts, ReleaseState.ROLLED_FORWARD, alarm, now));
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.ClaimGroup(facts.head().touched(now), "one invocation acts per decision"));
        changes.add(new Change.StartRollForward(name, templateId, target, desiredConfiguration(facts.group(), templateId, target),
                preferences(facts.group(), config), "alarm '" + alarm.alarmName() + "' fired after our refresh " + id
                + " to " + ours.imageId() + " finished Successful at " + latest.endTime() + "; version " + target
                + " is what the group ran before it (state of record)"));
        changes.addAll(UndoDecider.completion(facts, ReleaseState.ROLLED_FORWARD, alarm, now));
        return new GroupPlan(name, GroupOutcome.ROLL_FORWARD_STARTED, "alarm '" + alarm.alarmName() + "' fired after refresh "
                + id + " finished Successful at " + latest.endTime() + ": rolling forward to launch-template version "
                + target + " (the version recorded before it)", id, status, from, target, changes);
    }

    /**
     * The preferences instance-refresh uses for this group (shared {@link RefreshSettings}: min healthy, warmup
     * without any cap, the stack's protected/standby handling, SkipMatching), minus three things, on purpose:
     * <ul>
     *   <li>no AutoRollback: a roll-forward that fails must not "recover" by restoring the bad version;</li>
     *   <li>no alarm specification: the alarm that triggered the undo is still in ALARM, so a refresh guarded by
     *       it would roll itself back at once;</li>
     *   <li>no checkpoints: they pause to vet a new image; this restores the known-good one, and every minute of
     *       the pause keeps the bad version serving.</li>
     * </ul>
     * A malformed tuning tag must not block an undo: the defaults are used and the log says which tag.
     */
    static RefreshPreferences preferences(AutoScalingGroup group, RollbackOnAlarmConfig config) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (TagDescription tag : group.tags()) {
            tags.put(tag.key(), tag.value());
        }
        RefreshSettings settings;
        try {
            settings = RefreshSettings.from(tags, config.scaleInProtectedInstances(), config.standbyInstances());
        } catch (IllegalArgumentException e) {
            Log.warn("malformed refresh tag; the roll-forward uses the default preferences", "autoScalingGroup",
                    group.autoScalingGroupName(), "problem", e.getMessage());
            settings = RefreshSettings.from(Map.of(), config.scaleInProtectedInstances(), config.standbyInstances());
        }
        return settings.toPreferences().toBuilder()
                .autoRollback(false)
                .alarmSpecification((AlarmSpecification) null)
                .checkpointPercentages((List<Integer>) null)
                .checkpointDelay(null)
                .build();
    }

    static DesiredConfiguration desiredConfiguration(AutoScalingGroup group, String templateId, String version) {
        LaunchTemplateSpecification spec = LaunchTemplateSpecification.builder().launchTemplateId(templateId).version(version).build();
        MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
        if (mixed != null && mixed.launchTemplate() != null) {
            // A mixed-instances group keeps its overrides and distribution; only the template version changes.
            return DesiredConfiguration.builder().mixedInstancesPolicy(mixed.toBuilder()
                    .launchTemplate(mixed.launchTemplate().toBuilder().launchTemplateSpecification(spec).build())
                    .build()).build();
        }
        return DesiredConfiguration.builder().launchTemplate(spec).build();
    }

    private static String groupTemplateId(AutoScalingGroup group) {
        LaunchTemplateSpecification spec = AutoScalingGroups.launchTemplate(group);
        return spec == null ? null : spec.launchTemplateId();
    }

    private static GroupPlan failed(String group, String refreshId, String status, String from, String reason) {
        return new GroupPlan(group, GroupOutcome.FAILED, reason, refreshId, status, from, null, List.of());
    }

}
