package io.amirollout.rollback;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * rollback-on-alarm's configuration, read once at start-up.
 *
 * @param targetAutoScalingGroups   groups guarded by the alarms in {@code guardAlarmNames} (the seed setup: the
 *                                  stack's ECS error alarm guarding one group). Not guarded by any other alarm.
 * @param guardAlarmNames           alarms that guard {@code targetAutoScalingGroups} (stack parameter
 *                                  GuardAlarmNames plus the stack's own ECS error alarm). An alarm guards a
 *                                  group when it is listed here (for the target groups) or named in the group's
 *                                  {@code ami-rollout:alarms} tag; every other alarm is ignored quietly
 * @param rollForwardGrace          how recently a Successful refresh may have ended and still be undone by
 *                                  rolling forward to the version recorded before it
 * @param scaleInProtectedInstances roll-forward preference, the stack's setting (the same instance-refresh uses)
 * @param standbyInstances          roll-forward preference, the stack's setting (the same instance-refresh uses)
 * @param stateTableName            the stack's state table (state of record)
 * @param notificationTopicArn      notices go here; blank means log-only
 * @param dryRun                    decide and report, change nothing
 */
public record RollbackOnAlarmConfig(List<String> targetAutoScalingGroups, List<String> guardAlarmNames,
                                    Duration rollForwardGrace, String scaleInProtectedInstances, String standbyInstances,
                                    String stateTableName, String notificationTopicArn, boolean dryRun) {

    public static final int DEFAULT_GRACE_MINUTES = 60;
    /** One week: a "recent" rollout older than that is a new baseline, not something an alarm should undo. */
    private static final int MAX_GRACE_MINUTES = 7 * 24 * 60;
    /** The template's defaults (ScaleInProtectedInstances / StandbyInstances parameters), as for instance-refresh. */
    public static final String DEFAULT_SCALE_IN_PROTECTED = "Ignore";
    public static final String DEFAULT_STANDBY = "Ignore";

    public RollbackOnAlarmConfig {
        targetAutoScalingGroups = List.copyOf(targetAutoScalingGroups);
        guardAlarmNames = List.copyOf(guardAlarmNames);
    }

    public static RollbackOnAlarmConfig from(Env env) {
        List<String> targets = env.list("TARGET_AUTO_SCALING_GROUPS");
        // Comma-separated only: alarm names may contain spaces.
        List<String> guards = env.optional("GUARD_ALARM_NAMES").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
        int grace = env.integer("ROLL_FORWARD_GRACE_MINUTES", DEFAULT_GRACE_MINUTES, 0, MAX_GRACE_MINUTES);
        String scaleIn = env.string("SCALE_IN_PROTECTED_INSTANCES", DEFAULT_SCALE_IN_PROTECTED);
        if (!Set.of("Refresh", "Ignore", "Wait").contains(scaleIn)) {
            env.problem("SCALE_IN_PROTECTED_INSTANCES must be Refresh, Ignore or Wait (got '" + scaleIn + "')");
        }
        String standby = env.string("STANDBY_INSTANCES", DEFAULT_STANDBY);
        if (!Set.of("Terminate", "Ignore", "Wait").contains(standby)) {
            env.problem("STANDBY_INSTANCES must be Terminate, Ignore or Wait (got '" + standby + "')");
        }
        String table = env.required(StateTables.TABLE_NAME_VARIABLE, "the state of record says which refresh was ours "
                + "and the version to roll forward to");
        String topic = env.string("NOTIFICATION_TOPIC_ARN", "");
        if (!topic.isEmpty() && !topic.startsWith("arn:")) {
            env.problem("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got '" + topic + "')");
        }
        boolean dryRun = env.dryRun();
        env.check();
        return new RollbackOnAlarmConfig(targets, guards, Duration.ofMinutes(grace), scaleIn, standby, table, topic, dryRun);
    }
}
