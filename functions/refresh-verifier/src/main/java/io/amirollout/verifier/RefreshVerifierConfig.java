package io.amirollout.verifier;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.time.Duration;
import java.util.Set;

/**
 * refresh-verifier's configuration, read once at start-up; every problem is named at once.
 *
 * @param stateTableName            the workload stack's state table (STATE_TABLE_NAME)
 * @param scaleInProtectedInstances as instance-refresh's SCALE_IN_PROTECTED_INSTANCES: what a refresh does with
 *                                  protected instances (convergence leaves them alone when Ignore; roll forward uses it)
 * @param standbyInstances          as instance-refresh's STANDBY_INSTANCES
 * @param pollInterval              pause between two rounds of checks within one invocation
 * @param maxContinuations          how many times one verification may re-invoke the function (bounds the wait)
 * @param notificationTopicArn      notices go here; null = log only
 * @param dryRun                    decide and report, change nothing
 */
public record RefreshVerifierConfig(String stateTableName, String scaleInProtectedInstances, String standbyInstances,
                                    Duration pollInterval, int maxContinuations, String notificationTopicArn,
                                    boolean dryRun) {

    static final Set<String> SCALE_IN_PROTECTED_VALUES = Set.of("Refresh", "Ignore", "Wait");
    static final Set<String> STANDBY_VALUES = Set.of("Terminate", "Ignore", "Wait");

    public static RefreshVerifierConfig from(Env env) {
        String table = env.required(StateTables.TABLE_NAME_VARIABLE, "the stack's state table: which refreshes ami-rollout "
                + "started, and the verification records", v -> v.matches("[a-zA-Z0-9_.-]{3,255}"), "a DynamoDB table name");
        String protectedInstances = oneOf(env, "SCALE_IN_PROTECTED_INSTANCES", "Ignore", SCALE_IN_PROTECTED_VALUES);
        String standby = oneOf(env, "STANDBY_INSTANCES", "Ignore", STANDBY_VALUES);
        Duration poll = env.seconds("POLL_INTERVAL_SECONDS", Duration.ofSeconds(15), 1, 300);
        int continuations = env.integer("MAX_CONTINUATIONS", 12, 0, 100);
        String topic = env.snsTopicArn("NOTIFICATION_TOPIC_ARN");
        boolean dryRun = env.dryRun();
        env.check();
        return new RefreshVerifierConfig(table, protectedInstances, standby, poll, continuations, topic, dryRun);
    }

    private static String oneOf(Env env, String name, String defaultValue, Set<String> allowed) {
        String value = env.string(name, defaultValue);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        env.problem(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()) + " (got '" + value + "')");
        return defaultValue;
    }
}
