package io.amirollout.invoker;

import io.amirollout.shared.Env;

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
 */
public record CrossAccountInvokerConfig(String targetRoleName, String targetFunctionName, String externalId,
                                        List<String> targetAccounts, List<String> organizationalUnits,
                                        List<String> allowAccounts, List<String> denyAccounts,
                                        List<String> targetRegions, int maxConcurrency, Duration assumeRoleDuration,
                                        Duration timeSafetyMargin, String notificationTopicArn, boolean dryRun) {

    /**
     * Chosen from {@code FanOutBenchmark} (figures in the README): throughput grows linearly with
     * concurrency (16: 101 accounts/s, 32: 200, 64: 396 at 50 ms per call), and 32 does 10,000
     * accounts in about 50 s. At real AWS latencies (AssumeRole ~150 ms, Invoke ~80 ms per region,
     * slow outliers and retries included) 32 still finishes 10,000 accounts in a few minutes, with
     * twice the headroom of 16, while keeping STS at a few hundred AssumeRole calls a second at most.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 32;
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
        env.check();
        return new CrossAccountInvokerConfig(role, function, externalId, List.copyOf(accounts), List.copyOf(ous),
                List.copyOf(allow), List.copyOf(deny), List.copyOf(regions), concurrency, duration, margin, topic, dryRun);
    }

    /** Keeps the external id out of logs and results. */
    @Override
    public String toString() {
        return "CrossAccountInvokerConfig[targetRoleName=" + targetRoleName + ", targetFunctionName=" + targetFunctionName
                + ", externalId=" + (externalId == null ? "none" : "(set)") + ", targetAccounts=" + targetAccounts
                + ", organizationalUnits=" + organizationalUnits + ", allowAccounts=" + allowAccounts
                + ", denyAccounts=" + denyAccounts + ", targetRegions=" + targetRegions + ", maxConcurrency="
                + maxConcurrency + ", assumeRoleDuration=" + assumeRoleDuration + ", timeSafetyMargin=" + timeSafetyMargin
                + ", notificationTopicArn=" + notificationTopicArn + ", dryRun=" + dryRun + "]";
    }
}
