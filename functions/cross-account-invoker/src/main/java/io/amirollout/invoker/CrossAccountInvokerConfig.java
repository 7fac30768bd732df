package io.amirollout.invoker;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * cross-account-invoker's configuration, read once at start-up.
 *
 * @param targetRoleName        {@code TARGET_ROLE_NAME}: role (optionally with a path) assumed in each workload account
 * @param targetFunctionName    {@code TARGET_FUNCTION_NAME}: instance-refresh's name (or name:alias) in each workload account
 * @param externalId            {@code EXTERNAL_ID}: sent with AssumeRole when the roles require one (null = none)
 * @param targetAccounts        {@code TARGET_ACCOUNTS}: static account list; when set Organizations is not called
 * @param organizationalUnits   {@code ORGANIZATIONAL_UNITS}: OU (or root) ids whose accounts, recursively, are targets
 * @param allowAccounts         {@code ALLOW_ACCOUNTS}: when set, only these accounts
 * @param denyAccounts          {@code DENY_ACCOUNTS}: never these accounts
 * @param targetRegions         {@code TARGET_REGIONS}: when set, only these of the image's regions
 * @param maxConcurrency        {@code MAX_CONCURRENCY}: accounts worked on at once
 * @param assumeRoleDuration    {@code ASSUME_ROLE_DURATION_SECONDS}: session length (900-3600: role chaining)
 * @param timeSafetyMargin      {@code TIME_SAFETY_MARGIN_SECONDS}: stop starting targets when less time than this remains
 * @param notificationTopicArn  {@code NOTIFICATION_TOPIC_ARN}: where notices go (null = log only)
 * @param dryRun                {@code DRY_RUN}: list the targets, assume and invoke nothing
 * @param sourcePipelineArns    {@code SOURCE_PIPELINE_ARNS}: only images built by these pipelines are fanned out
 * @param stateTableName        {@code STATE_TABLE_NAME}: the infra stack's state table (the fan-out record)
 * @param maxAttempts           {@code MAX_ATTEMPTS}: attempts per target before it is FAILED (retryable failures)
 * @param maxContinuations      {@code MAX_CONTINUATIONS}: self-invocations per round before the rest is given up
 * @param includeInfraAccount   {@code INCLUDE_INFRA_ACCOUNT}: the image's own account is a target too (single-account setups)
 */
public record CrossAccountInvokerConfig(String targetRoleName, String targetFunctionName, String externalId,
                                        List<String> targetAccounts, List<String> organizationalUnits,
                                        List<String> allowAccounts, List<String> denyAccounts,
                                        List<String> targetRegions, int maxConcurrency, Duration assumeRoleDuration,
                                        Duration timeSafetyMargin, String notificationTopicArn, boolean dryRun,
                                        List<String> sourcePipelineArns, String stateTableName, int maxAttempts,
                                        int maxContinuations, boolean includeInfraAccount) {

    /**
     * Chosen from {@code FanOutBenchmark} (figures in the README), run with the deployed settings: 10,000
     * accounts × 3 regions at 50 ms per AWS call (listing and state-table writes included) take 168 s at 64,
     * 308 s at 32 and 559 s at 16 of the 900 s timeout; 64 leaves over 5× margin in one invocation.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    /** Attempts per target: with {@link RetryPolicy}'s backoff (10 s doubling) the last one starts ~5 minutes after the first. */
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    /** Continuations per round: each runs up to the function's timeout, so this bounds a round to a few hours. */
    public static final int DEFAULT_MAX_CONTINUATIONS = 20;
    static final Pattern PIPELINE_ARN = Pattern.compile("^arn:aws[^:]*:imagebuilder:[^:]+:[0-9]{12}:image-pipeline/[a-z0-9-_]+$");
    /** STS: a role session assumed with role-chained credentials (a Lambda's role) lasts at most one hour. */
    public static final int ROLE_CHAINING_MAX_SECONDS = 3600;
    /** STS: the shortest session. */
    public static final int MIN_SESSION_SECONDS = 900;

    static final Pattern ACCOUNT = Pattern.compile("^[0-9]{12}$");
    static final Pattern OU_OR_ROOT = Pattern.compile("^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$");
    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]+$");
    /** IAM role name (1-64 of [\w+=,.@-]) with an optional path of such segments. */
    static final Pattern ROLE_NAME = Pattern.compile("^/?([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$");
    /** A function name (1-64 of [a-zA-Z0-9-_]) with an optional version or alias qualifier. */
    static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}(:(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$");
    /** STS ExternalId: 2-1224 of [\w+=,.@:/-]. */
    static final Pattern EXTERNAL_ID = Pattern.compile("^[\\w+=,.@:/-]{2,1224}$");

    public static CrossAccountInvokerConfig from(Env env) {
        String role = env.required("TARGET_ROLE_NAME", "the role to assume in each workload account",
                v -> ROLE_NAME.matcher(v).matches(), "an IAM role name, optionally with a path (not an ARN)");
        String function = env.required("TARGET_FUNCTION_NAME", "instance-refresh's name in each workload account",
                v -> FUNCTION_NAME.matcher(v).matches(), "a Lambda function name, optionally name:alias (not an ARN)");
        String externalId = env.optional("EXTERNAL_ID").orElse(null);
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            // Never echo the value: an external id is a shared secret of sorts.
            env.problem("EXTERNAL_ID must be 2-1224 characters of letters, digits and _+=,.@:/-");
        }
        List<String> accounts = env.list("TARGET_ACCOUNTS", v -> ACCOUNT.matcher(v).matches(), "12-digit account ids");
        List<String> ous = env.list("ORGANIZATIONAL_UNITS", v -> OU_OR_ROOT.matcher(v).matches(),
                "OU ids (ou-xxxx-xxxxxxxx) or root ids (r-xxxx)");
        if (!accounts.isEmpty() && !ous.isEmpty()) {
            env.problem("set TARGET_ACCOUNTS or ORGANIZATIONAL_UNITS, not both (a static list means Organizations is not called)");
        }
        List<String> allow = env.list("ALLOW_ACCOUNTS", v -> ACCOUNT.matcher(v).matches(), "12-digit account ids");
        List<String> deny = env.list("DENY_ACCOUNTS", v -> ACCOUNT.matcher(v).matches(), "12-digit account ids");
        List<String> regions = env.list("TARGET_REGIONS", v -> REGION.matcher(v).matches(), "region names like eu-west-1");
        int concurrency = env.integer("MAX_CONCURRENCY", DEFAULT_MAX_CONCURRENCY, 1, 256);
        Duration duration = env.seconds("ASSUME_ROLE_DURATION_SECONDS", Duration.ofSeconds(MIN_SESSION_SECONDS),
                MIN_SESSION_SECONDS, ROLE_CHAINING_MAX_SECONDS);
        Duration margin = env.seconds("TIME_SAFETY_MARGIN_SECONDS", Duration.ofSeconds(30), 0, 600);
        String topic = env.snsTopicArn("NOTIFICATION_TOPIC_ARN");
        ReleaseStatusConfig.from(env); // the status request's STATE_TABLE_NAME (read by the handler; issue 16)
        boolean dryRun = env.dryRun();
        List<String> pipelines = env.list("SOURCE_PIPELINE_ARNS", v -> PIPELINE_ARN.matcher(v).matches(),
                "image pipeline ARNs (arn:aws:imagebuilder:<region>:<account>:image-pipeline/<name>)");
        if (pipelines.isEmpty()) {
            env.problem("SOURCE_PIPELINE_ARNS is required: only images built by these pipelines are rolled out");
        }
        String table = env.required(StateTables.TABLE_NAME_VARIABLE, "the state table holding each release's fan-out record");
        int attempts = env.integer("MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 20);
        int continuations = env.integer("MAX_CONTINUATIONS", DEFAULT_MAX_CONTINUATIONS, 0, 100);
        boolean includeInfra = env.bool("INCLUDE_INFRA_ACCOUNT", false);
        env.check();
        return new CrossAccountInvokerConfig(role, function, externalId, List.copyOf(accounts), List.copyOf(ous),
                List.copyOf(allow), List.copyOf(deny), List.copyOf(regions), concurrency, duration, margin, topic, dryRun,
                List.copyOf(pipelines), table, attempts, continuations, includeInfra);
    }

    /** Keeps the external id out of logs and results. */
    @Override
    public String toString() {
        return "CrossAccountInvokerConfig[targetRoleName=" + targetRoleName + ", targetFunctionName=" + targetFunctionName
                + ", externalId=" + (externalId == null ? "none" : "(set)") + ", targetAccounts=" + targetAccounts
                + ", organizationalUnits=" + organizationalUnits + ", allowAccounts=" + allowAccounts
                + ", denyAccounts=" + denyAccounts + ", targetRegions=" + targetRegions + ", maxConcurrency="
                + maxConcurrency + ", assumeRoleDuration=" + assumeRoleDuration + ", timeSafetyMargin=" + timeSafetyMargin
                + ", notificationTopicArn=" + notificationTopicArn + ", dryRun=" + dryRun + ", sourcePipelineArns="
                + sourcePipelineArns + ", stateTableName=" + stateTableName + ", maxAttempts=" + maxAttempts
                + ", maxContinuations=" + maxContinuations + ", includeInfraAccount=" + includeInfraAccount + "]";
    }
}
