package io.amirollout.slack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.InputStream;
import java.io.OutputStream;
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
        this(create(SlackNotifierConfig.from(Env.system())));
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
