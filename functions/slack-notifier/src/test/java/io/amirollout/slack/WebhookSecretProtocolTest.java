package io.amirollout.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The real Secrets Manager and SSM clients against WireMock answering in their wire format: JSON 1.1,
 * POST / with X-Amz-Target, errors as {"__type": code, ...} with HTTP 400.
 */
class WebhookSecretProtocolTest {

    private static final String JSON_11 = "application/x-amz-json-1.1";
    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private SecretsManagerClient secrets;
    private SsmClient ssm;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        secrets = endpoint.client(SecretsManagerClient.builder());
        ssm = endpoint.client(SsmClient.builder());
    }

    @AfterEach
    void stop() {
        secrets.close();
        ssm.close();
        endpoint.stop();
    }

    private static String secretResponse(String secretString) {
        return "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:444455556666:secret:ami-rollout/slack-AbCdEf\","
                + "\"Name\":\"ami-rollout/slack\",\"VersionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\","
                + "\"SecretString\":" + io.amirollout.shared.Json.write(secretString) + ","
                + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.763716500E9}";
    }

    @Test
    void getSecretValueReadsAJsonSecret() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                        .withBody(secretResponse("{\"webhookUrl\":\"" + WEBHOOK + "\"}"))));
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(secrets, "ami-rollout/slack").fetch());
        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Content-Type", containing(JSON_11))
                .withRequestBody(equalToJson("{\"SecretId\":\"ami-rollout/slack\"}")));
    }

    @Test
    void getSecretValueReadsAPlainSecret() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(secretResponse(WEBHOOK))));
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(secrets, "ami-rollout/slack").fetch());
    }

    @Test
    void missingSecretIsNamedWithItsErrorCode() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}")));
        WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                () -> new SecretsManagerWebhookSource(secrets, "ami-rollout/slack").fetch());
        assertTrue(e.getMessage().contains("Secrets Manager secret 'ami-rollout/slack'"), e.getMessage());
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
        server.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void throttledGetSecretValueIsRetriedByTheSdk() {
        server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
                .willSetStateTo("ok"));
        server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(secretResponse(WEBHOOK))));
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(secrets, "ami-rollout/slack").fetch());
        server.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void getParameterAsksForDecryption() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(
                        "{\"Parameter\":{\"ARN\":\"arn:aws:ssm:eu-west-1:444455556666:parameter/ami-rollout/slack-webhook\","
                                + "\"DataType\":\"text\",\"LastModifiedDate\":1.763716500E9,\"Name\":\"/ami-rollout/slack-webhook\","
                                + "\"Type\":\"SecureString\",\"Value\":\"" + WEBHOOK + "\",\"Version\":3}}")));
        assertEquals(WEBHOOK_URI, new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook").fetch());
        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Content-Type", containing(JSON_11))
                .withRequestBody(equalToJson("{\"Name\":\"/ami-rollout/slack-webhook\",\"WithDecryption\":true}")));
    }

    @Test
    void missingParameterIsNamedWithItsErrorCode() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\":\"ParameterNotFound\"}")));
        WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                () -> new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook").fetch());
        assertTrue(e.getMessage().contains("SSM parameter '/ami-rollout/slack-webhook'"), e.getMessage());
        assertTrue(e.getMessage().contains("ParameterNotFound"), e.getMessage());
    }

    @Test
    void kmsRefusalIsReportedWithoutAValue() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform: kms:Decrypt\"}")));
        WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                () -> new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook").fetch());
        assertTrue(e.getMessage().contains("AccessDeniedException"), e.getMessage());
    }
}
