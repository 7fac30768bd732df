package io.amirollout.slack;

import io.amirollout.shared.Env;

import java.time.Duration;
import java.util.Optional;

/**
 * slack-notifier's configuration, read once at start-up.
 *
 * @param webhook         where the webhook URL is kept (exactly one of a Secrets Manager secret or an SSM
 *                        SecureString parameter)
 * @param webhookCacheTtl how long the URL is reused across invocations in one container before it is read again
 * @param slackTimeout    time limit of one HTTP attempt to Slack
 * @param consoleBaseUrl  base of the AWS console links in messages (no trailing slash)
 * @param dryRun          build and log each message's summary, post nothing
 * @param paceInterval    least time between two posts to the webhook ({@code PACE_INTERVAL_MILLIS})
 * @param stateTableName  the stack's state table (posted deliveries and steps, release status), null = memory only
 * @param recordStatus    {@code RECORD_RELEASE_STATUS}: record the organization-wide status (infra stack)
 */
public record SlackNotifierConfig(WebhookLocation webhook, Duration webhookCacheTtl, Duration slackTimeout,
                                  String consoleBaseUrl, boolean dryRun, Duration paceInterval, String stateTableName,
                                  boolean recordStatus) {

    public static final String PACE_INTERVAL_MILLIS = "PACE_INTERVAL_MILLIS";
    public static final String RECORD_RELEASE_STATUS = "RECORD_RELEASE_STATUS";
    /**
     * Slack: one post per second per webhook. The slots are shared by every container through the state table
     * ({@link PostSlots#table}), so the interval is the webhook's, not a container's. 1.1 s, not 1 s: the time
     * between taking a slot and the request reaching Slack varies by some milliseconds between containers, and
     * with exactly 1 s two posts of different containers land closer than a second (PacingBenchmark: 1.0 s gave
     * 21 refusals in 40 posts, 1.1 s gave 1, at 0.88 messages/s sustained).
     */
    public static final int DEFAULT_PACE_INTERVAL_MILLIS = 1100;

    public static final String SECRET_ID = "SLACK_WEBHOOK_SECRET_ID";
    public static final String PARAMETER = "SLACK_WEBHOOK_PARAMETER";
    public static final String CACHE_SECONDS = "WEBHOOK_CACHE_SECONDS";
    public static final String TIMEOUT_SECONDS = "SLACK_TIMEOUT_SECONDS";
    public static final String CONSOLE_BASE_URL = "CONSOLE_BASE_URL";
    public static final String DEFAULT_CONSOLE_BASE_URL = "https://console.aws.amazon.com";

    /** Where the webhook URL lives. */
    public record WebhookLocation(Kind kind, String id) {
        public enum Kind { SECRETS_MANAGER, SSM_PARAMETER }

        /** Names the place without its content, for log lines and errors. */
        public String describe() {
            return kind == Kind.SECRETS_MANAGER ? "Secrets Manager secret '" + id + "'" : "SSM parameter '" + id + "'";
        }
    }

    /** Reads every variable, then fails once naming every problem ({@link Env#check()}). */
    public static SlackNotifierConfig from(Env env) {
        Optional<String> secretId = env.optional(SECRET_ID);
        Optional<String> parameter = env.optional(PARAMETER);
        WebhookLocation webhook = null;
        if (secretId.isPresent() == parameter.isPresent()) {
            env.problem("set exactly one of " + SECRET_ID + " (Secrets Manager secret id or ARN holding the Slack "
                    + "webhook URL) or " + PARAMETER + " (SSM SecureString parameter name holding it); "
                    + (secretId.isPresent() ? "both are set" : "neither is set"));
        } else {
            webhook = secretId.map(id -> new WebhookLocation(WebhookLocation.Kind.SECRETS_MANAGER, id))
                    .orElseGet(() -> new WebhookLocation(WebhookLocation.Kind.SSM_PARAMETER, parameter.get()));
        }
        Duration cache = env.seconds(CACHE_SECONDS, Duration.ofSeconds(300), 0, 86_400);
        Duration timeout = env.seconds(TIMEOUT_SECONDS, Duration.ofSeconds(5), 1, 60);
        String console = env.string(CONSOLE_BASE_URL, DEFAULT_CONSOLE_BASE_URL);
        if (!console.matches("https?://[^/\\s?#]+/?")) {
            env.problem(CONSOLE_BASE_URL + " must be a scheme and host such as " + DEFAULT_CONSOLE_BASE_URL
                    + " (got '" + console + "')");
        }
        boolean dryRun = env.dryRun();
        int pace = env.integer(PACE_INTERVAL_MILLIS, DEFAULT_PACE_INTERVAL_MILLIS, 0, 60_000);
        String table = env.optional(io.amirollout.shared.state.StateTables.TABLE_NAME_VARIABLE).orElse(null);
        boolean record = env.bool(RECORD_RELEASE_STATUS, false);
        if (record && table == null) {
            env.problem(RECORD_RELEASE_STATUS + "=true needs " + io.amirollout.shared.state.StateTables.TABLE_NAME_VARIABLE
                    + " (the table the status is recorded in)");
        }
        env.check();
        return new SlackNotifierConfig(webhook, cache, timeout, console.replaceAll("/+$", ""), dryRun,
                Duration.ofMillis(pace), table, record);
    }
}
