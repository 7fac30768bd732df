package io.amirollout.rollback;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.Severity;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.IrreversibleInstanceRefreshException;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes a rollout when an alarm guarding it goes into ALARM.
 *
 * <p>Per guarded group, from its latest instance refresh:
 * <ul>
 *   <li>Pending / InProgress / Baking: {@code RollbackInstanceRefresh}. When AWS answers that the refresh is
 *       irreversible (no desired configuration, a $Latest/$Default launch-template version, an SSM-parameter
 *       AMI), the refresh is CANCELLED instead and the notice says loudly that nothing was rolled back;</li>
 *   <li>RollbackInProgress / Cancelling, or our own roll-forward still running: nothing (a duplicate alarm);</li>
 *   <li>Successful and ended within the grace period: roll FORWARD, i.e. a new refresh whose desired
 *       configuration is the launch-template version recorded in {@code ami-rollout:previous-version};</li>
 *   <li>anything else (no refresh, Failed, Cancelled, Rollback*, Successful long ago): nothing to undo, said so.</li>
 * </ul>
 * Each group is handled on its own: one failing is reported and the others carry on.
 */
public final class RollbackService {

    /** DescribeAutoScalingGroups accepts many names per call; 50 keeps requests small. */
    private static final int NAMES_PER_CALL = 50;
    /** DescribeInstanceRefreshes MaxRecords upper limit (default 50). */
    private static final int MAX_REFRESH_RECORDS = 100;
    private static final int DEFAULT_MIN_HEALTHY_PERCENTAGE = 90;

    private final AutoScalingClient autoScaling;
    private final NotificationPublisher notices;
    private final RollbackOnAlarmConfig config;
    private final Clock clock;

    public RollbackService(AutoScalingClient autoScaling, NotificationPublisher notices, RollbackOnAlarmConfig config,
                           Clock clock) {
        this.autoScaling = autoScaling;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
    }

    public RollbackResult handle(AlarmStateChange alarm, boolean dryRunRequested) {
        boolean dryRun = dryRunRequested || config.dryRun();
        Optional<String> ignored = AlarmTriage.reasonToIgnore(alarm);
        if (ignored.isPresent()) {
            Log.info("alarm state change ignored", "alarmName", alarm.alarmName(), "transition", alarm.transition(),
                    "reason", ignored.get());
            return result(alarm, "IGNORED", ignored.get(), dryRun, List.of());
        }
        Log.info("alarm went into ALARM: undoing the rollouts it guards", "alarmName", alarm.alarmName(),
                "alarmKind", alarm.kind().name(), "transition", alarm.transition(), "via", alarm.via().name(),
                "dryRun", dryRun);

        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        List<GroupResult> results = new ArrayList<>();
        try {
            groups.putAll(taggedGroups(alarm));
            Map<String, AutoScalingGroup> targets = describeByName(config.targetAutoScalingGroups());
            for (String name : config.targetAutoScalingGroups()) {
                AutoScalingGroup group = targets.get(name);
                if (group != null) {
                    groups.putIfAbsent(name, group);
                } else if (!groups.containsKey(name)) {
                    results.add(reportFailure(alarm, GroupResult.failed(name, "Auto Scaling group '" + name
                            + "' named in TARGET_AUTO_SCALING_GROUPS does not exist in this account and region"), dryRun));
                }
            }
        } catch (RuntimeException e) {
            String reason = "could not list the Auto Scaling groups guarded by alarm '" + alarm.alarmName() + "': "
                    + describe(e);
            Log.error("cannot find guarded groups; nothing was changed", e, "alarmName", alarm.alarmName());
            publish(alarm, NotificationKind.ROLLBACK_FAILED, Severity.ERROR,
                    "Rollback FAILED for alarm " + alarm.alarmName() + ": groups could not be listed",
                    GroupResult.failed(null, reason), dryRun);
            return result(alarm, "FAILED", reason, dryRun, List.of());
        }

        if (groups.isEmpty() && results.isEmpty()) {
            String reason = "no Auto Scaling group is guarded by alarm '" + alarm.alarmName() + "' (no group's "
                    + RolloutTags.ALARMS + " tag names it and TARGET_AUTO_SCALING_GROUPS is "
                    + (config.targetAutoScalingGroups().isEmpty() ? "empty" : "set to other groups") + ")";
            Log.warn("alarm guards no group; nothing to undo", "alarmName", alarm.alarmName());
            publish(alarm, NotificationKind.ROLLBACK_SKIPPED, Severity.WARNING,
                    "Alarm " + alarm.alarmName() + " fired but guards no Auto Scaling group",
                    new GroupResult(null, GroupOutcome.NOTHING_TO_UNDO, reason, null, null, null, null, null), dryRun);
            return result(alarm, "NO_GROUPS", reason, dryRun, List.of());
        }

        for (AutoScalingGroup group : groups.values()) {
            GroupResult outcome;
            try {
                outcome = undo(alarm, group, dryRun, true);
            } catch (RuntimeException e) {
                Log.error("undoing the rollout failed for this group; carrying on with the others", e,
                        "autoScalingGroup", group.autoScalingGroupName());
                outcome = GroupResult.failed(group.autoScalingGroupName(), describe(e));
            }
            results.add(report(alarm, outcome, dryRun));
        }

        List<String> failed = results.stream().filter(r -> r.outcome().failed()).map(GroupResult::autoScalingGroup).toList();
        String outcome = failed.isEmpty() ? "ACTED" : failed.size() == results.size() ? "FAILED" : "PARTIAL";
        String reason = results.size() + " group(s) guarded by alarm '" + alarm.alarmName() + "'"
                + (failed.isEmpty() ? "" : "; not undone: " + String.join(", ", failed));
        return result(alarm, outcome, reason, dryRun, results);
    }

    /** Decides and (unless dry run) acts for one group. {@code mayRetry}: re-read once when AWS says things moved. */
    private GroupResult undo(AlarmStateChange alarm, AutoScalingGroup group, boolean dryRun, boolean mayRetry) {
        String name = group.autoScalingGroupName();
        Optional<InstanceRefresh> latest = latestRefresh(name);
        String previousVersion = tag(group, RolloutTags.PREVIOUS_VERSION);
        if (latest.isEmpty()) {
            return nothing(name, null, "no instance refresh in the last six weeks: nothing to undo");
        }
        InstanceRefresh refresh = latest.get();
        String id = refresh.instanceRefreshId();
        String status = refresh.statusAsString();
        String refreshVersion = InstanceRefreshes.targetVersion(refresh);
        boolean ourRollForward = previousVersion != null && previousVersion.equals(refreshVersion);

        InstanceRefreshStatus known = refresh.status() == null ? InstanceRefreshStatus.UNKNOWN_TO_SDK_VERSION : refresh.status();
        switch (known) {
            case PENDING, IN_PROGRESS, BAKING -> {
                if (ourRollForward) {
                    return new GroupResult(name, GroupOutcome.ALREADY_UNDOING, "instance refresh " + id + " (" + status
                            + ") is the roll-forward to previous version " + previousVersion
                            + " started for an earlier alarm; leaving it running", id, status, null, refreshVersion, previousVersion);
                }
                return rollBack(alarm, group, refresh, dryRun, mayRetry);
            }
            case ROLLBACK_IN_PROGRESS, CANCELLING -> {
                return new GroupResult(name, GroupOutcome.ALREADY_UNDOING, "instance refresh " + id + " is already "
                        + status + " (duplicate alarm); nothing more to do", id, status, null, refreshVersion, groupVersion(group));
            }
            case SUCCESSFUL -> {
                if (ourRollForward) {
                    return new GroupResult(name, GroupOutcome.ALREADY_UNDOING, "the latest refresh " + id
                            + " already rolled the group forward to previous version " + previousVersion
                            + " (duplicate alarm)", id, status, null, null, previousVersion);
                }
                Instant ended = refresh.endTime();
                Instant cutoff = clock.instant().minus(config.rollForwardGrace());
                if (ended == null || ended.isBefore(cutoff)) {
                    return nothing(name, refresh, "the latest refresh " + id + " finished Successful at " + ended
                            + ", more than " + minutes(config.rollForwardGrace())
                            + " minutes ago (ROLL_FORWARD_GRACE_MINUTES): that version is the baseline now, not undone");
                }
                return rollForward(alarm, group, refresh, previousVersion, dryRun, mayRetry);
            }
            case ROLLBACK_FAILED -> {
                return nothing(name, refresh, "the latest refresh " + id + " ended RollbackFailed ("
                        + refresh.statusReason() + "); the group may run a mix of versions: check it by hand");
            }
            case FAILED, CANCELLED, ROLLBACK_SUCCESSFUL -> {
                return nothing(name, refresh, "the latest refresh " + id + " ended " + status
                        + " without changing the group's configuration; nothing to undo"
                        + (known == InstanceRefreshStatus.ROLLBACK_SUCCESSFUL ? ""
                        : " (instances it already replaced keep the new version until the next refresh)"));
            }
            default -> {
                return GroupResult.failed(name, "the latest refresh " + id + " has status '" + status
                        + "', which this function does not know; not acting");
            }
        }
    }

    private GroupResult rollBack(AlarmStateChange alarm, AutoScalingGroup group, InstanceRefresh refresh, boolean dryRun,
                                 boolean mayRetry) {
        String name = group.autoScalingGroupName();
        String id = refresh.instanceRefreshId();
        String status = refresh.statusAsString();
        String from = InstanceRefreshes.targetVersion(refresh);
        String to = groupVersion(group);
        if (dryRun) {
            String caveat = irreversibleHint(refresh);
            return new GroupResult(name, GroupOutcome.WOULD_ROLL_BACK, "dry run: would roll back " + status
                    + " instance refresh " + id + (caveat == null ? "" : "; " + caveat), id, status, null, from, to);
        }
        try {
            String rollbackId = autoScaling.rollbackInstanceRefresh(r -> r.autoScalingGroupName(name)).instanceRefreshId();
            Log.info("instance refresh rollback started", "autoScalingGroup", name, "instanceRefreshId", rollbackId);
            return new GroupResult(name, GroupOutcome.ROLLBACK_STARTED, "alarm '" + alarm.alarmName()
                    + "' fired during " + status + " instance refresh " + id + ": rolling back",
                    id, status, rollbackId, from, to);
        } catch (IrreversibleInstanceRefreshException e) {
            return cancelInstead(group, refresh, e);
        } catch (ActiveInstanceRefreshNotFoundException e) {
            // The refresh ended between our read and the rollback: decide again on its final status.
            if (mayRetry) {
                Log.info("the refresh is no longer active; deciding again", "autoScalingGroup", name);
                return undo(alarm, group, dryRun, false);
            }
            return GroupResult.failed(name, "AWS found no active refresh to roll back: " + describe(e));
        }
    }

    /** AWS cannot roll this refresh back: stop it so no more instances get the bad version, and say so loudly. */
    private GroupResult cancelInstead(AutoScalingGroup group, InstanceRefresh refresh, IrreversibleInstanceRefreshException e) {
        String name = group.autoScalingGroupName();
        String id = refresh.instanceRefreshId();
        String why = describe(e);
        Log.error("AWS cannot roll this refresh back; cancelling it instead", e, "autoScalingGroup", name,
                "instanceRefreshId", id);
        try {
            autoScaling.cancelInstanceRefresh(r -> r.autoScalingGroupName(name));
        } catch (RuntimeException cancelError) {
            return GroupResult.failed(name, "AWS refused to roll back refresh " + id + " (" + why
                    + ") and cancelling it failed too (" + describe(cancelError) + "): the refresh may still be replacing instances");
        }
        return new GroupResult(name, GroupOutcome.CANCELLED_NOT_ROLLED_BACK, "refresh " + id
                + " was CANCELLED, NOT rolled back: AWS refused the rollback (" + why + "). Instances already replaced"
                + " keep the new launch-template version; restore them by hand (start a refresh to the previous version)",
                id, refresh.statusAsString(), null, InstanceRefreshes.targetVersion(refresh), groupVersion(group));
    }

    /**
     * Starts a refresh back to the previous version. Deliberately WITHOUT AutoRollback: the alarm that got us
     * here is still in ALARM, so a refresh guarded by it would roll itself back at once, and a roll-forward that
     * fails must not "recover" by restoring the bad version. SkipMatching leaves instances that already run
     * the previous version alone.
     */
    private GroupResult rollForward(AlarmStateChange alarm, AutoScalingGroup group, InstanceRefresh refresh,
                                    String previousVersion, boolean dryRun, boolean mayRetry) {
        String name = group.autoScalingGroupName();
        String id = refresh.instanceRefreshId();
        String status = refresh.statusAsString();
        String from = InstanceRefreshes.targetVersion(refresh) != null ? InstanceRefreshes.targetVersion(refresh) : groupVersion(group);
        if (previousVersion == null || !previousVersion.matches("[0-9]+")) {
            return new GroupResult(name, GroupOutcome.FAILED, "refresh " + id + " finished Successful recently but the "
                    + RolloutTags.PREVIOUS_VERSION + " tag is " + (previousVersion == null ? "missing" : "not a version number ('"
                    + previousVersion + "')") + ", so the version to go back to is unknown; roll back by hand",
                    id, status, null, from, null);
        }
        String templateId = tag(group, RolloutTags.LAUNCH_TEMPLATE_ID);
        if (templateId == null) {
            templateId = groupTemplateId(group);
        }
        if (templateId == null) {
            return new GroupResult(name, GroupOutcome.FAILED, "the group has no launch template (and no "
                    + RolloutTags.LAUNCH_TEMPLATE_ID + " tag), so it cannot be rolled forward to version " + previousVersion,
                    id, status, null, from, previousVersion);
        }
        if (previousVersion.equals(groupVersion(group))) {
            return nothing(name, refresh, "the group already uses launch-template version " + previousVersion
                    + " (the previous version); nothing to undo");
        }
        if (dryRun) {
            return new GroupResult(name, GroupOutcome.WOULD_ROLL_FORWARD, "dry run: refresh " + id
                    + " finished Successful at " + refresh.endTime() + "; would start a refresh back to "
                    + templateId + " version " + previousVersion, id, status, null, from, previousVersion);
        }
        try {
            String finalTemplateId = templateId;
            String newId = autoScaling.startInstanceRefresh(r -> r
                    .autoScalingGroupName(name)
                    .strategy(RefreshStrategy.ROLLING)
                    .desiredConfiguration(desiredConfiguration(group, finalTemplateId, previousVersion))
                    .preferences(rollForwardPreferences(group))).instanceRefreshId();
            Log.info("roll-forward refresh started", "autoScalingGroup", name, "instanceRefreshId", newId,
                    "launchTemplateVersion", previousVersion);
            return new GroupResult(name, GroupOutcome.ROLL_FORWARD_STARTED, "alarm '" + alarm.alarmName()
                    + "' fired after refresh " + id + " finished Successful at " + refresh.endTime()
                    + ": started refresh " + newId + " back to launch-template version " + previousVersion,
                    id, status, newId, from, previousVersion);
        } catch (InstanceRefreshInProgressException e) {
            // Someone (perhaps a concurrent delivery of this same alarm) started a refresh since we looked.
            if (mayRetry) {
                Log.info("a refresh started meanwhile; deciding again", "autoScalingGroup", name);
                return undo(alarm, group, dryRun, false);
            }
            return GroupResult.failed(name, "another instance refresh is in progress: " + describe(e));
        }
    }

    private static DesiredConfiguration desiredConfiguration(AutoScalingGroup group, String templateId, String version) {
        LaunchTemplateSpecification spec = LaunchTemplateSpecification.builder()
                .launchTemplateId(templateId).version(version).build();
        MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
        if (mixed != null && mixed.launchTemplate() != null) {
            // A mixed-instances group keeps its overrides and distribution; only the template version changes.
            return DesiredConfiguration.builder().mixedInstancesPolicy(mixed.toBuilder()
                    .launchTemplate(mixed.launchTemplate().toBuilder().launchTemplateSpecification(spec).build())
                    .build()).build();
        }
        return DesiredConfiguration.builder().launchTemplate(spec).build();
    }

    private static RefreshPreferences rollForwardPreferences(AutoScalingGroup group) {
        RefreshPreferences.Builder preferences = RefreshPreferences.builder()
                .minHealthyPercentage(intTag(group, RolloutTags.MIN_HEALTHY_PERCENTAGE, 0, 100)
                        .orElse(DEFAULT_MIN_HEALTHY_PERCENTAGE))
                .skipMatching(true)
                .autoRollback(false);
        intTag(group, RolloutTags.INSTANCE_WARMUP, 0, 3600).ifPresent(preferences::instanceWarmup);
        return preferences.build();
    }

    private static GroupResult nothing(String group, InstanceRefresh refresh, String reason) {
        return new GroupResult(group, GroupOutcome.NOTHING_TO_UNDO, reason,
                refresh == null ? null : refresh.instanceRefreshId(), refresh == null ? null : refresh.statusAsString(),
                null, null, null);
    }

    // --- discovery -------------------------------------------------------------------------------------------

    /** Groups whose ami-rollout:alarms tag lists this alarm (by name or ARN). The tag-key filter narrows the listing. */
    private Map<String, AutoScalingGroup> taggedGroups(AlarmStateChange alarm) {
        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        autoScaling.describeAutoScalingGroupsPaginator(r -> r
                        .filters(Filter.builder().name("tag-key").values(RolloutTags.ALARMS).build()))
                .autoScalingGroups()
                .forEach(group -> {
                    if (guards(group, alarm)) {
                        groups.put(group.autoScalingGroupName(), group);
                    }
                });
        return groups;
    }

    private Map<String, AutoScalingGroup> describeByName(List<String> names) {
        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        for (int start = 0; start < names.size(); start += NAMES_PER_CALL) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + NAMES_PER_CALL));
            autoScaling.describeAutoScalingGroupsPaginator(r -> r.autoScalingGroupNames(chunk))
                    .autoScalingGroups()
                    .forEach(group -> groups.put(group.autoScalingGroupName(), group));
        }
        return groups;
    }

    static boolean guards(AutoScalingGroup group, AlarmStateChange alarm) {
        String alarms = tag(group, RolloutTags.ALARMS);
        if (alarms == null) {
            return false;
        }
        // Split on commas only: alarm names may contain spaces ("EC2 CPU Utilization Anomaly").
        return Arrays.stream(alarms.split(",")).map(String::trim)
                .anyMatch(a -> a.equals(alarm.alarmName()) || (alarm.alarmArn() != null && a.equals(alarm.alarmArn())));
    }

    /**
     * The group's newest refresh. AWS lists refreshes of the last six weeks; the API reference does not
     * promise an order, so the newest is chosen by start time (a Pending refresh has none yet: it is newest).
     */
    private Optional<InstanceRefresh> latestRefresh(String group) {
        return autoScaling.describeInstanceRefreshesPaginator(r -> r.autoScalingGroupName(group).maxRecords(MAX_REFRESH_RECORDS))
                .stream()
                .flatMap(page -> page.instanceRefreshes().stream())
                .max(Comparator.comparing((InstanceRefresh r) -> r.startTime() == null ? Instant.MAX : r.startTime()));
    }

    // --- reading AWS shapes ----------------------------------------------------------------------------------

    static String tag(AutoScalingGroup group, String key) {
        return AutoScalingGroups.tag(group, key).orElse(null);
    }

    private static Optional<Integer> intTag(AutoScalingGroup group, String key, int min, int max) {
        String value = tag(group, key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return Optional.of(parsed);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the warning
        }
        Log.warn("ignoring a malformed tag; using the default", "autoScalingGroup", group.autoScalingGroupName(),
                "tag", key, "value", value);
        return Optional.empty();
    }

    static String groupVersion(AutoScalingGroup group) {
        LaunchTemplateSpecification spec = AutoScalingGroups.launchTemplate(group);
        return spec == null ? null : spec.version();
    }

    private static String groupTemplateId(AutoScalingGroup group) {
        LaunchTemplateSpecification spec = AutoScalingGroups.launchTemplate(group);
        return spec == null ? null : spec.launchTemplateId();
    }

    /** For dry runs: the documented conditions under which AWS refuses a rollback. */
    private static String irreversibleHint(InstanceRefresh refresh) {
        String version = InstanceRefreshes.targetVersion(refresh);
        if (refresh.desiredConfiguration() == null) {
            return "AWS would refuse the rollback (the refresh has no desired configuration) and the refresh would be cancelled instead";
        }
        if ("$Latest".equals(version) || "$Default".equals(version)) {
            return "AWS would refuse the rollback (desired version " + version + ") and the refresh would be cancelled instead";
        }
        return null;
    }

    // --- reporting -------------------------------------------------------------------------------------------

    private GroupResult report(AlarmStateChange alarm, GroupResult result, boolean dryRun) {
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
            case FAILED -> reportFailure(alarm, result, dryRun);
            case NOTHING_TO_UNDO -> publish(alarm, NotificationKind.ROLLBACK_SKIPPED,
                    // A failed rollback may leave a mix of versions: worth a look even though we cannot act.
                    "RollbackFailed".equals(result.refreshStatus()) ? Severity.WARNING : null,
                    "Alarm " + alarm.alarmName() + ": nothing to undo on " + group, result, dryRun);
            case ALREADY_UNDOING -> Log.info("already undoing; duplicate alarm changes nothing", "autoScalingGroup", group,
                    "reason", result.reason());
        }
        return result;
    }

    private GroupResult reportFailure(AlarmStateChange alarm, GroupResult result, boolean dryRun) {
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
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
        if (alarm.region() != null) {
            notice.region(alarm.region());
        }
        notices.publish(notice.build());
    }

    private RollbackResult result(AlarmStateChange alarm, String outcome, String reason, boolean dryRun,
                                  List<GroupResult> groups) {
        List<String> failed = groups.stream().filter(g -> g.outcome().failed()).map(GroupResult::autoScalingGroup).toList();
        return new RollbackResult(alarm.alarmName(), alarm.kind(), alarm.via(), alarm.transition(), outcome, reason,
                dryRun, groups, failed);
    }

    private static long minutes(Duration duration) {
        return duration.toMinutes();
    }

    /** "ErrorCode: message" for AWS errors (never credentials: AWS error messages do not carry them). */
    static String describe(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
