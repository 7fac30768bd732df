package io.amirollout.slack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Messages for the {@code Notification} contract: title, severity, account and region from the
 * notice, its {@code details} as fields (known keys labelled, unknown keys humanised, reasons in their
 * own section), the seed wording ("ASG REFRESH · Starting refresh of …") for the rollout moments, and
 * console links for the group, AMI, alarm and image it names.
 */
final class NoticeMessages {

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

    NoticeMessages(ConsoleLinks links) {
        this.links = links;
    }

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

    /** The message for a notice; {@code via} is the SNS delivery that carried it, or null. */
    SlackMessage from(JsonNode node, SnsDelivery via) {
        Notice n = notice(node);
        Map<String, Object> details = n.details();
        String group = MessageText.firstText(details, GROUP_KEYS);
        boolean dryRun = isDryRun(details);
        MessageText.Phrase phrase = noticePhrase(n.kind(), group, details);
        if (dryRun) {
            // Every line a reader could take for a real change says it was not one: header, summary, fallback.
            phrase = phrase == null ? MessageText.Phrase.of(DRY_RUN_TAG, "nothing was changed", null)
                    : new MessageText.Phrase("*" + DRY_RUN_TAG + "* (nothing was changed) · " + phrase.mrkdwn(),
                    DRY_RUN_TAG + " (nothing was changed): " + phrase.plain());
        }
        String title = dryRun ? dryRunTitle(n.title()) : n.title();
        SlackMessage.Builder message = SlackMessage.builder(title, n.severity())
                .summary(phrase == null ? null : phrase.mrkdwn())
                .field("Group", group)
                .field("Account", n.accountId())
                .field("Region", n.region());
        Set<String> shown = new LinkedHashSet<>(GROUP_KEYS);
        for (Map.Entry<String, String> known : DETAIL_LABELS.entrySet()) {
            if (!shown.contains(known.getKey()) && details.containsKey(known.getKey()) && !message.hasField(known.getValue())) {
                message.field(known.getValue(), MessageText.display(details.get(known.getKey())));
            }
            shown.add(known.getKey());
        }
        List<String> reasons = new ArrayList<>();
        boolean testResult = "TESTS_PASSED".equals(n.kind()) || "TESTS_FAILED".equals(n.kind());
        if (testResult) {
            String checks = TestChecks.render(details.get("checks"));
            if (checks != null) {
                reasons.add(checks);
            }
            shown.add("checks");
        }
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            if (REASON_KEYS.contains(detail.getKey())) {
                reasons.add(MessageText.display(detail.getValue()));
            } else if (!shown.contains(detail.getKey())) {
                message.field(MessageText.humanise(detail.getKey()), MessageText.display(detail.getValue()));
            }
        }
        String region = n.region();
        String alarm = MessageText.firstText(details, Set.of("alarmName", "alarm"));
        String imageArn = MessageText.firstText(details, Set.of("imageArn"));
        message.reason(String.join("\n", reasons))
                .link("Auto Scaling group", links.autoScalingGroup(region, group))
                .link("AMI", links.ami(region, MessageText.firstText(details, Set.of("imageId"))))
                .link("Alarm", links.alarm(region, alarm))
                .link("Image Builder images", imageArn == null ? null : links.imageBuilderImages(region))
                .source("notice " + n.kind() + (via == null ? "" : " via " + via.source()))
                .correlationId(n.correlationId() != null ? n.correlationId() : via == null ? null : via.messageId())
                .time(n.time())
                .fallback((phrase == null ? title : phrase.plain()) + MessageText.where(n.accountId(), n.region()));
        return message.build();
    }

    static final String DRY_RUN_TAG = "DRY RUN";

    /** A notice of a dry run: {@code details.dryRun} true, or an outcome that only says what would be done. */
    static boolean isDryRun(Map<String, Object> details) {
        Object flag = details.get("dryRun");
        Object outcome = details.get("outcome");
        return Boolean.TRUE.equals(flag) || "true".equalsIgnoreCase(String.valueOf(flag))
                || (outcome != null && String.valueOf(outcome).startsWith("WOULD_"));
    }

    /** The title with one "[DRY RUN]" in front (publishers may already have written "[dry run]"). */
    static String dryRunTitle(String title) {
        String bare = title.replaceFirst("(?i)^\\[dry run\\]\\s*", "");
        return "[" + DRY_RUN_TAG + "] " + bare;
    }

    /** Seed wording (ASG REFRESH …) per kind; null for kinds whose title says it all. */
    private static MessageText.Phrase noticePhrase(String kind, String group, Map<String, Object> details) {
        Object version = details.get("launchTemplateVersion");
        return switch (kind == null ? "" : kind) {
            case "REFRESH_STARTED" -> MessageText.Phrase.of("ASG REFRESH", "Starting refresh of %s"
                    + (version == null ? "" : " to launch template version " + version), group);
            case "REFRESH_DEFERRED" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s waits for its maintenance window", group);
            case "REFRESH_SKIPPED" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s skipped", group);
            case "REFRESH_FAILED" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s failed", group);
            case "ROLLBACK_STARTED" -> MessageText.Phrase.of("ASG REFRESH", "Rolling back the refresh of %s"
                    + (details.get("alarmName") == null ? "" : " (alarm " + details.get("alarmName") + ")"), group);
            case "ROLLBACK_FAILED" -> MessageText.Phrase.of("ASG REFRESH", "The rollback of %s failed: it needs a person", group);
            case "REFRESH_SUCCEEDED" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s complete", group);
            case "REFRESH_NOT_CONVERGED" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s ended but instances still run another version", group);
            case "REFRESH_ROLLED_BACK" -> MessageText.Phrase.of("ASG REFRESH", "Refresh of %s was rolled back", group);
            // Only a real test result notice (refresh-verifier) may say that tests ran.
            case "TESTS_PASSED" -> MessageText.Phrase.of("ASG TESTS", "Tests passed for %s", group);
            case "TESTS_FAILED" -> MessageText.Phrase.of("ASG TESTS", "Tests failed for %s", group);
            case "ROLLBACK_SKIPPED" -> MessageText.Phrase.of("ASG REFRESH", "Nothing to roll back for %s", group);
            case "PIPELINE_STARTED" -> MessageText.Phrase.of("AMI BUILD", "Image pipeline started", null);
            case "PIPELINE_START_FAILED" -> MessageText.Phrase.of("AMI BUILD", "Image pipeline could not be started", null);
            case "IMAGE_BUILD_FAILED" -> MessageText.Phrase.of("AMI BUILD", "Image build failed", null);
            case "FANOUT_COMPLETED" -> MessageText.Phrase.of("AMI RELEASE", "New image handed to the target accounts", null);
            default -> null;
        };
    }
}
