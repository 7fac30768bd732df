package io.amirollout.slack;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.Severity;
import io.amirollout.shared.SnsEnvelope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Detects what arrived and turns it into messages for people. Every input becomes at least one
 * message: what is not recognised gets a generic layout showing its source, type and JSON.
 * <ul>
 *   <li>Lambda SNS event: one message per record; the record's Message is read as a {@code Notification},
 *       an EventBridge event (EventBridge → SNS), a CloudWatch alarm message, an Image Builder image
 *       message, other JSON or plain text;</li>
 *   <li>EventBridge: every "EC2 Auto Scaling Instance Refresh …" detail-type, "EC2 Image Builder Image State
 *       Change", "CloudWatch Alarm State Change"; any other event generically;</li>
 *   <li>a bare {@code Notification} (direct invocation) or any other JSON.</li>
 * </ul>
 */
public final class MessageFactory {

    static final String AUTOSCALING = "aws.autoscaling";
    static final String REFRESH_PREFIX = "EC2 Auto Scaling Instance Refresh ";
    static final String IMAGE_STATE_CHANGE = "EC2 Image Builder Image State Change";
    static final String ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

    /** Notification detail keys with a known label, in display order. Unknown keys follow, humanised. */
    private static final Map<String, String> DETAIL_LABELS = new LinkedHashMap<>();
    private static final Set<String> REASON_KEYS = Set.of("reason", "error", "errorMessage");
    private static final Set<String> GROUP_KEYS = Set.of("autoScalingGroup", "autoScalingGroupName", "group");

    static {
        DETAIL_LABELS.put("autoScalingGroup", "Group");
        DETAIL_LABELS.put("autoScalingGroupName", "Group");
        DETAIL_LABELS.put("group", "Group");
        DETAIL_LABELS.put("instanceRefreshId", "Refresh id");
        DETAIL_LABELS.put("imageId", "AMI");
        DETAIL_LABELS.put("previousImageId", "Previous AMI");
        DETAIL_LABELS.put("launchTemplateVersion", "Launch template version");
        DETAIL_LABELS.put("previousVersion", "Previous version");
        DETAIL_LABELS.put("previousLaunchTemplateVersion", "Previous version");
        DETAIL_LABELS.put("launchTemplateId", "Launch template");
        DETAIL_LABELS.put("percentageComplete", "Complete (%)");
        DETAIL_LABELS.put("alarmName", "Alarm");
        DETAIL_LABELS.put("alarm", "Alarm");
        DETAIL_LABELS.put("imageName", "Image");
        DETAIL_LABELS.put("imageVersion", "Image version");
        DETAIL_LABELS.put("imageArn", "Image ARN");
        DETAIL_LABELS.put("status", "Status");
        DETAIL_LABELS.put("dryRun", "Dry run");
    }

    private final ConsoleLinks links;

    public MessageFactory(ConsoleLinks links) {
        this.links = links;
    }

    /** The messages for one invocation's event (never empty). */
    public List<SlackMessage> messagesFor(JsonNode event) {
        if (SnsEnvelope.looksLike(event)) {
            SNSEvent sns;
            try {
                sns = SnsEnvelope.from(event);
            } catch (InvalidEventException e) {
                return List.of(genericJson(event, "SNS event without a message (" + e.getMessage() + ")", null));
            }
            List<SlackMessage> messages = new ArrayList<>();
            for (int i = 0; i < sns.getRecords().size(); i++) {
                String timestamp = Json.text(event.get("Records").get(i).path("Sns"), "Timestamp");
                SNSEvent.SNS record = sns.getRecords().get(i).getSNS();
                SlackMessage message = fromSnsRecord(record, timestamp);
                messages.add(record.getMessageId() == null ? message : message.withDeliveryKey("sns:" + record.getMessageId()));
            }
            return messages;
        }
        SlackMessage message = fromJson(event, null);
        String eventId = EventBridgeEvent.looksLike(event) ? Json.text(event, "id") : null;
        return List.of(eventId == null ? message : message.withDeliveryKey("event:" + eventId));
    }

    /** A JSON document that arrived directly or as an SNS message. */
    private SlackMessage fromJson(JsonNode node, SnsContext via) {
        if (EventBridgeEvent.looksLike(node) && node.path("detail").isObject()) {
            return fromEventBridge(EventBridgeEvent.from(node));
        }
        if (node.isObject() && node.hasNonNull("kind") && node.hasNonNull("title")) {
            return fromNotification(node, via);
        }
        if (node.isObject() && node.hasNonNull("AlarmName") && node.hasNonNull("NewStateValue")) {
            return alarmFromSnsMessage(node, via);
        }
        if (node.isObject() && node.path("state").hasNonNull("status") && Json.text(node, "arn") != null
                && Json.text(node, "arn").contains(":image/")) {
            return imageFromSnsMessage(node, via);
        }
        return genericJson(node, null, via);
    }

    private record SnsContext(String topicArn, String subject, String messageId, String timestamp) {
        String topicName() {
            return topicArn == null ? null : topicArn.substring(topicArn.lastIndexOf(':') + 1);
        }

        String source() {
            return "SNS topic " + (topicName() == null ? "(unknown)" : topicName());
        }
    }

    private SlackMessage fromSnsRecord(SNSEvent.SNS sns, String timestamp) {
        SnsContext via = new SnsContext(sns.getTopicArn(), sns.getSubject(), sns.getMessageId(), timestamp);
        String message = sns.getMessage() == null ? "" : sns.getMessage();
        String trimmed = message.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return fromJson(Json.readTree(trimmed), via);
            } catch (InvalidEventException e) {
                // Looks like JSON but is not: show it as text.
            }
        }
        String title = via.subject() != null ? via.subject() : "Message on " + via.source();
        return SlackMessage.builder(title, Severity.INFO)
                .summary(BlockKit.escape(message))
                .field("Topic", via.topicName())
                .source(via.source())
                .correlationId(via.messageId())
                .time(via.timestamp())
                .fallback(title)
                .build();
    }

    // ---------------------------------------------------------------- Notification contract

    /** The facts of a notice, from the contract type or (for a kind this build does not know yet) from the tree. */
    private record Notice(String kind, Severity severity, String title, String accountId, String region,
                          String correlationId, String time, Map<String, Object> details) {
    }

    private static Notice notice(JsonNode node) {
        try {
            Notification n = Json.convert(node, Notification.class);
            return new Notice(n.kind().name(), n.severity(), n.title(), n.accountId(), n.region(), n.correlationId(),
                    n.time(), n.details());
        } catch (InvalidEventException | NullPointerException e) {
            // A newer publisher may send a kind or severity this deployment does not know: show it anyway.
            Severity severity;
            try {
                severity = Severity.valueOf(String.valueOf(Json.text(node, "severity")).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                severity = Severity.WARNING;
            }
            Map<String, Object> details = node.path("details").isObject()
                    ? Json.MAPPER.convertValue(node.get("details"), new TypeReference<LinkedHashMap<String, Object>>() { })
                    : Map.of();
            return new Notice(Json.text(node, "kind"), severity, Json.text(node, "title"), Json.text(node, "accountId"),
                    Json.text(node, "region"), Json.text(node, "correlationId"), Json.text(node, "time"), details);
        }
    }

    private SlackMessage fromNotification(JsonNode node, SnsContext via) {
        Notice n = notice(node);
        Map<String, Object> details = n.details();
        String group = firstText(details, GROUP_KEYS);
        Phrase phrase = noticePhrase(n.kind(), group, details);
        SlackMessage.Builder message = SlackMessage.builder(n.title(), n.severity())
                .summary(phrase == null ? null : phrase.mrkdwn())
                .field("Group", group)
                .field("Account", n.accountId())
                .field("Region", n.region());
        Set<String> shown = new LinkedHashSet<>(GROUP_KEYS);
        for (Map.Entry<String, String> known : DETAIL_LABELS.entrySet()) {
            if (!shown.contains(known.getKey()) && details.containsKey(known.getKey()) && !message.hasField(known.getValue())) {
                message.field(known.getValue(), display(details.get(known.getKey())));
            }
            shown.add(known.getKey());
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            if (REASON_KEYS.contains(detail.getKey())) {
                reasons.add(display(detail.getValue()));
            } else if (!shown.contains(detail.getKey())) {
                message.field(humanise(detail.getKey()), display(detail.getValue()));
            }
        }
        String region = n.region();
        String alarm = firstText(details, Set.of("alarmName", "alarm"));
        String imageArn = firstText(details, Set.of("imageArn"));
        message.reason(String.join("\n", reasons))
                .link("Auto Scaling group", links.autoScalingGroup(region, group))
                .link("AMI", links.ami(region, firstText(details, Set.of("imageId"))))
                .link("Alarm", links.alarm(region, alarm))
                .link("Image Builder images", imageArn == null ? null : links.imageBuilderImages(region))
                .source("notice " + n.kind() + (via == null ? "" : " via " + via.source()))
                .correlationId(n.correlationId() != null ? n.correlationId() : via == null ? null : via.messageId())
                .time(n.time())
                .fallback((phrase == null ? n.title() : phrase.plain()) + where(n.accountId(), n.region()));
        return message.build();
    }

    /** Seed wording (ASG REFRESH …) per kind; null for kinds whose title says it all. */
    private static Phrase noticePhrase(String kind, String group, Map<String, Object> details) {
        Object version = details.get("launchTemplateVersion");
        return switch (kind == null ? "" : kind) {
            case "REFRESH_STARTED" -> Phrase.of("ASG REFRESH", "Starting refresh of %s"
                    + (version == null ? "" : " to launch template version " + version), group);
            case "REFRESH_DEFERRED" -> Phrase.of("ASG REFRESH", "Refresh of %s waits for its maintenance window", group);
            case "REFRESH_SKIPPED" -> Phrase.of("ASG REFRESH", "Refresh of %s skipped", group);
            case "REFRESH_FAILED" -> Phrase.of("ASG REFRESH", "Refresh of %s failed", group);
            case "ROLLBACK_STARTED" -> Phrase.of("ASG REFRESH", "ASG tests failed, starting rollback of %s", group);
            case "ROLLBACK_FAILED" -> Phrase.of("ASG REFRESH", "ASG tests failed and the rollback of %s failed: it needs a person", group);
            case "ROLLBACK_SKIPPED" -> Phrase.of("ASG REFRESH", "Nothing to roll back for %s", group);
            case "PIPELINE_STARTED" -> Phrase.of("AMI BUILD", "Image pipeline started", null);
            case "PIPELINE_START_FAILED" -> Phrase.of("AMI BUILD", "Image pipeline could not be started", null);
            case "IMAGE_BUILD_FAILED" -> Phrase.of("AMI BUILD", "Image build failed", null);
            case "FANOUT_COMPLETED" -> Phrase.of("AMI RELEASE", "New image handed to the target accounts", null);
            default -> null;
        };
    }

    // ---------------------------------------------------------------- EventBridge

    private SlackMessage fromEventBridge(EventBridgeEvent event) {
        if (AUTOSCALING.equals(event.source()) && event.detailType().startsWith(REFRESH_PREFIX)) {
            RefreshEvent kind = RefreshEvent.of(event.detailType().substring(REFRESH_PREFIX.length()));
            if (kind != null) {
                return refresh(event, kind);
            }
        }
        if (event.is("aws.imagebuilder", IMAGE_STATE_CHANGE)) {
            return imageStateChange(event);
        }
        if (event.is("aws.cloudwatch", ALARM_STATE_CHANGE)) {
            return alarmStateChange(event);
        }
        return genericEventBridge(event);
    }

    /** Every instance refresh detail-type AWS documents (EventBridge events reference, Auto Scaling). */
    enum RefreshEvent {
        STARTED("Started", Severity.INFO, "Instance refresh started: %s", "Starting refresh of %s"),
        SUCCEEDED("Succeeded", Severity.SUCCESS, "Instance refresh succeeded: %s", "ASG tests passed, refresh complete for %s"),
        FAILED("Failed", Severity.ERROR, "Instance refresh failed: %s", "Refresh of %s failed; see the group's activity history"),
        CANCELLED("Cancelled", Severity.WARNING, "Instance refresh cancelled: %s", "Refresh of %s was cancelled"),
        CHECKPOINT_REACHED("Checkpoint Reached", Severity.INFO, "Instance refresh checkpoint reached: %s", "Refresh of %s reached a checkpoint"),
        STARTED_BAKING("Started Baking", Severity.INFO, "Instance refresh baking: %s", "All instances of %s replaced; bake time started, alarms still watched"),
        ROLLBACK_STARTED("Rollback Started", Severity.WARNING, "Instance refresh rollback started: %s", "ASG tests failed, starting rollback of %s"),
        ROLLBACK_SUCCEEDED("Rollback Succeeded", Severity.WARNING, "Instance refresh rolled back: %s", "Rollback of %s complete: the group is back on its previous configuration"),
        ROLLBACK_FAILED("Rollback Failed", Severity.ERROR, "Instance refresh rollback failed: %s", "Rollback of %s failed: it needs a person");

        final String suffix;
        final Severity severity;
        final String title;
        final String sentence;

        RefreshEvent(String suffix, Severity severity, String title, String sentence) {
            this.suffix = suffix;
            this.severity = severity;
            this.title = title;
            this.sentence = sentence;
        }

        static RefreshEvent of(String suffix) {
            for (RefreshEvent e : values()) {
                if (e.suffix.equals(suffix)) {
                    return e;
                }
            }
            return null;
        }

        String detailType() {
            return REFRESH_PREFIX + suffix;
        }
    }

    private SlackMessage refresh(EventBridgeEvent event, RefreshEvent kind) {
        JsonNode detail = event.detail();
        String group = Json.text(detail, "AutoScalingGroupName");
        String percentage = Json.text(detail, "CheckpointPercentage");
        String delay = Json.text(detail, "CheckpointDelay");
        String sentence = kind.sentence;
        if (kind == RefreshEvent.CHECKPOINT_REACHED && percentage != null) {
            sentence = "Refresh of %s reached its " + percentage + "% checkpoint"
                    + (delay == null ? "" : "; it continues after " + delay + " s");
        }
        Phrase phrase = Phrase.of("ASG REFRESH", sentence, group);
        SlackMessage.Builder message = SlackMessage.builder(String.format(kind.title, group == null ? "(group not named)" : group), kind.severity)
                .summary(phrase.mrkdwn())
                .field("Group", group)
                .field("Account", event.account())
                .field("Region", event.region())
                .field("Refresh id", Json.text(detail, "InstanceRefreshId"))
                .field("Checkpoint (%)", percentage)
                .field("Checkpoint delay (s)", delay);
        Set<String> shown = Set.of("AutoScalingGroupName", "InstanceRefreshId", "CheckpointPercentage", "CheckpointDelay");
        // AWS adds fields to its events over time; show them rather than drop them.
        detail.properties().forEach(e -> {
            if (!shown.contains(e.getKey())) {
                message.field(humanise(e.getKey()), display(e.getValue()));
            }
        });
        return message.link("Auto Scaling group (instance refresh)", links.autoScalingGroup(event.region(), group))
                .source(event.source() + " · " + event.detailType())
                .correlationId(event.id())
                .time(event.time())
                .fallback(phrase.plain() + where(event.account(), event.region()))
                .build();
    }

    private SlackMessage imageStateChange(EventBridgeEvent event) {
        String arn = event.resources().stream().filter(r -> r.contains(":image/")).findFirst().orElse(null);
        ImageName image = ImageName.fromArn(arn);
        JsonNode detail = event.detail();
        return imageMessage(image, Json.text(detail.path("state"), "status"), Json.text(detail.path("previous-state"), "status"),
                Json.text(detail.path("state"), "reason"), event.account(), event.region(), List.of(),
                event.source() + " · " + event.detailType(), event.id(), event.time());
    }

    private SlackMessage imageFromSnsMessage(JsonNode node, SnsContext via) {
        ImageName image = ImageName.fromArn(Json.text(node, "arn"));
        if (Json.text(node, "name") != null) {
            image = new ImageName(Json.text(node, "name"), image.version());
        }
        List<String> amis = new ArrayList<>();
        node.path("outputResources").path("amis").forEach(a -> {
            if (Json.text(a, "image") != null) {
                amis.add(Json.text(a, "image") + (Json.text(a, "region") == null ? "" : " (" + Json.text(a, "region") + ")"));
            }
        });
        String region = arnPart(Json.text(node, "arn"), 3);
        return imageMessage(image, Json.text(node.path("state"), "status"), null, Json.text(node.path("state"), "reason"),
                Json.text(node, "accountId"), region, amis, "Image Builder via " + via.source(), via.messageId(), via.timestamp());
    }

    private record ImageName(String name, String version) {
        static ImageName fromArn(String arn) {
            if (arn == null || !arn.contains(":image/")) {
                return new ImageName(null, null);
            }
            String[] parts = arn.substring(arn.indexOf(":image/") + ":image/".length()).split("/", 2);
            return new ImageName(parts[0], parts.length > 1 ? parts[1] : null);
        }

        String display() {
            return (name == null ? "image" : name) + (version == null ? "" : " " + version);
        }
    }

    private SlackMessage imageMessage(ImageName image, String status, String previous, String reason, String account,
                                      String region, List<String> amis, String source, String correlationId, String time) {
        String state = status == null ? "UNKNOWN" : status.toUpperCase(Locale.ROOT);
        Severity severity = switch (state) {
            case "AVAILABLE" -> Severity.SUCCESS;
            case "FAILED" -> Severity.ERROR;
            case "CANCELLED" -> Severity.WARNING;
            default -> Severity.INFO;
        };
        String sentence = switch (state) {
            case "AVAILABLE" -> "Image %s is available";
            case "FAILED" -> "Image build %s failed";
            case "CANCELLED" -> "Image build %s was cancelled";
            default -> "Image %s is now " + state;
        };
        Phrase phrase = Phrase.of("AMI BUILD", sentence, image.display());
        String firstAmi = amis.isEmpty() ? null : amis.get(0).split(" ")[0];
        return SlackMessage.builder("Image " + image.display() + ": " + state, severity)
                .summary(phrase.mrkdwn())
                .field("Image", image.display())
                .field("Status", previous == null ? state : previous + " → " + state)
                .field("Account", account)
                .field("Region", region)
                .field(amis.size() > 1 ? "AMIs" : "AMI", String.join(", ", amis))
                .reason(reason)
                .link("AMI", links.ami(region, firstAmi))
                .link("Image Builder images", links.imageBuilderImages(region))
                .source(source)
                .correlationId(correlationId)
                .time(time)
                .fallback(phrase.plain() + where(account, region))
                .build();
    }

    private SlackMessage alarmStateChange(EventBridgeEvent event) {
        JsonNode detail = event.detail();
        JsonNode configuration = detail.path("configuration");
        JsonNode metric = configuration.path("metrics").path(0).path("metricStat").path("metric");
        String metricName = Json.text(metric, "name") == null ? null
                : (Json.text(metric, "namespace") == null ? "" : Json.text(metric, "namespace") + " ") + Json.text(metric, "name");
        return alarmMessage(Json.text(detail, "alarmName"), Json.text(detail.path("state"), "value"),
                Json.text(detail.path("previousState"), "value"), Json.text(detail.path("state"), "reason"),
                Json.text(configuration, "description"), metricName, Json.text(configuration, "alarmRule"),
                event.account(), event.region(), event.source() + " · " + event.detailType(), event.id(), event.time());
    }

    private SlackMessage alarmFromSnsMessage(JsonNode node, SnsContext via) {
        JsonNode trigger = node.path("Trigger");
        String metricName = Json.text(trigger, "MetricName") == null ? null
                : (Json.text(trigger, "Namespace") == null ? "" : Json.text(trigger, "Namespace") + " ") + Json.text(trigger, "MetricName");
        String arnRegion = arnPart(Json.text(node, "AlarmArn"), 3);
        return alarmMessage(Json.text(node, "AlarmName"), Json.text(node, "NewStateValue"), Json.text(node, "OldStateValue"),
                Json.text(node, "NewStateReason"), Json.text(node, "AlarmDescription"), metricName, null,
                Json.text(node, "AWSAccountId"), arnRegion != null ? arnRegion : Json.text(node, "Region"),
                "CloudWatch alarm via " + via.source(), via.messageId(), Json.text(node, "StateChangeTime"));
    }

    private SlackMessage alarmMessage(String name, String state, String previous, String reason, String description,
                                      String metric, String rule, String account, String region, String source,
                                      String correlationId, String time) {
        String value = state == null ? "UNKNOWN" : state.toUpperCase(Locale.ROOT);
        Severity severity = switch (value) {
            case "ALARM" -> Severity.ERROR;
            case "OK" -> Severity.SUCCESS;
            case "INSUFFICIENT_DATA" -> Severity.WARNING;
            default -> Severity.INFO;
        };
        String alarm = name == null ? "(alarm not named)" : name;
        String summary = "`" + BlockKit.escape(alarm) + "` " + (previous == null ? "is now" : "went from " + BlockKit.escape(previous) + " to")
                + " *" + BlockKit.escape(value) + "*" + (description == null ? "" : "\n" + BlockKit.escape(description));
        return SlackMessage.builder("Alarm " + value + ": " + alarm, severity)
                .summary(summary)
                .field("Alarm", name)
                .field("State", previous == null ? value : previous + " → " + value)
                .field("Account", account)
                .field("Region", region)
                .field("Metric", metric)
                .field("Rule", rule)
                .reason(reason)
                .link("Alarm", links.alarm(region, name))
                .source(source)
                .correlationId(correlationId)
                .time(time)
                .fallback("Alarm " + alarm + " is " + value + where(account, region))
                .build();
    }

    // ---------------------------------------------------------------- generic

    private SlackMessage genericEventBridge(EventBridgeEvent event) {
        Severity severity = event.detailType().toLowerCase(Locale.ROOT).matches(".*(fail|unsuccessful|error).*")
                ? Severity.WARNING : Severity.INFO;
        List<String> resources = event.resources();
        String resourceText = resources.isEmpty() ? null : String.join(", ", resources.subList(0, Math.min(3, resources.size())))
                + (resources.size() > 3 ? " (+" + (resources.size() - 3) + " more)" : "");
        return SlackMessage.builder(event.detailType(), severity)
                .summary("An event without a dedicated layout; its detail is below.")
                .field("Source", event.source())
                .field("Detail type", event.detailType())
                .field("Account", event.account())
                .field("Region", event.region())
                .field("Resources", resourceText)
                .excerpt(pretty(event.detail()))
                .source(event.source() + " · " + event.detailType())
                .correlationId(event.id())
                .time(event.time())
                .fallback(event.detailType() + " from " + event.source() + where(event.account(), event.region()))
                .build();
    }

    private SlackMessage genericJson(JsonNode node, String note, SnsContext via) {
        String title = via != null && via.subject() != null ? via.subject()
                : via != null ? "Message on " + via.source() : "Unrecognised event";
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return SlackMessage.builder(title, Severity.WARNING)
                .summary(BlockKit.escape(note != null ? note : "JSON slack-notifier does not recognise; here it is."))
                .field("Topic", via == null ? null : via.topicName())
                .field("Top-level fields", keys.isEmpty() ? null : String.join(", ", keys.subList(0, Math.min(10, keys.size()))))
                .excerpt(pretty(node))
                .source(via == null ? "direct invocation" : via.source())
                .correlationId(via == null ? null : via.messageId())
                .time(via == null ? null : via.timestamp())
                .fallback(title)
                .build();
    }

    // ---------------------------------------------------------------- helpers

    /** A seed-style sentence: "*ASG REFRESH* · Starting refresh of `web-asg`" (mrkdwn) and its plain twin. */
    record Phrase(String mrkdwn, String plain) {
        static Phrase of(String tag, String sentence, String subject) {
            String withoutSubject = sentence.replace(" of %s", "").replace(" for %s", "").replace(" %s", "");
            String mrkdwnSentence = subject == null ? BlockKit.escape(withoutSubject)
                    : BlockKit.escape(sentence).replace("%s", "`" + BlockKit.escape(subject) + "`");
            String plainSentence = subject == null ? withoutSubject : sentence.replace("%s", subject);
            return new Phrase("*" + tag + "* · " + mrkdwnSentence, tag + ": " + plainSentence);
        }
    }

    private static String where(String account, String region) {
        if (account == null && region == null) {
            return "";
        }
        return " (" + (account == null ? "" : account) + (account != null && region != null ? ", " : "") + (region == null ? "" : region) + ")";
    }

    private static String firstText(Map<String, Object> details, Set<String> keys) {
        for (Map.Entry<String, Object> e : details.entrySet()) {
            if (keys.contains(e.getKey()) && e.getValue() != null && !String.valueOf(e.getValue()).isBlank()) {
                return String.valueOf(e.getValue()).trim();
            }
        }
        return null;
    }

    private static String display(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node.isValueNode() ? node.asText() : Json.write(node);
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(MessageFactory::display).toList());
        }
        if (value instanceof Map<?, ?>) {
            return Json.write(value);
        }
        return String.valueOf(value);
    }

    /** "launchTemplateName" / "LaunchTemplateName" / "launch-template" → "Launch template name". */
    static String humanise(String key) {
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[-_]+", " ").trim().toLowerCase(Locale.ROOT);
        return spaced.isEmpty() ? key : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static String arnPart(String arn, int index) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":");
        return parts.length > index && !parts[index].isBlank() ? parts[index] : null;
    }

    private static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            return node.toString();
        }
    }
}
