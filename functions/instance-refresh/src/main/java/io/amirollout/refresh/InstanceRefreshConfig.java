package io.amirollout.refresh;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * instance-refresh configuration from environment variables. {@link #from(Env)} fails start-up
 * naming every bad variable at once; above all it refuses to run without trusted image owners,
 * because choosing an AMI by name without an owner is how a look-alike public AMI wins.
 *
 * @param trustedImageOwners     account ids every DescribeImages call names as Owners
 * @param targetAutoScalingGroups explicit group names; empty = discover groups tagged ami-rollout:enabled=true
 * @param defaultImageName       image name / AMI name prefix for listed groups without an ami-rollout:image tag
 * @param scaleInProtectedInstances instance refresh preference: Refresh, Ignore or Wait
 * @param standbyInstances       instance refresh preference: Terminate, Ignore or Wait
 * @param notificationTopicArn   notices go here; null = log only
 * @param dryRun                 decide and report, change nothing
 * @param stateTableName         the stack's state table (STATE_TABLE_NAME): releases, decisions, rejected AMIs
 * @param newestByNameOnTick     NEWEST_AMI_BY_NAME_ON_TICK: the single-account mode in which every tick looks for
 *                               the newest trusted AMI of the group's image by name (never a rejected one);
 *                               only with exactly one group in TARGET_AUTO_SCALING_GROUPS
 * @param tickIntervalMinutes    TICK_INTERVAL_MINUTES: how often the schedule ticks (the template derives the schedule from
 *                               the same parameter); a window shorter than this may never contain a tick
 * @param defaultWindow          the window of a group without schedule tags (DEFAULT_UPDATE_DAY, DEFAULT_UPDATE_TIME,
 *                               DEFAULT_WINDOW_MINUTES)
 * @param versionRetentionDays   VERSION_RETENTION_DAYS: versions this function made, unused and unrecorded, are deleted
 *                               by the tick after this many days (0: never)
 */
public record InstanceRefreshConfig(List<String> trustedImageOwners, List<String> targetAutoScalingGroups,
                                    String defaultImageName, String scaleInProtectedInstances,
                                    String standbyInstances, String notificationTopicArn, boolean dryRun,
                                    String stateTableName, boolean newestByNameOnTick, int tickIntervalMinutes,
                                    DefaultWindow defaultWindow, int versionRetentionDays) {

    /** The stack's default window for groups without schedule tags. */
    public record DefaultWindow(String days, String start, String minutes) {
        static final DefaultWindow BUILT_IN = new DefaultWindow(MaintenanceWindow.DEFAULT_DAYS, MaintenanceWindow.DEFAULT_START,
                Integer.toString(MaintenanceWindow.DEFAULT_MINUTES));
    }

    static final Set<String> SCALE_IN_PROTECTED_VALUES = Set.of("Refresh", "Ignore", "Wait");
    static final Set<String> STANDBY_VALUES = Set.of("Terminate", "Ignore", "Wait");

    public InstanceRefreshConfig {
        trustedImageOwners = List.copyOf(trustedImageOwners);
        targetAutoScalingGroups = List.copyOf(targetAutoScalingGroups);
    }

    public static InstanceRefreshConfig from(Env env) {
        List<String> owners = env.list("TRUSTED_IMAGE_OWNERS", v -> v.matches("\\d{12}"), "12-digit AWS account ids");
        if (owners.isEmpty()) {
            env.problem("TRUSTED_IMAGE_OWNERS is required: the comma-separated 12-digit account id(s) that own your "
                    + "golden AMIs. Without it an AMI would be chosen by name alone, and a public AMI with a "
                    + "look-alike name could win");
        }
        List<String> groups = env.list("TARGET_AUTO_SCALING_GROUPS");
        String defaultImage = env.optional("DEFAULT_IMAGE_NAME").orElse(null);
        String protectedInstances = oneOf(env, "SCALE_IN_PROTECTED_INSTANCES", "Ignore", SCALE_IN_PROTECTED_VALUES);
        String standby = oneOf(env, "STANDBY_INSTANCES", "Ignore", STANDBY_VALUES);
        String topic = env.optional("NOTIFICATION_TOPIC_ARN").orElse(null);
        if (topic != null && !topic.startsWith("arn:")) {
            env.problem("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got '" + topic + "')");
        }
        boolean dryRun = env.dryRun();
        String table = env.optional(StateTables.TABLE_NAME_VARIABLE).orElse(null);
        if (table == null) {
            env.problem(StateTables.TABLE_NAME_VARIABLE + " is required: the state table that remembers each group's releases "
                    + "and rejected AMIs (template resource StateTable)");
        }
        String byName = env.string("NEWEST_AMI_BY_NAME_ON_TICK", "false");
        if (!byName.equalsIgnoreCase("true") && !byName.equalsIgnoreCase("false")) {
            env.problem("NEWEST_AMI_BY_NAME_ON_TICK must be true or false (got '" + byName + "')");
        }
        boolean newestByName = byName.equalsIgnoreCase("true");
        if (newestByName && groups.size() != 1) {
            env.problem("NEWEST_AMI_BY_NAME_ON_TICK=true is the single-account mode: it needs exactly one group in "
                    + "TARGET_AUTO_SCALING_GROUPS (got " + groups.size() + "); with several groups, releases drive the rollout");
        }
        String tick = env.string("TICK_INTERVAL_MINUTES", "15");
        int tickMinutes = 15;
        try {
            tickMinutes = Integer.parseInt(tick.trim());
            if (tickMinutes < 1 || tickMinutes > 1440) {
                env.problem("TICK_INTERVAL_MINUTES must be from 1 to 1440 (got '" + tick + "')");
            }
        } catch (NumberFormatException e) {
            env.problem("TICK_INTERVAL_MINUTES must be a whole number of minutes (got '" + tick + "')");
        }
        DefaultWindow window = new DefaultWindow(env.string("DEFAULT_UPDATE_DAY", DefaultWindow.BUILT_IN.days()),
                env.string("DEFAULT_UPDATE_TIME", DefaultWindow.BUILT_IN.start()),
                env.string("DEFAULT_WINDOW_MINUTES", DefaultWindow.BUILT_IN.minutes()));
        try {
            MaintenanceWindow parsed = MaintenanceWindow.parse(window.days(), window.start(), window.minutes(), null);
            if (parsed.length().toMinutes() < tickMinutes) {
                env.problem("DEFAULT_WINDOW_MINUTES (" + window.minutes() + ") is shorter than TICK_INTERVAL_MINUTES (" + tickMinutes
                        + "): a tick might never fall inside the default window");
            }
        } catch (IllegalArgumentException e) {
            env.problem("the default window (DEFAULT_UPDATE_DAY, DEFAULT_UPDATE_TIME, DEFAULT_WINDOW_MINUTES) is invalid: " + e.getMessage());
        }
        String retention = env.string("VERSION_RETENTION_DAYS", "30");
        int retentionDays = 30;
        try {
            retentionDays = Integer.parseInt(retention.trim());
            if (retentionDays < 0 || retentionDays > 3650) {
                env.problem("VERSION_RETENTION_DAYS must be from 0 (never delete) to 3650 (got '" + retention + "')");
            }
        } catch (NumberFormatException e) {
            env.problem("VERSION_RETENTION_DAYS must be a whole number of days (got '" + retention + "')");
        }
        env.check();
        return new InstanceRefreshConfig(owners, groups, defaultImage, protectedInstances, standby, topic, dryRun, table, newestByName,
                tickMinutes, window, retentionDays);
    }

    /** True when groups come from TARGET_AUTO_SCALING_GROUPS rather than tag discovery. */
    public boolean explicitGroups() {
        return !targetAutoScalingGroups.isEmpty();
    }

    public Optional<String> defaultImage() {
        return Optional.ofNullable(defaultImageName);
    }

    private static String oneOf(Env env, String name, String defaultValue, Set<String> allowed) {
        String value = env.string(name, defaultValue);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        env.problem(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                + " (got '" + value + "')");
        return defaultValue;
    }
}
