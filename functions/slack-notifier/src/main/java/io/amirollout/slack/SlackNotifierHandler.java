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
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateTable;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lambda entry point: notices from the notifications SNS topic and Auto Scaling / Image Builder /
 * CloudWatch EventBridge events become Slack messages.
 *
 * <p>Deployed, everything arrives through the Slack queue (SNS and EventBridge → SQS → this function, at most
 * two containers, each pacing its posts): see {@link #handleQueued}. Direct invocations are still handled.
 *
 * <p>Failure policy: malformed input returns a FAILED result (nothing to retry). Every message that could
 * not be delivered — permanent (Slack's 4xx, the webhook missing) or transient (429 / 5xx / timeouts after
 * the retries that fit) — fails the invocation with {@link SlackDeliveryException} naming the cause (status,
 * Slack's error text, the secret or parameter name; never the URL), so it is retried and then reaches the
 * failure queue and its alarm.
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
        Clock clock = Clock.systemUTC();
        CachedWebhookUrl webhook = new CachedWebhookUrl(source, config.webhookCacheTtl(), clock);
        StateTable table = config.stateTableName() == null ? null : StateTables.dynamo(config.stateTableName());
        PostSlots slots = table == null ? PostSlots.local(config.paceInterval()) : PostSlots.table(table, config.paceInterval());
        WebhookTransport paced = new PacedTransport(new JdkWebhookTransport(config.slackTimeout()), clock,
                Sleeper.threadSleep(), slots);
        SlackWebhookClient client = new SlackWebhookClient(paced, Sleeper.threadSleep(), config.slackTimeout(),
                () -> ThreadLocalRandom.current().nextDouble());
        DeliveryLedger ledger = table == null ? DeliveryLedger.inMemory(clock) : DeliveryLedger.table(new ProcessedEvents(table), clock);
        StatusRecorder recorder = config.recordStatus() ? new StatusRecorder(table) : null;
        return new SlackNotifierService(new MessageFactory(new ConsoleLinks(config.consoleBaseUrl())), webhook, client,
                config.dryRun(), clock, ledger, recorder, recorder == null ? null : new StatusMetrics(System.out, clock));
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
        if (QueuedNotices.looksLike(event)) {
            handleQueued(event, output, context);
            return;
        }
        NotifyResult result = service.handle(event, () -> context.getRemainingTimeInMillis());
        if (result.status().equals("FAILED") && !result.messages().isEmpty()) {
            // Every delivery failure fails the invocation, permanent ones too (a revoked webhook, an archived
            // channel, a missing parameter): Lambda's retry re-reads the webhook, and the failure then reaches
            // the failure queue and its alarm instead of a log line nobody reads. The cause is in the error.
            List<NotifyResult.MessageOutcome> failed = result.messages().stream()
                    .filter(m -> !SlackNotifierService.DELIVERED_OUTCOMES.contains(m.outcome())).toList();
            String message = failed.size() + " of " + result.messages().size() + " Slack message(s) not delivered: "
                    + String.join("; ", failed.stream().map(SlackNotifierService::cause).toList());
            Log.error(message, "outcomes", result.messages());
            throw new SlackDeliveryException(message);
        }
        Json.write(output, result);
    }

    /**
     * A batch from the Slack queue. Answers the SQS partial batch response ({@code batchItemFailures}: the
     * event source mapping has ReportBatchItemFailures), naming the message that failed and every later one, so
     * they come back in order and nothing delivered is posted again. When nothing of the batch was delivered the
     * invocation fails instead, with the cause in the error (the whole batch returns to the queue).
     */
    private void handleQueued(JsonNode event, OutputStream output, Context context) {
        List<QueuedNotices.Item> items;
        try {
            items = QueuedNotices.read(event);
        } catch (InvalidEventException e) {
            Log.error("SQS event not readable; the batch goes back to the queue", "error", e.getMessage());
            throw new SlackDeliveryException("SQS event not readable: " + e.getMessage());
        }
        SlackNotifierService.QueueResult result = service.handleQueued(items, () -> context.getRemainingTimeInMillis());
        if (result.cause() != null) {
            String message = result.failedMessageIds().size() + " of " + items.size()
                    + " queued notice(s) not delivered, first because: " + result.cause();
            Log.error(message, "outcomes", result.outcomes());
            if (!result.anyDelivered()) {
                throw new SlackDeliveryException(message);
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchItemFailures", result.failedMessageIds().stream().map(id -> Map.of("itemIdentifier", id)).toList());
        response.put("messages", result.outcomes());
        Json.write(output, response);
    }
}
