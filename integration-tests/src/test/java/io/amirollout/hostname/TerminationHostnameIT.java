package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.StateTables;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Scenario 4: instances terminated in moto; the hostname listener's SQS queue, subscribed to the hostname
 * topic in moto, receives exactly one message per instance whichever events arrive and however often,
 * with the "published" record in moto's DynamoDB state table. moto has no CompleteLifecycleAction: Auto
 * Scaling is a local WireMock answering in its wire format.
 */
class TerminationHostnameIT extends MotoScenario {

    static final String TABLE = "ami-rollout-state";

    Ec2Client ec2;
    DynamoDbClient dynamo;
    TopicQueue listener;
    LocalAwsEndpoint autoScalingEndpoint;
    WireMockServer autoScaling;
    TerminationHostnameHandler handler;

    @BeforeEach
    void seed() {
        ec2 = Moto.client(Ec2Client.builder());
        dynamo = Moto.client(DynamoDbClient.builder());
        // The template's StateTable: pk/sk strings.
        dynamo.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        listener = TopicQueue.create("ami-rollout-hostname");
        autoScalingEndpoint = LocalAwsEndpoint.start();
        autoScaling = autoScalingEndpoint.server();
        autoScaling.stubFor(post("/").withRequestBody(containing("Action=CompleteLifecycleAction")).willReturn(okXml(
                "<CompleteLifecycleActionResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                        + "<CompleteLifecycleActionResult/><ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE"
                        + "</RequestId></ResponseMetadata></CompleteLifecycleActionResponse>")));
        handler = handler(listener.topicArn());
    }

    @AfterEach
    void stopAutoScaling() {
        autoScalingEndpoint.stop();
    }

    private TerminationHostnameHandler handler(String topic) {
        TerminationHostnameConfig config = TerminationHostnameConfig.from(Env.of(Map.of("HOSTNAME_TOPIC_ARN", topic,
                "STATE_TABLE_NAME", TABLE, "HOSTNAME_TAG_KEY", "hostname,Name")));
        return new TerminationHostnameHandler(new HostnameService(AwsClients.build(Ec2Client.builder()),
                AwsClients.build(SnsClient.builder()), autoScalingEndpoint.client(AutoScalingClient.builder()),
                StateTables.dynamo(TABLE), NotificationPublisher.logOnly(), config, CLOCK));
    }

    private String instance(Map<String, String> tags) {
        return ec2.runInstances(r -> r.imageId(Workload.OLD_AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build()))
                .instances().get(0).instanceId();
    }

    private void terminate(String id) {
        ec2.terminateInstances(r -> r.instanceIds(id));
        assertEquals(InstanceStateName.TERMINATED, ec2.describeInstances(r -> r.instanceIds(id))
                .reservations().get(0).instances().get(0).state().name(), "moto still describes the terminated instance");
    }

    private JsonNode twice(String event) {
        invoke(event);
        return invoke(event);
    }

    @Test
    void shuttingDownThenTerminatedEachTwiceReachTheQueueOnce() {
        String id = instance(Map.of("hostname", "WEB-0042", "team", "platform", "Name", "web"));
        String shuttingDown = stateChange(id, "shutting-down");

        assertEquals("PUBLISHED", invoke(shuttingDown).get("outcome").asText());
        assertEquals("DUPLICATE", invoke(shuttingDown).get("outcome").asText());
        terminate(id);
        assertEquals("DUPLICATE", twice(stateChange(id, "terminated")).get("outcome").asText());

        List<JsonNode> envelopes = listener.drain();
        assertEquals(1, envelopes.size(), "one message for one terminated instance");
        JsonNode message = Json.readTree(envelopes.get(0).get("Message").asText());
        JsonNode original = Json.readTree(shuttingDown);
        assertEquals(original.get("id"), message.get("id"), "the original event");
        assertEquals(original.get("resources"), message.get("resources"));
        assertEquals(id, message.get("detail").get("instance-id").asText());
        assertEquals("shutting-down", message.get("detail").get("trigger").asText());
        assertEquals("WEB-0042", message.get("detail").get("hostname").asText());
        assertEquals("platform", message.get("detail").get("tags").get("team").asText());
        Map<String, String> attributes = TopicQueue.attributes(envelopes.get(0));
        assertEquals("WEB-0042", attributes.get("hostname"));
        assertEquals(id, attributes.get("instanceId"));
        assertEquals("true", attributes.get("hostnameFound"));
        assertEquals(1, front.queryCalls("Publish").size());

        Map<String, AttributeValue> record = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                "pk", AttributeValue.fromS("event#hostname#" + id), "sk", AttributeValue.fromS("event")))).item();
        assertEquals("PUBLISHED", record.get("status").s());
        assertEquals("shutting-down", record.get("trigger").s());
        assertEquals(CLOCK.instant().plus(PublicationLedger.KEEP).getEpochSecond(), Long.parseLong(record.get("expiresAt").n()));
    }

    @Test
    void lifecycleActionThenShuttingDownThenTerminatedPublishOnceAndCompleteTheAction() {
        String id = instance(Map.of("Name", "WEB-0044", "aws:autoscaling:groupName", "web-asg"));

        JsonNode lifecycle = twice(lifecycleAction(id));
        twice(stateChange(id, "shutting-down"));
        terminate(id);
        twice(stateChange(id, "terminated"));

        assertEquals("DUPLICATE", lifecycle.get("outcome").asText());
        List<JsonNode> messages = listener.drainMessages();
        assertEquals(1, messages.size());
        assertEquals("WEB-0044", messages.get(0).get("detail").get("hostname").asText());
        assertEquals("tag:Name", messages.get(0).get("detail").get("hostnameSource").asText());
        assertEquals("lifecycle-action", messages.get(0).get("detail").get("trigger").asText());
        var completions = autoScaling.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CompleteLifecycleAction")));
        assertEquals(2, completions.size(), "each lifecycle delivery completes (AWS ignores the second); the state events do not");
        String body = completions.get(0).getBodyAsString();
        assertTrue(body.contains("LifecycleActionResult=CONTINUE") && body.contains("InstanceId=" + id)
                && body.contains("AutoScalingGroupName=web-asg") && body.contains("LifecycleHookName=ami-rollout-hostname"), body);
    }

    @Test
    void anInstanceWithoutAHostnameStillReachesTheQueueWithTheReason() {
        String id = instance(Map.of("team", "platform"));
        terminate(id);

        JsonNode result = twice(stateChange(id, "terminated"));

        assertEquals("DUPLICATE", result.get("outcome").asText());
        List<JsonNode> envelopes = listener.drain();
        assertEquals(1, envelopes.size());
        JsonNode detail = Json.readTree(envelopes.get(0).get("Message").asText()).get("detail");
        assertTrue(detail.get("hostname").isNull());
        assertTrue(detail.get("reason").asText().contains("tag:hostname, tag:Name"), detail.toString());
        assertEquals("false", TopicQueue.attributes(envelopes.get(0)).get("hostnameFound"));
    }

    @Test
    void anUnknownInstanceIsPublishedWithHostnameNull() {
        invoke(stateChange("i-0123456789abcdef0", "terminated"));

        List<JsonNode> messages = listener.drainMessages();
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).get("detail").get("reason").asText().contains("InvalidInstanceID.NotFound"));
    }

    /** A FIFO hostname topic: SNS deduplicates per instance as well. */
    @Test
    void aFifoTopicGetsOneMessagePerInstance() {
        SnsClient sns = Moto.client(SnsClient.builder());
        software.amazon.awssdk.services.sqs.SqsClient sqs = Moto.client(software.amazon.awssdk.services.sqs.SqsClient.builder());
        String topic = sns.createTopic(r -> r.name("ami-rollout-hostname.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String queue = sqs.createQueue(r -> r.queueName("hostname-listener.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));
        TerminationHostnameHandler fifo = handler(topic);
        String id = instance(Map.of("hostname", "WEB-0043"));

        for (String event : List.of(stateChange(id, "shutting-down"), stateChange(id, "shutting-down"), stateChange(id, "terminated"))) {
            fifo.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), new FakeContext());
        }

        assertEquals(1, sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages().size());
        assertEquals(1, front.queryCalls("Publish").size(), "the state table kept the later events from publishing");
    }

    static String stateChange(String instanceId, String state) {
        return """
                {"version":"0","id":"9c2e7f14-3b8d-4a61-%s-%s","detail-type":"EC2 Instance State-change Notification",
                 "source":"aws.ec2","account":"123456789012","time":"2026-11-21T10:29:41Z","region":"eu-west-1",
                 "resources":["arn:aws:ec2:eu-west-1:123456789012:instance/%s"],
                 "detail":{"instance-id":"%s","state":"%s"}}
                """.formatted(state.length(), instanceId.substring(2, 14), instanceId, instanceId, state);
    }

    static String lifecycleAction(String instanceId) {
        return """
                {"version":"0","id":"0e8f4c2a-71d3-4b6e-%s","detail-type":"EC2 Instance-terminate Lifecycle Action",
                 "source":"aws.autoscaling","account":"123456789012","time":"2026-11-21T10:29:00Z","region":"eu-west-1",
                 "resources":["arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:3f0c9a1e-7b2d-45a6-8e4f-1c2d3e4f5a6b:autoScalingGroupName/web-asg"],
                 "detail":{"LifecycleActionToken":"71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13","AutoScalingGroupName":"web-asg",
                  "LifecycleHookName":"ami-rollout-hostname","EC2InstanceId":"%s",
                  "LifecycleTransition":"autoscaling:EC2_INSTANCE_TERMINATING","Origin":"AutoScalingGroup","Destination":"EC2"}}
                """.formatted(instanceId.substring(2, 14), instanceId);
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("termination-hostname", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
