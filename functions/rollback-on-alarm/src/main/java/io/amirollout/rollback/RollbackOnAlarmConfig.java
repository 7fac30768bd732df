package io.amirollout.rollback;

import io.amirollout.shared.Env;

import java.time.Duration;
import java.util.List;

/**
 * rollback-on-alarm's configuration, read once at start-up.
 *
 * @param targetAutoScalingGroups groups guarded by EVERY alarm that reaches this function, in addition to the
 *                                groups whose {@code ami-rollout:alarms} tag names the alarm (the seed setup:
 *                                one alarm on ECS error events guarding one group)
 * @param rollForwardGrace        how recently a Successful refresh may have ended and still be undone by rolling
 *                                forward to the previous launch-template version
 * @param notificationTopicArn    notices go here; blank means log-only
 * @param dryRun                  decide and report, change nothing
 */
public record RollbackOnAlarmConfig(List<String> targetAutoScalingGroups, Duration rollForwardGrace,
                                    String notificationTopicArn, boolean dryRun) {

    public static final int DEFAULT_GRACE_MINUTES = 60;
    /** One week: a "recent" rollout older than that is a new baseline, not something an alarm should undo. */
    private static final int MAX_GRACE_MINUTES = 7 * 24 * 60;

    public RollbackOnAlarmConfig {
        targetAutoScalingGroups = List.copyOf(targetAutoScalingGroups);
    }

    public static RollbackOnAlarmConfig from(Env env) {
        List<String> targets = env.list("TARGET_AUTO_SCALING_GROUPS");
        int grace = env.integer("ROLL_FORWARD_GRACE_MINUTES", DEFAULT_GRACE_MINUTES, 0, MAX_GRACE_MINUTES);
        String topic = env.string("NOTIFICATION_TOPIC_ARN", "");
        if (!topic.isEmpty() && !topic.startsWith("arn:")) {
            env.problem("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got '" + topic + "')");
        }
        boolean dryRun = env.dryRun();
        env.check();
        return new RollbackOnAlarmConfig(targets, Duration.ofMinutes(grace), topic, dryRun);
    }
}
