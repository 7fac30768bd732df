package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which groups an alarm guards. Only alarms that guard something act; the rest (an unrelated CPU or DynamoDB
 * alarm that the broad EventBridge rule forwards) are ignored quietly. An alarm guards:
 * <ul>
 *   <li>every group whose {@code ami-rollout:alarms} tag names it (by name or ARN; comma list, names may
 *       contain spaces);</li>
 *   <li>when it is one of the stack's guard alarms ({@code GUARD_ALARM_NAMES}: the GuardAlarmNames parameter
 *       plus the stack's ECS error alarm), also the groups in {@code TARGET_AUTO_SCALING_GROUPS}.</li>
 * </ul>
 */
final class GuardDecider {

    /** The guarded groups, and target groups that a guard alarm names but that do not exist. */
    record Guarded(List<AutoScalingGroup> groups, List<String> missingTargets) {
        Guarded {
            groups = List.copyOf(groups);
            missingTargets = List.copyOf(missingTargets);
        }

        boolean none() {
            return groups.isEmpty() && missingTargets.isEmpty();
        }
    }

    private GuardDecider() {
    }

    /** True when the alarm is one of the stack's guard alarms (by name, or by ARN ending in ":alarm:<name>"). */
    static boolean isStackGuardAlarm(AlarmStateChange alarm, RollbackOnAlarmConfig config) {
        return config.guardAlarmNames().stream().anyMatch(name -> matches(name, alarm));
    }

    /** True when the group's ami-rollout:alarms tag names the alarm. */
    static boolean tagNames(AutoScalingGroup group, AlarmStateChange alarm) {
        return AutoScalingGroups.tag(group, RolloutTags.ALARMS)
                // Split on commas only: alarm names may contain spaces ("EC2 CPU Utilization Anomaly").
                .map(alarms -> Arrays.stream(alarms.split(",")).map(String::trim).anyMatch(a -> matches(a, alarm)))
                .orElse(false);
    }

    /**
     * @param tagged       groups carrying an ami-rollout:alarms tag (any value)
     * @param targetsFound the TARGET_AUTO_SCALING_GROUPS groups that exist, by name (read only for a stack guard alarm)
     */
    static Guarded guarded(AlarmStateChange alarm, RollbackOnAlarmConfig config, Collection<AutoScalingGroup> tagged,
                           Map<String, AutoScalingGroup> targetsFound) {
        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        for (AutoScalingGroup group : tagged) {
            if (tagNames(group, alarm)) {
                groups.put(group.autoScalingGroupName(), group);
            }
        }
        List<String> missing = new ArrayList<>();
        if (isStackGuardAlarm(alarm, config)) {
            for (String name : config.targetAutoScalingGroups()) {
                AutoScalingGroup group = targetsFound.get(name);
                if (group != null) {
                    groups.putIfAbsent(name, group);
                } else if (!groups.containsKey(name)) {
                    missing.add(name);
                }
            }
        }
        return new Guarded(new ArrayList<>(groups.values()), missing);
    }

    private static boolean matches(String named, AlarmStateChange alarm) {
        return named.equals(alarm.alarmName()) || (alarm.alarmArn() != null && named.equals(alarm.alarmArn()));
    }
}
