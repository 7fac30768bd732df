package io.amirollout.shared;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

/** The real SNS client against WireMock answering in SNS's query/XML wire format. */
class SnsNotificationPublisherTest {

    private static final String PUBLISH_OK = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
              <ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>
            </PublishResponse>""";
    private static final String THROTTLED = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>
            </ErrorResponse>""";

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private SnsClient sns;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        sns = endpoint.client(SnsClient.builder());
    }

    @AfterEach
    void stop() {
        sns.close();
        endpoint.stop();
    }

    private static Notification notice() {
        return Notification.of(NotificationKind.REFRESH_STARTED, "Instance refresh started for web-asg")
                .accountId("444455556666").region("eu-west-1").correlationId("corr-1")
                .time(Instant.parse("2026-11-21T10:15:00Z"))
                .detail("autoScalingGroup", "web-asg").detail("ignored", null).build();
    }

    @Test
    void publishesTheContractWithKindAndSeverityAttributes() throws Exception {
        server.stubFor(post("/").willReturn(ok(PUBLISH_OK).withHeader("Content-Type", "text/xml")));

        new SnsNotificationPublisher(sns, "arn:aws:sns:eu-west-1:444455556666:notices").publish(notice());

        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=Publish"))
                .withRequestBody(containing("TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A444455556666%3Anotices"))
                .withRequestBody(matching(".*MessageAttributes\\.entry\\.(\\d)\\.Name=kind&MessageAttributes\\.entry\\.\\1\\.Value\\.DataType=String&MessageAttributes\\.entry\\.\\1\\.Value\\.StringValue=REFRESH_STARTED.*"))
                .withRequestBody(matching(".*MessageAttributes\\.entry\\.(\\d)\\.Name=severity&MessageAttributes\\.entry\\.\\1\\.Value\\.DataType=String&MessageAttributes\\.entry\\.\\1\\.Value\\.StringValue=INFO.*")));
        String body = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
        String message = java.net.URLDecoder.decode(body.replaceAll(".*Message=([^&]*).*", "$1"), "UTF-8");
        var json = Json.readTree(message);
        assertEquals("1", json.get("version").asText());
        assertEquals("REFRESH_STARTED", json.get("kind").asText());
        assertEquals("INFO", json.get("severity").asText());
        assertEquals("444455556666", json.get("accountId").asText());
        assertEquals("2026-11-21T10:15:00Z", json.get("time").asText());
        assertEquals("web-asg", json.get("details").get("autoScalingGroup").asText());
        assertFalse(json.get("details").has("ignored"));
    }

    @Test
    void throttlingIsRetriedBySdk() {
        server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withBody(THROTTLED)).willSetStateTo("ok"));
        server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(ok(PUBLISH_OK)));
        // The client carries the standard retry strategy, as AwsClients gives it in production.
        new SnsNotificationPublisher(sns, "arn:aws:sns:eu-west-1:1:t").publish(notice());
        server.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aFailedPublishIsLoggedNotThrown() {
        server.stubFor(post("/").willReturn(aResponse().withStatus(403).withBody("""
                <ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>not allowed</Message></Error></ErrorResponse>""")));
        try (CapturedOutput out = CapturedOutput.start()) {
            assertDoesNotThrow(() -> new SnsNotificationPublisher(sns, "arn:aws:sns:eu-west-1:1:t").publish(notice()));
            assertTrue(out.text().contains("notice could not be published"), out.text());
        }
    }

    @Test
    void subjectIsShortenedToSnsLimits() {
        assertEquals(100, SnsNotificationPublisher.subject("x".repeat(300)).length());
        assertEquals("caf? ok", SnsNotificationPublisher.subject("café ok"));
    }

    @Test
    void noTopicMeansLogOnly() {
        assertFalse(SnsNotificationPublisher.forTopic(sns, " ") instanceof SnsNotificationPublisher);
        assertTrue(SnsNotificationPublisher.forTopic(sns, "arn:aws:sns:eu-west-1:1:t") instanceof SnsNotificationPublisher);
    }
}
