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
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Builds the messages for an event and posts each one to Slack.
 * <ul>
 *   <li>{@link #handle}: one event invoked directly (or asynchronously by SNS / EventBridge when a stack is wired
 *       that way): every message is tried; the result says what became of each.</li>
 *   <li>{@link #handleQueued}: a batch from the Slack queue, in order; at the first message that cannot be
 *       delivered the rest of the batch is handed back to the queue (partial batch response), so nothing is
 *       dropped and nothing delivered is posted again.</li>
 * </ul>
 * After Slack answers 403/404/410 the webhook URL is read again once (it may have been rotated) and, if it
 * changed, the message is posted once more before giving up.
 */
public final class SlackNotifierService {

    /**
     * Outcomes that count as done: posted, already posted, suppressed as the twin of a posted step, a dry run, or
     * a queued message that cannot be read (logged and dropped: retrying cannot make it readable).
     */
    static final Set<String> DELIVERED_OUTCOMES = Set.of("DELIVERED", "DUPLICATE", "SUPPRESSED", "DRY_RUN", "UNREADABLE");

    private final MessageFactory factory;
    private final CachedWebhookUrl webhook;
    private final SlackWebhookClient client;
    private final boolean dryRunConfigured;
    private final RecentDeliveries recent;
    private final DeliveryLedger ledger;
    private final StatusRecorder recorder;
    private final StatusMetrics metrics;

    public SlackNotifierService(MessageFactory factory, CachedWebhookUrl webhook, SlackWebhookClient client, boolean dryRun) {
        this(factory, webhook, client, dryRun, Clock.systemUTC());
    }

    public SlackNotifierService(MessageFactory factory, CachedWebhookUrl webhook, SlackWebhookClient client, boolean dryRun,
                                Clock clock) {
        this(factory, webhook, client, dryRun, clock, DeliveryLedger.inMemory(clock), null, null);
    }

    /**
     * @param ledger   posted deliveries and rollout steps (state table, or this container's memory)
     * @param recorder the organization-wide status recorder (infra stack), or null
     * @param metrics  dashboard metrics for recorded statuses, or null
     */
    SlackNotifierService(MessageFactory factory, CachedWebhookUrl webhook, SlackWebhookClient client, boolean dryRun,
                         Clock clock, DeliveryLedger ledger, StatusRecorder recorder, StatusMetrics metrics) {
        this.factory = factory;
        this.webhook = webhook;
        this.client = client;
        this.dryRunConfigured = dryRun;
        this.recent = new RecentDeliveries(clock);
        this.ledger = ledger;
        this.recorder = recorder;
        this.metrics = metrics;
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
        return result(outcomes, dryRun);
    }

    /** Time a message needs to be worth starting: the pacing wait, one attempt, and a retry after a 429. */
    static final long MIN_MILLIS_PER_MESSAGE = 10_000;

    /** A batch from the Slack queue, in order; see the class comment. */
    public QueueResult handleQueued(List<QueuedNotices.Item> items, LongSupplier remainingMillis) {
        List<NotifyResult.MessageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            QueuedNotices.Item item = items.get(i);
            if (remainingMillis.getAsLong() < MIN_MILLIS_PER_MESSAGE) {
                Log.info("invocation time nearly used up; the rest of the batch goes back to the queue",
                        "returned", items.size() - i);
                return new QueueResult(outcomes, ids(items.subList(i, items.size())), null);
            }
            List<NotifyResult.MessageOutcome> itemOutcomes = deliver(item, remainingMillis);
            outcomes.addAll(itemOutcomes);
            for (NotifyResult.MessageOutcome o : itemOutcomes) {
                if (!DELIVERED_OUTCOMES.contains(o.outcome())) {
                    return new QueueResult(outcomes, ids(items.subList(i, items.size())), cause(o));
                }
            }
        }
        return new QueueResult(outcomes, List.of(), null);
    }

    /**
     * @param failedMessageIds SQS message ids handed back to the queue (the failed one and every later one)
     * @param cause            why the first of them failed (never the URL), null when none failed
     */
    public record QueueResult(List<NotifyResult.MessageOutcome> outcomes, List<String> failedMessageIds, String cause) {
        public boolean anyDelivered() {
            return outcomes.stream().anyMatch(o -> o.outcome().equals("DELIVERED"));
        }
    }

    private List<NotifyResult.MessageOutcome> deliver(QueuedNotices.Item item, LongSupplier remainingMillis) {
        boolean dryRun = dryRunConfigured;
        List<SlackMessage> messages;
        try {
            messages = factory.messagesFor(item.event());
        } catch (InvalidEventException e) {
            // Bad input: one line, nothing posted, and the message is deleted (a retry would read it the same way).
            Log.error("queued message could not be read; nothing posted", "messageId", item.messageId(), "error", e.getMessage());
            return List.of(new NotifyResult.MessageOutcome("SQS message " + item.messageId(), "(unreadable)", "WARNING",
                    "UNREADABLE", 0, null, e.getMessage()));
        }
        if (dryRun) {
            return messages.stream().map(m -> post(m, true, remainingMillis)).toList();
        }
        recordStatus(item.event());
        DeliveryLedger.Claim claim = ledger.begin(item.deliveryId());
        if (claim == DeliveryLedger.Claim.POSTED) {
            Log.info("already posted by an earlier delivery; skipped", "deliveryId", item.deliveryId());
            return messages.stream().map(m -> outcome(m, "DUPLICATE", 0, null, null)).toList();
        }
        if (claim == DeliveryLedger.Claim.IN_PROGRESS) {
            return messages.stream().map(m -> outcome(m, "IN_PROGRESS", 0, null,
                    "another container is posting the same delivery; retried later")).toList();
        }
        String step = RolloutStep.of(item.event()).orElse(null);
        if (step != null && ledger.begin(step) != DeliveryLedger.Claim.CLAIMED) {
            Log.info("the same rollout step was already reported; this report is not posted again", "step", step,
                    "deliveryId", item.deliveryId());
            ledger.posted(item.deliveryId());
            return messages.stream().map(m -> outcome(m, "SUPPRESSED", 0, null, null)).toList();
        }
        List<NotifyResult.MessageOutcome> outcomes = new ArrayList<>();
        for (SlackMessage message : messages) {
            if (message.correlationId() != null) {
                Log.correlationId(message.correlationId());
            }
            NotifyResult.MessageOutcome o = send(message, Json.write(BlockKit.render(message)), remainingMillis);
            outcomes.add(o);
            if (!DELIVERED_OUTCOMES.contains(o.outcome())) {
                ledger.abandon(item.deliveryId());
                if (step != null) {
                    ledger.abandon(step);
                }
                return outcomes;
            }
        }
        ledger.posted(item.deliveryId());
        if (step != null) {
            ledger.posted(step);
        }
        return outcomes;
    }

    private void recordStatus(JsonNode event) {
        if (recorder == null) {
            return;
        }
        recorder.record(event).ifPresent(status -> {
            if (metrics != null) {
                metrics.emit(recorder.counts(status.releaseArn()));
            }
        });
    }

    private NotifyResult.MessageOutcome post(SlackMessage message, boolean dryRun, LongSupplier remainingMillis) {
        ObjectNode payload = BlockKit.render(message);
        String json = Json.write(payload);
        if (dryRun) {
            Log.info("dry run: Slack message built, not posted", "title", message.title(),
                    "severity", message.severity().name(), "color", BlockKit.color(message.severity()),
                    "source", message.source(), "blocks", payload.path("attachments").path(0).path("blocks").size(),
                    "payloadChars", json.length());
            return outcome(message, "DRY_RUN", 0, null, null);
        }
        if (recent.contains(message.deliveryKey())) {
            Log.info("already posted by an earlier delivery of the same event; skipped", "deliveryKey", message.deliveryKey(),
                    "title", message.title());
            return outcome(message, "DUPLICATE", 0, null, null);
        }
        NotifyResult.MessageOutcome outcome = send(message, json, remainingMillis);
        if (outcome.outcome().equals("DELIVERED")) {
            recent.add(message.deliveryKey());
        }
        return outcome;
    }

    /** Reads the webhook and posts; after a 403/404/410 re-reads it once and posts again if it changed. */
    private NotifyResult.MessageOutcome send(SlackMessage message, String json, LongSupplier remainingMillis) {
        URI url;
        try {
            url = webhook.get();
        } catch (WebhookUnavailableException e) {
            Log.error("Slack webhook URL unavailable; message not posted", "error", e.getMessage(), "title", message.title());
            return outcome(message, "WEBHOOK_UNAVAILABLE", 0, null, e.getMessage());
        }
        DeliveryResult result = client.post(url, json, remainingMillis);
        int attempts = result.attempts();
        if (result.httpStatus() != null && (result.httpStatus() == 403 || result.httpStatus() == 404 || result.httpStatus() == 410)) {
            // Revoked webhook or archived channel: a person may have stored a new URL. Read it again once.
            webhook.invalidate();
            URI again;
            try {
                again = webhook.get();
            } catch (WebhookUnavailableException e) {
                Log.error("Slack refused the webhook and it could not be read again", "httpStatus", result.httpStatus(),
                        "error", e.getMessage());
                return outcome(message, "WEBHOOK_UNAVAILABLE", attempts, result.httpStatus(), e.getMessage());
            }
            if (!again.equals(url)) {
                Log.info("webhook URL changed since it was read; posting once more with the new one",
                        "httpStatus", result.httpStatus(), "from", webhook.describe());
                result = client.post(again, json, remainingMillis);
                attempts += result.attempts();
            }
        }
        if (result.outcome() == DeliveryResult.Outcome.DELIVERED) {
            Log.info("posted to Slack", "title", message.title(), "severity", message.severity().name(), "attempts", attempts);
        }
        return outcome(message, result.outcome().name(), attempts, result.httpStatus(), result.slackError());
    }

    private static NotifyResult result(List<NotifyResult.MessageOutcome> outcomes, boolean dryRun) {
        boolean allDelivered = outcomes.stream().allMatch(o -> DELIVERED_OUTCOMES.contains(o.outcome()));
        String status = !allDelivered ? "FAILED" : dryRun ? "DRY_RUN" : "DELIVERED";
        return new NotifyResult(status, dryRun, outcomes, null);
    }

    private static NotifyResult.MessageOutcome outcome(SlackMessage message, String outcome, int attempts, Integer status,
                                                       String error) {
        return new NotifyResult.MessageOutcome(message.source(), message.title(), message.severity().name(), outcome,
                attempts, status, error);
    }

    /** Why a message was not delivered, for the exception and the ERROR line: status, Slack's text, the place. */
    static String cause(NotifyResult.MessageOutcome o) {
        StringBuilder text = new StringBuilder(o.outcome());
        if (o.httpStatus() != null) {
            text.append(" HTTP ").append(o.httpStatus());
        }
        if (o.slackError() != null) {
            text.append(": ").append(o.slackError());
        }
        return text.append(" (message '").append(o.title()).append("')").toString();
    }

    private static List<String> ids(List<QueuedNotices.Item> items) {
        return items.stream().map(QueuedNotices.Item::messageId).toList();
    }
}
