package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

class BlockKitTest {

    private static JsonNode blocks(JsonNode payload) {
        return payload.get("attachments").get(0).get("blocks");
    }

    @ParameterizedTest
    @CsvSource({"INFO,#439FE0", "SUCCESS,good", "WARNING,warning", "ERROR,danger"})
    void colourPerSeverity(Severity severity, String colour) {
        JsonNode payload = BlockKit.render(SlackMessage.builder("t", severity).build());
        assertEquals(colour, payload.get("attachments").get(0).get("color").asText());
    }

    @Test
    void layout() {
        JsonNode payload = BlockKit.render(SlackMessage.builder("Instance refresh started: web-asg", Severity.INFO)
                .summary("*ASG REFRESH* · Starting refresh of `web-asg`")
                .field("Group", "web-asg").field("Account", "444455556666")
                .reason("because")
                .excerpt("{\"a\": 1}")
                .link("Auto Scaling group", "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#AutoScalingGroupDetails:id=web-asg")
                .source("aws.autoscaling").correlationId("c-1").time("2026-11-21T10:15:07Z")
                .fallback("ASG REFRESH: Starting refresh of web-asg").build());
        assertEquals("ASG REFRESH: Starting refresh of web-asg", payload.get("text").asText());
        JsonNode blocks = blocks(payload);
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("plain_text", blocks.get(0).get("text").get("type").asText());
        assertEquals(":information_source: Instance refresh started: web-asg", blocks.get(0).get("text").get("text").asText());
        assertEquals("*ASG REFRESH* · Starting refresh of `web-asg`", blocks.get(1).get("text").get("text").asText());
        assertEquals("*Group*\nweb-asg", blocks.get(2).get("fields").get(0).get("text").asText());
        assertEquals("mrkdwn", blocks.get(2).get("fields").get(1).get("type").asText());
        assertEquals("*Reason*\nbecause", blocks.get(3).get("text").get("text").asText());
        assertEquals("```{\"a\": 1}```", blocks.get(4).get("text").get("text").asText());
        assertTrue(blocks.get(5).get("text").get("text").asText().startsWith("<https://eu-west-1.console.aws.amazon.com/"));
        assertEquals("context", blocks.get(6).get("type").asText());
        assertEquals("correlation id: `c-1`", blocks.get(6).get("elements").get(1).get("text").asText());
    }

    @Test
    void valuesAreEscapedForMrkdwn() {
        JsonNode payload = BlockKit.render(SlackMessage.builder("a <b> & c", Severity.INFO).field("Reason", "<!channel> & co").build());
        assertEquals("*Reason*\n&lt;!channel&gt; &amp; co", blocks(payload).get(1).get("fields").get(0).get("text").asText());
        assertEquals(":information_source: a <b> & c", blocks(payload).get(0).get("text").get("text").asText(), "plain_text is not escaped");
        assertEquals("a &lt;b&gt; &amp; c", payload.get("text").asText());
    }

    @Test
    void longTextsAreCutToSlacksLimitsWithAnEllipsis() {
        String huge = "x".repeat(50_000);
        SlackMessage.Builder message = SlackMessage.builder(huge, Severity.ERROR).summary(huge).reason(huge).excerpt(huge).fallback(huge);
        for (int i = 0; i < 25; i++) {
            message.field("Field " + i, huge);
        }
        JsonNode payload = BlockKit.render(message.build());
        JsonNode blocks = blocks(payload);
        String header = blocks.get(0).get("text").get("text").asText();
        assertEquals(150, header.length());
        assertTrue(header.endsWith("…"));
        assertEquals(3000, blocks.get(1).get("text").get("text").asText().length());
        // 25 fields: three sections of at most 10
        assertEquals(10, blocks.get(2).get("fields").size());
        assertEquals(10, blocks.get(3).get("fields").size());
        assertEquals(5, blocks.get(4).get("fields").size());
        for (JsonNode field : blocks.get(2).get("fields")) {
            assertEquals(2000, field.get("text").asText().length());
            assertTrue(field.get("text").asText().endsWith("…"));
        }
        assertEquals(3000, blocks.get(5).get("text").get("text").asText().length());
        String excerpt = blocks.get(6).get("text").get("text").asText();
        assertEquals(3000, excerpt.length());
        assertTrue(excerpt.startsWith("```") && excerpt.endsWith("…```"));
        assertEquals(40_000, payload.get("text").asText().length());
    }

    @Test
    void neverMoreThanFiftyBlocks() {
        SlackMessage.Builder message = SlackMessage.builder("many", Severity.INFO);
        for (int i = 0; i < 700; i++) {
            message.field("f" + i, "v");
        }
        JsonNode blocks = blocks(BlockKit.render(message.build()));
        assertEquals(50, blocks.size());
        assertEquals("context", blocks.get(49).get("type").asText());
        assertTrue(blocks.get(49).get("elements").get(0).get("text").asText().contains("more blocks left out"));
    }

    @Test
    void cuttingKeepsEntitiesAndSurrogatePairsWhole() {
        String cut = BlockKit.cutEscaped("a".repeat(7) + "&&&&", 10);
        assertTrue(cut.length() <= 10, cut);
        assertFalse(cut.matches(".*&(a|am|amp|l|lt|g|gt)?…$"), cut);
        String emoji = "a".repeat(8) + "\uD83D\uDE80\uD83D\uDE80";
        String cutEmoji = BlockKit.cut(emoji, 10);
        assertFalse(Character.isHighSurrogate(cutEmoji.charAt(cutEmoji.length() - 2)), cutEmoji);
    }

    @Test
    void linksAreNeverCutInHalf() {
        SlackMessage.Builder message = SlackMessage.builder("t", Severity.INFO);
        for (int i = 0; i < 40; i++) {
            message.link("link " + i, "https://example.com/" + "p".repeat(100) + i);
        }
        String links = blocks(BlockKit.render(message.build())).get(1).get("text").get("text").asText();
        assertTrue(links.length() <= 3000);
        assertTrue(links.endsWith(">"), links);
    }
}
