package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.Json;
import io.amirollout.shared.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Messages for AWS's own events: every EC2 Auto Scaling instance refresh detail-type, Image Builder
 * image state changes (EventBridge and SNS), CloudWatch alarm state changes (EventBridge and SNS),
 * and a generic layout for any other EventBridge event.
 */
final class AwsEventMessages {

    static final String AUTOSCALING = "aws.autoscaling";
    static final String REFRESH_PREFIX = "EC2 Auto Scaling Instance Refresh ";
    static final String IMAGE_STATE_CHANGE = "EC2 Image Builder Image State Change";
    static final String ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

    private final ConsoleLinks links;

    AwsEventMessages(ConsoleLinks links) {
        this.links = links;
    }

    /** The message for an EventBridge event: a dedicated layout for the known ones, a generic one for the rest. */
    SlackMessage fromEventBridge(EventBridgeEvent event) {
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
        SUCCEEDED("Succeeded", Severity.SUCCESS, "Instance refresh succeeded: %s", "Refresh of %s complete: every instance replaced"),
        FAILED("Failed", Severity.ERROR, "Instance refresh failed: %s", "Refresh of %s failed; see the group's activity history"),
        CANCELLED("Cancelled", Severity.WARNING, "Instance refresh cancelled: %s", "Refresh of %s was cancelled"),
        CHECKPOINT_REACHED("Checkpoint Reached", Severity.INFO, "Instance refresh checkpoint reached: %s", "Refresh of %s reached a checkpoint"),
        STARTED_BAKING("Started Baking", Severity.INFO, "Instance refresh baking: %s", "All instances of %s replaced; bake time started, alarms still watched"),
        ROLLBACK_STARTED("Rollback Started", Severity.WARNING, "Instance refresh rollback started: %s", "Rolling back the refresh of %s"),
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
        MessageText.Phrase phrase = MessageText.Phrase.of("ASG REFRESH", sentence, group);
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
                message.field(MessageText.humanise(e.getKey()), MessageText.display(e.getValue()));
            }
        });
        return message.link("Auto Scaling group (instance refresh)", links.autoScalingGroup(event.region(), group))
                .source(event.source() + " · " + event.detailType())
                .correlationId(event.id())
                .time(event.time())
                .fallback(phrase.plain() + MessageText.where(event.account(), event.region()))
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

    /** An Image Builder image message (the JSON Image Builder publishes to its SNS topic). */
    SlackMessage imageFromSnsMessage(JsonNode node, SnsDelivery via) {
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
        String region = MessageText.arnPart(Json.text(node, "arn"), 3);
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

        String label() {
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
        MessageText.Phrase phrase = MessageText.Phrase.of("AMI BUILD", sentence, image.label());
        String firstAmi = amis.isEmpty() ? null : amis.get(0).split(" ")[0];
        return SlackMessage.builder("Image " + image.label() + ": " + state, severity)
                .summary(phrase.mrkdwn())
                .field("Image", image.label())
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
                .fallback(phrase.plain() + MessageText.where(account, region))
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

    /** A CloudWatch alarm notification as CloudWatch publishes it to SNS. */
    SlackMessage alarmFromSnsMessage(JsonNode node, SnsDelivery via) {
        JsonNode trigger = node.path("Trigger");
        String metricName = Json.text(trigger, "MetricName") == null ? null
                : (Json.text(trigger, "Namespace") == null ? "" : Json.text(trigger, "Namespace") + " ") + Json.text(trigger, "MetricName");
        String arnRegion = MessageText.arnPart(Json.text(node, "AlarmArn"), 3);
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
                .fallback("Alarm " + alarm + " is " + value + MessageText.where(account, region))
                .build();
    }

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
                .excerpt(MessageText.pretty(event.detail()))
                .source(event.source() + " · " + event.detailType())
                .correlationId(event.id())
                .time(event.time())
                .fallback(event.detailType() + " from " + event.source() + MessageText.where(event.account(), event.region()))
                .build();
    }
}
