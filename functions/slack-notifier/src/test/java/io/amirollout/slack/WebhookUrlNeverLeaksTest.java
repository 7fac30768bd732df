package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The webhook URL is a credential: anyone holding it can post to the channel. Every path, success
 * and failure, runs with ALL output captured (logs, results, thrown exceptions), and none of it may
 * contain the URL, its path, or any of its secret segments.
 */
class WebhookUrlNeverLeaksTest {

    static final List<String> SECRET_PARTS = List.of(WEBHOOK, "/services/T0ROLLOUT/B0NOTICES/" + TOKEN, "T0ROLLOUT", "B0NOTICES", TOKEN);

    /** A source whose stored value is {@code stored} (e.g. a malformed secret that still contains the token). */
    private static WebhookSource stored(String stored) {
        return new WebhookSource() {
            @Override
            public URI fetch() {
                return WebhookSource.parse(stored, describe());
            }

            @Override
            public String describe() {
                return "Secrets Manager secret 'ami-rollout/slack'";
            }
        };
    }

    static Stream<Arguments> paths() {
        WebhookSource good = stored(WEBHOOK);
        return Stream.of(
                Arguments.of("delivered", good, new Answer[] {status(200, "ok")}),
                Arguments.of("429 then 200", good, new Answer[] {rateLimited("1"), status(200, "ok")}),
                Arguments.of("500 then 200", good, new Answer[] {status(500, "rollup_error"), status(200, "ok")}),
                Arguments.of("5xx until attempts run out", good, new Answer[] {status(502, "bad gateway")}),
                Arguments.of("timeouts", good, new Answer[] {fails(new HttpTimeoutException("request timed out"))}),
                Arguments.of("connection error quoting the URL", good, new Answer[] {fails(new ConnectException("cannot connect to " + WEBHOOK))}),
                Arguments.of("I/O error quoting the URL", good, new Answer[] {fails(new IOException("closed: " + WEBHOOK))}),
                Arguments.of("request builder quoting the URL", good, new Answer[] {() -> {
                    throw new IllegalArgumentException("invalid URI " + WEBHOOK);
                }}),
                Arguments.of("400 echoing the URL", good, new Answer[] {status(400, "invalid_payload for " + WEBHOOK)}),
                Arguments.of("403", good, new Answer[] {status(403, "action_prohibited")}),
                Arguments.of("404", good, new Answer[] {status(404, "channel_not_found")}),
                Arguments.of("410", good, new Answer[] {status(410, "channel_is_archived")}),
                Arguments.of("secret is broken JSON", stored("{\"webhookUrl\": " + WEBHOOK), new Answer[] {status(200, "ok")}),
                Arguments.of("secret JSON without the field", stored("{\"hook\":\"" + WEBHOOK + "\"}"), new Answer[] {status(200, "ok")}),
                Arguments.of("secret is not a URL", stored("hooks slack com " + WEBHOOK + " x y"), new Answer[] {status(200, "ok")}),
                Arguments.of("secret has a bad scheme", stored("ftp://hooks.slack.com/services/T0ROLLOUT/B0NOTICES/" + TOKEN), new Answer[] {status(200, "ok")}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void neverInAnyOutput(String path, WebhookSource source, Answer[] answers) {
        ScriptedTransport slack = new ScriptedTransport(answers);
        FakeContext context = new FakeContext("slack-notifier", 60_000);
        SlackNotifierService service = new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(source, Duration.ofSeconds(300), new MutableClock(Instant.EPOCH)),
                new SlackWebhookClient(slack, new RecordingSleeper(context), Duration.ofSeconds(5), () -> 0.5), false);
        SlackNotifierHandler handler = new SlackNotifierHandler(service);

        StringBuilder everything = new StringBuilder();
        try (CapturedOutput out = CapturedOutput.start()) {
            for (String sample : new String[] {"sns-notice-rollback-started.json", "asg-instance-refresh-started.json", "unknown-json.json"}) {
                ByteArrayOutputStream result = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(TestFiles.stream(SlackNotifierHandlerTest.EVENTS + sample), result, context);
                } catch (RuntimeException e) {
                    everything.append(e).append('\n');
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                        everything.append(t).append('\n');
                    }
                }
                everything.append(result.toString(StandardCharsets.UTF_8)).append('\n');
            }
            everything.append(out.text());
        }
        String text = everything.toString();
        assertFalse(text.isBlank());
        for (String part : SECRET_PARTS) {
            assertFalse(text.contains(part), path + ": output contains '" + part + "':\n" + text);
        }
    }

    @Test
    void dryRunLogsTheSummaryButNeverTheUrl() {
        ScriptedTransport slack = ScriptedTransport.ok();
        SlackNotifierService service = new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(stored(WEBHOOK), Duration.ofSeconds(300), new MutableClock(Instant.EPOCH)),
                new SlackWebhookClient(slack, d -> { }, Duration.ofSeconds(5), () -> 0.5), true);
        try (CapturedOutput out = CapturedOutput.start()) {
            new SlackNotifierHandler(service).handleRequest(TestFiles.stream(SlackNotifierHandlerTest.EVENTS + "sns-notice-refresh-started.json"),
                    new ByteArrayOutputStream(), new FakeContext());
            assertTrue(out.text().contains("dry run: Slack message built, not posted"), out.text());
            assertTrue(out.text().contains("Instance refresh started for web-asg"), out.text());
            SECRET_PARTS.forEach(part -> assertFalse(out.text().contains(part)));
        }
        assertTrue(slack.requests.isEmpty());
    }

    @Test
    void theRedactorCoversTheUrlAndItsParts() {
        Redactor redactor = new Redactor(WEBHOOK_URI);
        String scrubbed = redactor.scrub("a " + WEBHOOK + " b /services/T0ROLLOUT/B0NOTICES/" + TOKEN + " c " + TOKEN);
        SECRET_PARTS.forEach(part -> assertFalse(scrubbed.contains(part), scrubbed));
        assertTrue(scrubbed.startsWith("a [redacted] b "), scrubbed);
    }
}
