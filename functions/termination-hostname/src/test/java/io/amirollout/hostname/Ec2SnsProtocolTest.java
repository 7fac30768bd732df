package io.amirollout.hostname;

import io.amirollout.shared.testing.MutableClock;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.amirollout.shared.testing.InMemoryStateTable;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.amirollout.hostname.HostnameWorld.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The real Ec2Client (ec2 query/XML), SnsClient (query/XML) and AutoScalingClient (query/XML) against
 * WireMock: the tag read as EC2 answers it, InvalidInstanceID.NotFound, throttling retried, the publish
 * parameters on the wire, and CompleteLifecycleAction's parameters and its "no active lifecycle action" error.
 */
class Ec2SnsProtocolTest {

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private LocalAwsEndpoint snsEndpoint;
    private WireMockServer snsServer;
    private Ec2Client ec2;
    private SnsClient sns;
    private LocalAwsEndpoint autoScalingEndpoint;
    private WireMockServer autoScalingServer;
    private AutoScalingClient autoScaling;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        ec2 = endpoint.client(Ec2Client.builder());
        // SNS on its own local endpoint, as it has its own in AWS.
        snsEndpoint = LocalAwsEndpoint.start();
        snsServer = snsEndpoint.server();
        sns = snsEndpoint.client(SnsClient.builder());
        autoScalingEndpoint = LocalAwsEndpoint.start();
        autoScalingServer = autoScalingEndpoint.server();
        autoScaling = autoScalingEndpoint.client(AutoScalingClient.builder());
    }

    @AfterEach
    void stop() {
        ec2.close();
        sns.close();
        endpoint.stop();
        snsEndpoint.stop();
        autoScaling.close();
        autoScalingEndpoint.stop();
    }

    private static final String DESCRIBE_TERMINATED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
              <reservationSet>
                <item>
                  <reservationId>r-0d3f5a7c9e1b24680</reservationId>
                  <ownerId>444455556666</ownerId>
                  <groupSet/>
                  <instancesSet>
                    <item>
                      <instanceId>i-0f3a9c1e7b2d45a68</instanceId>
                      <imageId>ami-0123456789abcdef0</imageId>
                      <instanceState><code>48</code><name>terminated</name></instanceState>
                      <privateDnsName/>
                      <dnsName/>
                      <reason>User initiated (2026-11-21 15:57:02 GMT)</reason>
                      <amiLaunchIndex>0</amiLaunchIndex>
                      <instanceType>m7i.large</instanceType>
                      <launchTime>2026-11-14T09:12:44.000Z</launchTime>
                      <placement><availabilityZone>eu-west-1a</availabilityZone><tenancy>default</tenancy></placement>
                      <monitoring><state>disabled</state></monitoring>
                      <stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>
                      <architecture>x86_64</architecture>
                      <tagSet>
                        <item><key>hostname</key><value>WEB-0042</value></item>
                        <item><key>aws:autoscaling:groupName</key><value>web-asg</value></item>
                        <item><key>Name</key><value>web</value></item>
                      </tagSet>
                    </item>
                  </instancesSet>
                </item>
              </reservationSet>
            </DescribeInstancesResponse>""";

    private static final String PUBLISH_OK = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
              <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
            </PublishResponse>""";

    private static String ec2Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>4e1a2b3c-5d6e-7f80-9a1b-2c3d4e5f6a7b</RequestID></Response>";
    }

    private static final String AUTOSCALING_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private HostnameService service(String topic) {
        return new HostnameService(ec2, sns, autoScaling, new InMemoryStateTable(), new RecordingPublisher(),
                config("HOSTNAME_TOPIC_ARN", topic), new MutableClock(START));
    }

    private String publishParameter(String name) {
        return parameter(snsServer, name);
    }

    private static String parameter(WireMockServer server, String name) {
        String body = server.findAll(postRequestedFor(urlEqualTo("/"))).get(0).getBodyAsString();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void tagsAreReadFromDescribeInstancesAndTheEventIsPublished() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstances")).willReturn(okXml(DESCRIBE_TERMINATED)));
        snsServer.stubFor(post("/").withRequestBody(containing("Action=Publish")).willReturn(okXml(PUBLISH_OK)));

        HostnameResult result = service(TOPIC).handle(event("ec2-instance-terminated.json"), false);

        assertEquals("PUBLISHED", result.outcome());
        assertEquals("567910cd-659e-55d4-8ccb-5aaf14679dc0", result.messageId());
        server.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("InstanceId.1=i-0f3a9c1e7b2d45a68")));
        var detail = Json.readTree(publishParameter("Message")).get("detail");
        assertEquals("WEB-0042", detail.get("hostname").asText());
        assertEquals("web-asg", detail.get("tags").get("aws:autoscaling:groupName").asText());
        String body = snsServer.findAll(postRequestedFor(urlEqualTo("/"))).get(0).getBodyAsString();
        assertTrue(body.matches(".*MessageAttributes\\.entry\\.(\\d)\\.Name=hostname&MessageAttributes\\.entry\\.\\1\\.Value\\.DataType=String&MessageAttributes\\.entry\\.\\1\\.Value\\.StringValue=WEB-0042.*"), body);
        assertTrue(body.matches(".*MessageAttributes\\.entry\\.(\\d)\\.Name=instanceId&MessageAttributes\\.entry\\.\\1\\.Value\\.DataType=String&MessageAttributes\\.entry\\.\\1\\.Value\\.StringValue=i-0f3a9c1e7b2d45a68.*"), body);
        assertTrue(body.contains("StringValue=9c2e7f14-3b8d-4a61-b5e0-7d1f4c8a2e93"), body);
        assertNull(publishParameter("MessageGroupId"));
    }

    @Test
    void invalidInstanceIdNotFoundIsPublishedWithHostnameNull() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstances")).willReturn(aResponse().withStatus(400)
                .withBody(ec2Error("InvalidInstanceID.NotFound", "The instance ID 'i-0f3a9c1e7b2d45a68' does not exist"))));

        snsServer.stubFor(post("/").willReturn(okXml(PUBLISH_OK)));

        HostnameResult result = service(TOPIC).handle(event("ec2-instance-terminated.json"), false);

        assertEquals("PUBLISHED_WITHOUT_HOSTNAME", result.outcome());
        server.verify(1, postRequestedFor(urlEqualTo("/")));
        var detail = Json.readTree(publishParameter("Message")).get("detail");
        assertTrue(detail.get("hostname").isNull());
        assertTrue(detail.get("reason").asText().contains("InvalidInstanceID.NotFound"));
        MessageSchema.assertValid(publishParameter("Message"));
    }

    @Test
    void ec2ThrottlingIsRetriedThenSucceeds() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstances"))
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(ec2Error("RequestLimitExceeded", "Request limit exceeded.")))
                .willSetStateTo("ok"));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstances"))
                .inScenario("throttle").whenScenarioStateIs("ok").willReturn(okXml(DESCRIBE_TERMINATED)));
        snsServer.stubFor(post("/").willReturn(okXml(PUBLISH_OK)));
        snsServer.stubFor(post("/").willReturn(okXml(PUBLISH_OK)));

        assertEquals("PUBLISHED", service(TOPIC).handle(event("ec2-instance-terminated.json"), false).outcome());
        server.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aFifoTopicSendsGroupAndDeduplicationIds() {
        server.stubFor(post("/").willReturn(okXml(DESCRIBE_TERMINATED)));
        snsServer.stubFor(post("/").willReturn(okXml(PUBLISH_OK.replace("<MessageId>", "<SequenceNumber>10000000000000000001</SequenceNumber><MessageId>"))));

        service(TOPIC + ".fifo").handle(event("ec2-instance-terminated.json"), false);

        assertEquals("i-0f3a9c1e7b2d45a68", publishParameter("MessageGroupId"));
        assertEquals("hostname-i-0f3a9c1e7b2d45a68", publishParameter("MessageDeduplicationId"));
        assertEquals(TOPIC + ".fifo", publishParameter("TopicArn"));
    }

    @Test
    void theLifecycleActionIsCompletedOnTheWireAndANoLongerActiveOneIsNotAnError() {
        server.stubFor(post("/").willReturn(okXml(DESCRIBE_TERMINATED.replace("<name>terminated</name>", "<name>running</name>"))));
        snsServer.stubFor(post("/").willReturn(okXml(PUBLISH_OK)));
        autoScalingServer.stubFor(post("/").withRequestBody(containing("Action=CompleteLifecycleAction"))
                .inScenario("complete").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okXml("<CompleteLifecycleActionResponse xmlns=\"" + AUTOSCALING_NS + "\"><CompleteLifecycleActionResult/>"
                        + "<ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId></ResponseMetadata>"
                        + "</CompleteLifecycleActionResponse>"))
                .willSetStateTo("done"));
        autoScalingServer.stubFor(post("/").withRequestBody(containing("Action=CompleteLifecycleAction"))
                .inScenario("complete").whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(
                        "<ErrorResponse xmlns=\"" + AUTOSCALING_NS + "\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
                                + "<Message>No active Lifecycle Action found with token 71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13</Message>"
                                + "</Error><RequestId>8d7e288f-f082-11e1-ac58-3714bEXAMPLE</RequestId></ErrorResponse>")));
        HostnameService service = service(TOPIC);

        HostnameResult first = service.handle(event("asg-terminate-lifecycle-action.json"), false);
        HostnameResult again = service.handle(event("asg-terminate-lifecycle-action.json"), false);

        assertEquals("COMPLETED", first.lifecycleAction());
        assertEquals("ALREADY_COMPLETED", again.lifecycleAction());
        assertEquals("DUPLICATE", again.outcome());
        assertEquals("web-asg", parameter(autoScalingServer, "AutoScalingGroupName"));
        assertEquals("ami-rollout-hostname", parameter(autoScalingServer, "LifecycleHookName"));
        assertEquals("71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13", parameter(autoScalingServer, "LifecycleActionToken"));
        assertEquals("i-0f3a9c1e7b2d45a68", parameter(autoScalingServer, "InstanceId"));
        assertEquals("CONTINUE", parameter(autoScalingServer, "LifecycleActionResult"));
        snsServer.verify(1, postRequestedFor(urlEqualTo("/")));
        server.verify(1, postRequestedFor(urlEqualTo("/")));
    }
}
