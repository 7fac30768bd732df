package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds the messages for an event and posts each one to Slack. One message failing does not stop
 * the others. Permanent failures (Slack's 4xx) are reported in the result; transient ones (429 / 5xx
 * / timeouts until time or attempts ran out, webhook URL unreadable) make {@link NotifyResult#retryable()}
 * true so the handler throws and Lambda retries.
 */
public final class SlackNotifierService {

    /** Outcomes that count as done: posted, already posted by an earlier delivery, or a dry run. */
    static final java.util.Set<String> DELIVERED_OUTCOMES = java.util.Set.of("DELIVERED", "DUPLICATE", "DRY_RUN");

    private final MessageFactory factory;
    private final CachedWebhookUrl webhook;
    private final SlackWebhookClient client;
    private final boolean dryRunConfigured;
    private final RecentDeliveries recent;

    public SlackNotifierService(MessageFactory factory, CachedWebhookUrl webhook, SlackWebhookClient client, boolean dryRun) {
        this(factory, webhook, client, dryRun, Clock.systemUTC());
    }

    public SlackNotifierService(MessageFactory factory, CachedWebhookUrl webhook, SlackWebhookClient client, boolean dryRun,
                                Clock clock) {
        this.factory = factory;
        this.webhook = webhook;
        this.client = client;
        this.dryRunConfigured = dryRun;
        this.recent = new RecentDeliveries(clock);
    }

    public NotifyResult handle(JsonNode event, LongSupplier remainingMillis) {
        boolean dryRun = dryRunConfigured || event.path("dryRun").asBoolean(false);
        List<SlackMessage> messages;
        try {
            messages = factory.messagesFor(event);
        } catch (InvalidEventException e) {
            Log.warn("event could not be read; nothing posted", "error", e.getMessage());
            return NotifyResult.invalid(e.getMessage());
        }
        List<NotifyResult.MessageOutcome> outcomes = new ArrayList<>();
        for (SlackMessage message : messages) {
            if (message.correlationId() != null) {
                Log.correlationId(message.correlationId());
            }
            outcomes.add(post(message, dryRun, remainingMillis));
        }
        boolean allDelivered = outcomes.stream().allMatch(o -> DELIVERED_OUTCOMES.contains(o.outcome()));
        String status = !allDelivered ? "FAILED" : dryRun ? "DRY_RUN" : "DELIVERED";
        return new NotifyResult(status, dryRun, outcomes, null);
    }

    private NotifyResult.MessageOutcome post(SlackMessage message, boolean dryRun, LongSupplier remainingMillis) {
        ObjectNode payload = BlockKit.render(message);
        String json = Json.write(payload);
        if (dryRun) {
            Log.info("dry run: Slack message built, not posted", "title", message.title(),
                    "severity", message.severity().name(), "color", BlockKit.color(message.severity()),
                    "source", message.source(), "blocks", payload.path("attachments").path(0).path("blocks").size(),
                    "payloadChars", json.length());
            return outcome(message, new DeliveryResult(DeliveryResult.Outcome.DRY_RUN, 0, null, null));
        }
        if (recent.contains(message.deliveryKey())) {
            Log.info("already posted by an earlier delivery of the same event; skipped", "deliveryKey", message.deliveryKey(),
                    "title", message.title());
            return new NotifyResult.MessageOutcome(message.source(), message.title(), message.severity().name(),
                    "DUPLICATE", 0, null, null);
        }
        URI url;
        try {
            url = webhook.get();
        } catch (WebhookUnavailableException e) {
            Log.error("Slack webhook URL unavailable; message not posted", "error", e.getMessage(), "title", message.title());
            return new NotifyResult.MessageOutcome(message.source(), message.title(), message.severity().name(),
                    "WEBHOOK_UNAVAILABLE", 0, null, e.getMessage());
        }
        DeliveryResult result = client.post(url, json, remainingMillis);
        if (result.outcome() == DeliveryResult.Outcome.DELIVERED) {
            recent.add(message.deliveryKey());
            Log.info("posted to Slack", "title", message.title(), "severity", message.severity().name(),
                    "attempts", result.attempts());
        } else if (result.httpStatus() != null && (result.httpStatus() == 403 || result.httpStatus() == 404 || result.httpStatus() == 410)) {
            // The webhook may have been revoked or its channel archived, and a new URL stored: read it again next time.
            webhook.invalidate();
        }
        return outcome(message, result);
    }

    private static NotifyResult.MessageOutcome outcome(SlackMessage message, DeliveryResult result) {
        return new NotifyResult.MessageOutcome(message.source(), message.title(), message.severity().name(),
                result.outcome().name(), result.attempts(), result.httpStatus(), result.slackError());
    }
}
