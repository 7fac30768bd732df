package io.amirollout.shared;

/**
 * The Auto Scaling group tags that configure a rollout, and the state tags the functions write
 * back so the truth lives in AWS (no database). One list, read by instance-refresh and
 * rollback-on-alarm alike.
 */
public final class RolloutTags {

    // Configuration, set by the team that owns the group.
    /** {@code true}: the group takes part. Absent: ignored. */
    public static final String ENABLED = "ami-rollout:enabled";
    /** Image Builder image name (or AMI name prefix) this group runs. Required when enabled. */
    public static final String IMAGE = "ami-rollout:image";
    /** Day(s) the window opens: mon..sun (also thur, tues, weds), comma list, or *. Default *. */
    public static final String UPDATE_DAY = "AMI_update_day";
    /** Window start HH:MM (24 h). Default 00:00. */
    public static final String UPDATE_TIME = "AMI_update_time";
    /** The same as {@link #UPDATE_DAY}, in the spelling some teams use in their own overrides. */
    public static final String REFRESH_DAY = "AMI_refresh_day";
    /** The same as {@link #UPDATE_TIME}, in the spelling some teams use in their own overrides. */
    public static final String REFRESH_TIME = "AMI_refresh_time";
    /** Window length in minutes. Default 120. */
    public static final String WINDOW_MINUTES = "ami-rollout:window";
    /** IANA time zone of the window. Default UTC. */
    public static final String TIMEZONE = "ami-rollout:timezone";
    /** Instance refresh MinHealthyPercentage. Default 90. */
    public static final String MIN_HEALTHY_PERCENTAGE = "ami-rollout:min-healthy-percentage";
    /** Instance refresh InstanceWarmup, seconds. Default: the group's. */
    public static final String INSTANCE_WARMUP = "ami-rollout:instance-warmup";
    /** Instance refresh checkpoint percentages, e.g. 20,50,100. Default none. */
    public static final String CHECKPOINTS = "ami-rollout:checkpoints";
    /** Seconds to wait at each checkpoint (instance refresh CheckpointDelay). Default: AWS's, 3600. */
    public static final String CHECKPOINT_DELAY = "ami-rollout:checkpoint-delay";
    /** Instance refresh MaxHealthyPercentage (100-200: launch before terminate). Default: none (the group's policy). */
    public static final String MAX_HEALTHY_PERCENTAGE = "ami-rollout:max-healthy-percentage";
    /** Instance refresh BakeTime, seconds after the last replacement before the refresh ends. Default none. */
    public static final String BAKE_TIME = "ami-rollout:bake-time";
    /** Per group: ScaleInProtectedInstances (Refresh, Ignore, Wait); overrides the stack's setting. */
    public static final String SCALE_IN_PROTECTED_INSTANCES = "ami-rollout:scale-in-protected-instances";
    /** Per group: StandbyInstances (Terminate, Ignore, Wait); overrides the stack's setting. */
    public static final String STANDBY_INSTANCES = "ami-rollout:standby-instances";
    /** Alarm names that stop and roll back the refresh (comma list). Default none. */
    public static final String ALARMS = "ami-rollout:alarms";

    // Tests refresh-verifier runs (its README lists every test tag). These two are shared because they decide
    // whether instance-refresh adds an early checkpoint (RefreshSettings.withEarlyCheckpoint).
    /** SSM Run Command document refresh-verifier runs on a sample of the new instances. Default none. */
    public static final String TEST_DOCUMENT = "ami-rollout:test-document";
    /** ECS cluster (name or ARN) the group's instances join; refresh-verifier checks it. Default none. */
    public static final String TEST_ECS_CLUSTER = "ami-rollout:test-ecs-cluster";
    /**
     * Percentage of the early checkpoint added for groups with tests ({@link #TEST_DOCUMENT} or
     * {@link #TEST_ECS_CLUSTER}); {@code none} turns it off. Default 10.
     */
    public static final String EARLY_CHECKPOINT = "ami-rollout:early-checkpoint";

    // State written by the functions.
    /** Launch-template version created for a refresh that waits for the window. */
    public static final String PENDING_VERSION = "ami-rollout:pending-version";
    /** AMI id of the pending version. */
    public static final String PENDING_IMAGE = "ami-rollout:pending-image";
    /** Numbered launch-template version the group ran before the latest refresh: the roll-forward target. */
    public static final String PREVIOUS_VERSION = "ami-rollout:previous-version";
    /** Numbered launch-template version the latest refresh moved the group to. */
    public static final String CURRENT_VERSION = "ami-rollout:current-version";
    /** Launch template id those versions belong to. */
    public static final String LAUNCH_TEMPLATE_ID = "ami-rollout:launch-template-id";

    private RolloutTags() {
    }
}
