package io.amirollout.janitor;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.util.List;
import java.util.regex.Pattern;

/**
 * ami-janitor's configuration, read once at start-up. Every name is documented in the function's README.
 *
 * @param infraAccountId         {@code INFRA_ACCOUNT_ID}: the account that owns the AMIs (every DescribeImages names it as Owners)
 * @param imageNames             {@code IMAGE_NAMES}: Image Builder image (recipe) names this project's pipeline builds
 * @param regions                {@code REGIONS}: every region the pipeline distributes to
 * @param ageThresholdDays       {@code AGE_THRESHOLD_DAYS}: older than this and unused: marked (60)
 * @param graceDays              {@code GRACE_DAYS}: days from the mark to deregistration (7)
 * @param keepNewest             {@code KEEP_NEWEST}: the newest N AMIs of each image name and region are kept (2)
 * @param rollbackVersions       {@code ROLLBACK_VERSIONS}: launch-template versions below a group's current one that
 *                               count as rollback targets (3)
 * @param usageReportMaxAgeHours {@code USAGE_REPORT_MAX_AGE_HOURS}: how old a usage report may be to count (48)
 * @param workloadRoleName       {@code WORKLOAD_ROLE_NAME}: the cross-account role every workload stack creates
 * @param externalId             {@code EXTERNAL_ID}: sts:ExternalId for that role (null = none)
 * @param workloadAccounts       {@code WORKLOAD_ACCOUNTS}: workload accounts whose groups are read through the
 *                               role (the infra account's own groups are always read)
 * @param stateTableName         {@code STATE_TABLE_NAME}: the infra stack's state table
 * @param notificationTopicArn   {@code NOTIFICATION_TOPIC_ARN}: where notices go (null = log only)
 * @param dryRun                 {@code DRY_RUN}: decide and report, change nothing (default <b>true</b> for this function)
 * @param timeSafetyMarginSeconds {@code TIME_SAFETY_MARGIN_SECONDS}: stop starting work when less time remains (45)
 */
public record JanitorConfig(String infraAccountId, List<String> imageNames, List<String> regions,
                            int ageThresholdDays, int graceDays, int keepNewest, int rollbackVersions,
                            int usageReportMaxAgeHours, String workloadRoleName, String externalId,
                            List<String> workloadAccounts, String stateTableName, String notificationTopicArn,
                            boolean dryRun, int timeSafetyMarginSeconds) {

    static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-\\d$");
    /** Image Builder image (recipe) names: the ImageName stack parameter's pattern. */
    static final Pattern IMAGE_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-_]{0,99}$");
    static final Pattern ROLE_NAME = Pattern.compile("^[\\w+=,.@-]{1,64}$");

    public static JanitorConfig from(Env env) {
        String account = env.required("INFRA_ACCOUNT_ID", "the account that owns the golden AMIs",
                v -> ACCOUNT.matcher(v).matches(), "a 12-digit account id");
        List<String> names = env.list("IMAGE_NAMES", v -> IMAGE_NAME.matcher(v).matches(), "Image Builder image names");
        if (names.isEmpty()) {
            env.problem("IMAGE_NAMES is required (the Image Builder image names this project's pipeline builds; "
                    + "only their AMIs are ever considered)");
        }
        List<String> regions = env.list("REGIONS", v -> REGION.matcher(v).matches(), "region names like eu-west-1");
        if (regions.isEmpty()) {
            env.problem("REGIONS is required (every region the pipeline distributes AMIs to)");
        }
        int age = env.integer("AGE_THRESHOLD_DAYS", 60, 1, 3650);
        int grace = env.integer("GRACE_DAYS", 7, 1, 365);
        int keep = env.integer("KEEP_NEWEST", 2, 1, 100);
        int rollback = env.integer("ROLLBACK_VERSIONS", 3, 1, 100);
        int reportAge = env.integer("USAGE_REPORT_MAX_AGE_HOURS", 48, 1, 720);
        String role = env.required("WORKLOAD_ROLE_NAME", "the role each workload stack creates; the janitor reads "
                + "the accounts' Auto Scaling groups through it", v -> ROLE_NAME.matcher(v).matches(), "an IAM role name");
        String externalId = env.optional("EXTERNAL_ID").orElse(null);
        List<String> accounts = env.list("WORKLOAD_ACCOUNTS", v -> ACCOUNT.matcher(v).matches(), "12-digit account ids");
        String table = env.required(StateTables.TABLE_NAME_VARIABLE, "the state table where marks are recorded");
        String topic = env.snsTopicArn("NOTIFICATION_TOPIC_ARN");
        // Safe by default: without DRY_RUN=false the janitor only reports.
        boolean dryRun = env.bool("DRY_RUN", true);
        int margin = env.integer("TIME_SAFETY_MARGIN_SECONDS", 45, 5, 600);
        env.check();
        return new JanitorConfig(account, List.copyOf(names), List.copyOf(regions.stream().distinct().toList()), age,
                grace, keep, rollback, reportAge, role, externalId, List.copyOf(accounts), table, topic, dryRun, margin);
    }

    JanitorPolicy policy() {
        return new JanitorPolicy(ageThresholdDays, graceDays, keepNewest);
    }
}
