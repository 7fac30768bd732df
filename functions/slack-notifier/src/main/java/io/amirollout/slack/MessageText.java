package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Small text helpers shared by the message builders. */
final class MessageText {

    private MessageText() {
    }

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

    static String where(String account, String region) {
        if (account == null && region == null) {
            return "";
        }
        return " (" + (account == null ? "" : account) + (account != null && region != null ? ", " : "") + (region == null ? "" : region) + ")";
    }

    static String firstText(Map<String, Object> details, Set<String> keys) {
        for (Map.Entry<String, Object> e : details.entrySet()) {
            if (keys.contains(e.getKey()) && e.getValue() != null && !String.valueOf(e.getValue()).isBlank()) {
                return String.valueOf(e.getValue()).trim();
            }
        }
        return null;
    }

    static String display(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node.isValueNode() ? node.asText() : Json.write(node);
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(MessageText::display).toList());
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

    static String arnPart(String arn, int index) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":");
        return parts.length > index && !parts[index].isBlank() ? parts[index] : null;
    }

    static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            return node.toString();
        }
    }
}
