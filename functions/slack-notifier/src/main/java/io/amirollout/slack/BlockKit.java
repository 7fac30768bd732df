package io.amirollout.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SlackMessage} into an incoming-webhook payload: a top-level {@code text} (what
 * notifications show) and one attachment whose {@code color} draws the severity bar and whose
 * {@code blocks} hold the Block Kit layout (header, summary, fields, reason, excerpt, links, context).
 *
 * <p>Slack rejects a payload that breaks a limit, so every text is cut to its limit with a "…" mark
 * rather than sent too long. Limits from Slack's Block Kit reference: header text 150 characters;
 * section text 3,000; section fields at most 10, each 2,000; context elements at most 10; 50 blocks per
 * message; a message's top-level text is truncated by Slack beyond 40,000 characters.
 */
public final class BlockKit {

    static final int HEADER_TEXT = 150;
    static final int SECTION_TEXT = 3000;
    static final int FIELD_TEXT = 2000;
    static final int FIELDS_PER_SECTION = 10;
    static final int CONTEXT_ELEMENTS = 10;
    static final int MAX_BLOCKS = 50;
    static final int MESSAGE_TEXT = 40_000;
    static final String ELLIPSIS = "…";
    private static final String CODE = "```";

    private BlockKit() {
    }

    /**
     * Colour bar per severity. SUCCESS, WARNING and ERROR use Slack's named colours good (green),
     * warning (amber) and danger (red); INFO uses Slack's blue #439FE0, because progress ("refresh
     * started") is not yet a success and should not look like one.
     */
    public static String color(Severity severity) {
        return switch (severity) {
            case SUCCESS -> "good";
            case WARNING -> "warning";
            case ERROR -> "danger";
            case INFO -> "#439FE0";
        };
    }

    static String emoji(Severity severity) {
        return switch (severity) {
            case SUCCESS -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case ERROR -> ":rotating_light:";
            case INFO -> ":information_source:";
        };
    }

    /** The webhook payload for {@code message}. */
    public static ObjectNode render(SlackMessage message) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(header(emoji(message.severity()) + " " + message.title()));
        if (message.summary() != null && !message.summary().isBlank()) {
            blocks.add(section(cutMrkdwn(message.summary(), SECTION_TEXT)));
        }
        List<SlackMessage.Field> fields = message.fields();
        for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
            blocks.add(fieldsSection(fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))));
        }
        if (message.reason() != null) {
            String label = "*Reason*\n";
            blocks.add(section(label + cutEscaped(message.reason(), SECTION_TEXT - label.length())));
        }
        if (message.excerpt() != null && !message.excerpt().isBlank()) {
            blocks.add(section(CODE + cutEscaped(message.excerpt(), SECTION_TEXT - 2 * CODE.length()) + CODE));
        }
        if (!message.links().isEmpty()) {
            List<String> links = message.links().stream()
                    .map(l -> "<" + l.url() + "|" + escape(l.label()) + ">").toList();
            blocks.add(section(cutLinks(links)));
        }
        List<String> context = new ArrayList<>();
        if (message.source() != null) {
            context.add("source: " + escape(message.source()));
        }
        if (message.correlationId() != null) {
            context.add("correlation id: `" + escape(message.correlationId()) + "`");
        }
        if (message.time() != null) {
            context.add("time: " + escape(message.time()));
        }
        if (!context.isEmpty()) {
            blocks.add(context(context));
        }
        if (blocks.size() > MAX_BLOCKS) {
            int dropped = blocks.size() - (MAX_BLOCKS - 1);
            blocks = new ArrayList<>(blocks.subList(0, MAX_BLOCKS - 1));
            blocks.add(context(List.of(ELLIPSIS + " " + dropped + " more blocks left out (Slack shows at most " + MAX_BLOCKS + ")")));
        }

        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("text", cutEscaped(message.fallback(), MESSAGE_TEXT));
        ArrayNode attachments = payload.putArray("attachments");
        ObjectNode attachment = attachments.addObject();
        attachment.put("color", color(message.severity()));
        ArrayNode blockArray = attachment.putArray("blocks");
        blocks.forEach(blockArray::add);
        return payload;
    }

    private static ObjectNode header(String text) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "header");
        ObjectNode plain = block.putObject("text");
        plain.put("type", "plain_text");
        plain.put("text", cut(text.replaceAll("\\s+", " ").trim(), HEADER_TEXT));
        plain.put("emoji", true);
        return block;
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "section");
        block.set("text", mrkdwn(mrkdwn));
        return block;
    }

    private static ObjectNode fieldsSection(List<SlackMessage.Field> fields) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "section");
        ArrayNode array = block.putArray("fields");
        for (SlackMessage.Field field : fields) {
            String label = "*" + cutEscaped(field.label(), 100) + "*\n";
            array.add(mrkdwn(label + cutEscaped(field.value(), FIELD_TEXT - label.length())));
        }
        return block;
    }

    private static ObjectNode context(List<String> elements) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "context");
        ArrayNode array = block.putArray("elements");
        elements.stream().limit(CONTEXT_ELEMENTS).forEach(e -> array.add(mrkdwn(cutMrkdwn(e, SECTION_TEXT))));
        return block;
    }

    private static ObjectNode mrkdwn(String text) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", "mrkdwn");
        node.put("text", text);
        return node;
    }

    /** Whole links only: a link cut in half would render as broken markup. */
    private static String cutLinks(List<String> links) {
        StringBuilder text = new StringBuilder();
        for (String link : links) {
            String separator = text.length() == 0 ? "" : "  •  ";
            if (text.length() + separator.length() + link.length() > SECTION_TEXT) {
                break;
            }
            text.append(separator).append(link);
        }
        return text.length() == 0 ? ELLIPSIS : text.toString();
    }

    /** Slack mrkdwn escaping: only &amp;, &lt; and &gt; are control characters. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Plain text cut to {@code limit} characters, ending with "…" when cut; never splits a surrogate pair. */
    static String cut(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = limit - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(0, end)) + ELLIPSIS;
    }

    /** {@code raw} escaped for mrkdwn, then cut to {@code limit}. */
    static String cutEscaped(String raw, int limit) {
        return cutMrkdwn(escape(raw), limit);
    }

    /** Cuts mrkdwn without leaving half an entity (e.g. "&am") at the end. */
    static String cutMrkdwn(String mrkdwn, int limit) {
        if (mrkdwn == null || mrkdwn.length() <= limit) {
            return mrkdwn;
        }
        int end = limit - ELLIPSIS.length();
        int amp = mrkdwn.lastIndexOf('&', end - 1);
        if (amp >= 0 && end - amp < 5 && mrkdwn.indexOf(';', amp) >= end) {
            end = amp;
        }
        if (end > 0 && Character.isHighSurrogate(mrkdwn.charAt(end - 1))) {
            end--;
        }
        return mrkdwn.substring(0, Math.max(0, end)) + ELLIPSIS;
    }
}
