package io.amirollout.slack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnapStartPriming;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lambda entry point: notices from the notifications SNS topic and Auto Scaling / Image Builder /
 * CloudWatch EventBridge events become Slack messages.
 *
 * <p>Failure policy: malformed input and Slack's permanent refusals (4xx) return a FAILED result
 * without throwing (an asynchronous retry would fail the same way); transient failures (Slack 429 /
 * 5xx / timeouts after the retries that fit in the invocation, webhook URL unreadable) throw
 * {@link SlackDeliveryException} after one log line, so Lambda's asynchronous retries apply.
 */
public final class SlackNotifierHandler implements RequestStreamHandler {

    private final SlackNotifierService service;

    /** Used by Lambda: configuration and clients are built once per container. */
    public SlackNotifierHandler() {
        this(SlackNotifierConfig.from(Env.system()));
    }

    private SlackNotifierHandler(SlackNotifierConfig config) {
        this(create(config));
        // SnapStart: a notice through an offline webhook source and transport warms the real paths before the
        // snapshot: no AWS call, no Slack post. The jitter below draws from ThreadLocalRandom at call time, and
        // the webhook URL cache of the production service is untouched, so restored copies share no state.
        SnapStartPriming.register("slack-notifier", () -> SnapStartPriming.invoke(
                new SlackNotifierHandler(primingService(config)),
                SlackNotifierHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    /**
     * The production service's parts with an offline secret read (marshalled and signed, never sent) that
     * then falls back to a placeholder URL, and a transport that answers "ok" without a connection.
     */
    private static SlackNotifierService primingService(SlackNotifierConfig config) {
        WebhookSource offline = switch (config.webhook().kind()) {
            case SECRETS_MANAGER -> new SecretsManagerWebhookSource(SnapStartPriming.offlineClient(SecretsManagerClient.builder()), config.webhook().id());
            case SSM_PARAMETER -> new SsmWebhookSource(SnapStartPriming.offlineClient(SsmClient.builder()), config.webhook().id());
        };
        WebhookSource source = new WebhookSource() {
            @Override
            public URI fetch() {
                try {
                    offline.fetch();
                } catch (RuntimeException expected) {
                    // The offline client always fails; the placeholder lets the posting path run too.
                }
                return URI.create("https://hooks.slack.com/services/SNAPSTART/PRIMING/never-called");
            }

            @Override
            public String describe() {
                return "SnapStart priming placeholder";
            }
        };
        SlackWebhookClient client = new SlackWebhookClient((url, json, timeout) -> WebhookTransport.Response.of(200, "ok"),
                Sleeper.threadSleep(), config.slackTimeout(), () -> 0.5);
        return new SlackNotifierService(new MessageFactory(new ConsoleLinks(config.consoleBaseUrl())),
                new CachedWebhookUrl(source, config.webhookCacheTtl(), Clock.systemUTC()), client, false, Clock.systemUTC());
    }

    SlackNotifierHandler(SlackNotifierService service) {
        this.service = service;
    }

    static SlackNotifierService create(SlackNotifierConfig config) {
        WebhookSource source = switch (config.webhook().kind()) {
            case SECRETS_MANAGER -> new SecretsManagerWebhookSource(AwsClients.build(SecretsManagerClient.builder()), config.webhook().id());
            case SSM_PARAMETER -> new SsmWebhookSource(AwsClients.build(SsmClient.builder()), config.webhook().id());
        };
        CachedWebhookUrl webhook = new CachedWebhookUrl(source, config.webhookCacheTtl(), Clock.systemUTC());
        SlackWebhookClient client = new SlackWebhookClient(new JdkWebhookTransport(config.slackTimeout()),
                Sleeper.threadSleep(), config.slackTimeout(), () -> ThreadLocalRandom.current().nextDouble());
        return new SlackNotifierService(new MessageFactory(new ConsoleLinks(config.consoleBaseUrl())), webhook, client,
                config.dryRun(), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        JsonNode event;
        try {
            event = Json.readTree(input);
        } catch (InvalidEventException e) {
            Log.error("event is not readable JSON; nothing to post", "error", e.getMessage());
            Json.write(output, NotifyResult.invalid(e.getMessage()));
            return;
        }
        NotifyResult result = service.handle(event, () -> context.getRemainingTimeInMillis());
        if (result.retryable()) {
            long failed = result.messages().stream().filter(m -> !SlackNotifierService.DELIVERED_OUTCOMES.contains(m.outcome())).count();
            String message = failed + " of " + result.messages().size()
                    + " Slack message(s) not delivered for now; failing the invocation so Lambda retries it";
            Log.error(message, "outcomes", result.messages());
            throw new SlackDeliveryException(message);
        }
        Json.write(output, result);
    }
}
