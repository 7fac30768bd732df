package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The JDK HTTP client against a local HTTP server playing Slack's incoming webhook (status codes,
 * bodies and Retry-After as Slack sends them), and one end-to-end run with the real Secrets Manager
 * client reading the URL from the same server.
 */
class SlackWebhookProtocolTest {

    private static final String PATH = "/services/T0ROLLOUT/B0NOTICES/" + TOKEN;

    private WireMockServer server;
    private URI webhook;
    private final FakeContext context = new FakeContext("slack-notifier", 60_000);
    private final RecordingSleeper sleeper = new RecordingSleeper(context);

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        webhook = URI.create(server.baseUrl() + PATH);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private DeliveryResult deliver(Duration timeout) {
        SlackWebhookClient client = new SlackWebhookClient(new JdkWebhookTransport(timeout), sleeper, timeout, () -> 1.0);
        return client.post(webhook, "{\"text\":\"ASG REFRESH\"}", () -> context.getRemainingTimeInMillis());
    }

    private DeliveryResult deliver() {
        return deliver(Duration.ofSeconds(5));
    }

    @Test
    void postsJsonAndTakesOkAsDelivered() {
        server.stubFor(post(PATH).willReturn(ok("ok").withHeader("Content-Type", "text/html")));
        DeliveryResult result = deliver();
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"text\":\"ASG REFRESH\"}")));
    }

    @Test
    void rateLimitedWithRetryAfterThenOk() {
        server.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                .willSetStateTo("ok"));
        server.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("ok").willReturn(ok("ok")));
        DeliveryResult result = deliver();
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeper.waits, "waited exactly the Retry-After seconds");
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void serverErrorThenOk() {
        server.stubFor(post(PATH).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("rollup_error")).willSetStateTo("ok"));
        server.stubFor(post(PATH).inScenario("5xx").whenScenarioStateIs("ok").willReturn(ok("ok")));
        DeliveryResult result = deliver();
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(2, result.attempts());
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void invalidPayloadIsNotRetried() {
        server.stubFor(post(PATH).willReturn(aResponse().withStatus(400).withBody("invalid_payload")));
        try (CapturedOutput out = CapturedOutput.start()) {
            DeliveryResult result = deliver();
            assertEquals(DeliveryResult.Outcome.PERMANENT_FAILURE, result.outcome());
            assertEquals("invalid_payload", result.slackError());
            assertTrue(out.text().contains("invalid_payload"));
            assertFalse(out.text().contains(TOKEN));
        }
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void archivedChannelIsNotRetried() {
        server.stubFor(post(PATH).willReturn(aResponse().withStatus(410).withBody("channel_is_archived")));
        assertEquals(DeliveryResult.Outcome.PERMANENT_FAILURE, deliver().outcome());
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void slowAnswerTimesOutAndIsRetried() {
        // The first answer comes far later than the attempt's time limit; the second at once.
        server.stubFor(post(PATH).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("ok").withFixedDelay(5_000)).willSetStateTo("fast"));
        server.stubFor(post(PATH).inScenario("slow").whenScenarioStateIs("fast").willReturn(ok("ok")));
        DeliveryResult result = deliver(Duration.ofMillis(300));
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(2, result.attempts());
        assertEquals(1, sleeper.waits.size());
    }

    @Test
    void nothingListeningIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        webhook = URI.create("http://127.0.0.1:" + closedPort + PATH);
        DeliveryResult result = deliver();
        assertEquals(DeliveryResult.Outcome.TRANSIENT_FAILURE, result.outcome());
        assertEquals(SlackWebhookClient.MAX_ATTEMPTS, result.attempts());
        assertFalse(result.slackError().contains(TOKEN));
    }

    @Test
    void endToEndWithTheRealSecretsManagerClient() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(okJson(Json.write(java.util.Map.of(
                        "ARN", "arn:aws:secretsmanager:eu-west-1:444455556666:secret:ami-rollout/slack-AbCdEf",
                        "Name", "ami-rollout/slack",
                        "SecretString", "{\"webhookUrl\":\"" + webhook + "\"}",
                        "VersionId", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
                        "VersionStages", List.of("AWSCURRENT"),
                        "CreatedDate", 1.7637e9)))
                        .withHeader("Content-Type", "application/x-amz-json-1.1")));
        server.stubFor(post(PATH).willReturn(ok("ok")));
        SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(URI.create(server.baseUrl()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
        SlackNotifierService service = new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(new SecretsManagerWebhookSource(secrets, "ami-rollout/slack"), Duration.ofSeconds(300),
                        new MutableClock(Instant.EPOCH)),
                new SlackWebhookClient(new JdkWebhookTransport(Duration.ofSeconds(5)), sleeper, Duration.ofSeconds(5), () -> 0.5), false);
        SlackNotifierHandler handler = new SlackNotifierHandler(service);

        for (String sample : new String[] {"sns-notice-refresh-started.json", "asg-instance-refresh-succeeded.json"}) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(TestFiles.stream(SlackNotifierHandlerTest.EVENTS + sample), output, context);
            assertEquals("DELIVERED", Json.readTree(output.toString(StandardCharsets.UTF_8)).get("status").asText());
        }

        server.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")));
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
        JsonNode posted = Json.readTree(server.findAll(postRequestedFor(urlEqualTo(PATH))).get(1).getBodyAsString());
        assertEquals("good", posted.get("attachments").get(0).get("color").asText());
        assertEquals(":white_check_mark: Instance refresh succeeded: web-asg",
                posted.get("attachments").get(0).get("blocks").get(0).get("text").get("text").asText());
        secrets.close();
    }
}
