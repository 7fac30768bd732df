package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.amirollout.it.AwsFront;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 6: the webhook URL is a secret in moto's Secrets Manager; a notice published to the
 * notifications topic in moto is delivered (as SNS delivers it) to slack-notifier, and a local
 * HTTP sink standing in for Slack receives the Block Kit message.
 */
class SlackNotifierIT extends MotoScenario {

    static final String WEBHOOK_PATH = "/services/T0AMIROLL/B0NOTICES/s3cr3tW3bh00kT0k3n";
    static final String SECRET = "ami-rollout/slack-webhook";

    WireMockServer slack;
    TopicQueue notices;
    SlackNotifierHandler handler;

    @BeforeEach
    void seed() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        Moto.client(SecretsManagerClient.builder()).createSecret(r -> r.name(SECRET)
                .secretString("{\"webhookUrl\":\"" + AwsFront.loopback(slack) + WEBHOOK_PATH + "\"}"));
        notices = TopicQueue.create("ami-rollout-notices");
        handler = new SlackNotifierHandler(SlackNotifierHandler.create(SlackNotifierConfig.from(Env.of(Map.of(
                SlackNotifierConfig.SECRET_ID, SECRET)))));
    }

    @AfterEach
    void stopSink() {
        slack.stop();
    }

    @Test
    void aNoticeOnTheTopicBecomesABlockKitMessageInSlack() {
        String text;
        try (CapturedOutput output = CapturedOutput.start()) {
            publish(Notification.of(NotificationKind.REFRESH_STARTED, "Instance refresh started for web-latest")
                    .accountId(Moto.ACCOUNT).region("eu-west-1").time(NOW)
                    .detail("autoScalingGroup", "web-latest").detail("instanceRefreshId", "5f1e7c1a-0000-4000-8000-00000000000a")
                    .detail("imageId", "ami-0a11a11a11a11a002").detail("launchTemplateVersion", "4").detail("previousVersion", "3").build());
            publish(Notification.of(NotificationKind.ROLLBACK_STARTED, "Rolling back web-latest: alarm web-ecs-task-errors")
                    .accountId(Moto.ACCOUNT).region("eu-west-1").time(NOW)
                    .detail("autoScalingGroup", "web-latest").detail("alarm", "web-ecs-task-errors").build());

            for (JsonNode envelope : notices.drain()) {
                JsonNode result = invoke(lambdaSnsEvent(envelope));
                assertEquals("DELIVERED", result.get("messages").get(0).get("outcome").asText(), result.toString());
            }
            text = output.text();
        }

        List<LoggedRequest> posts = slack.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(WEBHOOK_PATH)));
        assertEquals(2, posts.size());
        JsonNode started = Json.readTree(posts.get(0).getBodyAsString());
        String body = started.toString();
        assertTrue(body.contains("\"blocks\""), "Block Kit: " + body);
        assertTrue(body.contains("web-latest") && body.contains("ami-0a11a11a11a11a002"), body);
        JsonNode rollback = Json.readTree(posts.get(1).getBodyAsString());
        assertTrue(rollback.toString().contains("web-ecs-task-errors"), rollback.toString());
        assertFalse(colors(started).isEmpty(), "a colour per severity: " + body);
        assertFalse(colors(started).equals(colors(rollback)), "INFO and WARNING look different");

        // The URL was read from moto once and cached; its secret part never reached a log line.
        long reads = front.requests().stream().filter(r -> r.header("X-Amz-Target").isPresent()
                && r.header("X-Amz-Target").firstValue().endsWith("GetSecretValue")).count();
        assertEquals(1, reads, "the webhook URL is cached across invocations");
        assertFalse(text.contains("s3cr3tW3bh00kT0k3n"), "the webhook URL leaked into the logs");
    }

    @Test
    void theWebhookCanLiveInAnSsmSecureStringInstead() {
        Moto.client(software.amazon.awssdk.services.ssm.SsmClient.builder()).putParameter(r -> r.name("/ami-rollout/slack-webhook")
                .type(software.amazon.awssdk.services.ssm.model.ParameterType.SECURE_STRING)
                .value(AwsFront.loopback(slack) + WEBHOOK_PATH));
        SlackNotifierHandler fromSsm = new SlackNotifierHandler(SlackNotifierHandler.create(SlackNotifierConfig.from(Env.of(Map.of(
                SlackNotifierConfig.PARAMETER, "/ami-rollout/slack-webhook")))));
        publish(Notification.of(NotificationKind.REFRESH_FAILED, "Instance refresh failed for api-default")
                .accountId(Moto.ACCOUNT).region("eu-west-1").time(NOW).detail("autoScalingGroup", "api-default").build());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fromSsm.handleRequest(new ByteArrayInputStream(lambdaSnsEvent(notices.drain().get(0)).getBytes(StandardCharsets.UTF_8)),
                out, new FakeContext("slack-notifier", 300_000));

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("DELIVERED"), out.toString(StandardCharsets.UTF_8));
        List<LoggedRequest> posts = slack.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(WEBHOOK_PATH)));
        assertEquals(1, posts.size());
        assertTrue(posts.get(0).getBodyAsString().contains("api-default"));
        assertTrue(front.requests().stream().anyMatch(r -> r.header("X-Amz-Target").isPresent()
                && r.header("X-Amz-Target").firstValue().equals("AmazonSSM.GetParameter")), "read from moto's SSM");
    }

    private static List<String> colors(JsonNode message) {
        return message.findValues("color").stream().map(JsonNode::asText).toList();
    }

    private void publish(Notification notification) {
        SnsNotificationPublisher.forTopic(Moto.client(SnsClient.builder()), notices.topicArn()).publish(notification);
    }

    /** The Lambda SNS event for one delivery: SNS's own envelope (as moto delivered it) under Records[0].Sns. */
    static String lambdaSnsEvent(JsonNode envelope) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", envelope.get("TopicArn").asText() + ":2b5f3c4d-1111-2222-3333-444455556666");
        record.set("Sns", envelope);
        return Json.write(event);
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("slack-notifier", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
