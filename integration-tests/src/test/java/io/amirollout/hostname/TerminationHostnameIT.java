package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 4: an instance with a hostname tag is terminated in moto; the hostname listener's SQS
 * queue, subscribed to the hostname topic in moto (with a filter policy on the message
 * attributes), receives the original event with the hostname and tags added.
 */
class TerminationHostnameIT extends MotoScenario {

    Ec2Client ec2;
    TopicQueue listener;
    TerminationHostnameHandler handler;

    @BeforeEach
    void seed() {
        ec2 = Moto.client(Ec2Client.builder());
        // The listener only wants terminations, as a Windows domain clean-up host would.
        listener = TopicQueue.create("ami-rollout-hostname", "{\"state\": [\"terminated\"]}");
        TerminationHostnameConfig config = TerminationHostnameConfig.from(Env.of(Map.of("HOSTNAME_TOPIC_ARN", listener.topicArn())));
        handler = new TerminationHostnameHandler(new HostnameService(AwsClients.build(Ec2Client.builder()),
                AwsClients.build(SnsClient.builder()), NotificationPublisher.logOnly(), config, CLOCK));
    }

    private String instance(Map<String, String> tags) {
        String id = ec2.runInstances(r -> r.imageId(Workload.OLD_AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .tagSpecifications(software.amazon.awssdk.services.ec2.model.TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build()))
                .instances().get(0).instanceId();
        ec2.terminateInstances(r -> r.instanceIds(id));
        assertEquals(InstanceStateName.TERMINATED, ec2.describeInstances(r -> r.instanceIds(id))
                .reservations().get(0).instances().get(0).state().name(), "moto still describes the terminated instance");
        return id;
    }

    @Test
    void theTerminatedInstancesHostnameReachesTheSubscribedQueueWithTheOriginalEvent() {
        String id = instance(Map.of("hostname", "WEB-0042", "team", "platform", "Name", "web"));
        String event = terminated(id);

        JsonNode result = invoke(event);

        assertEquals("WEB-0042", result.get("hostname").asText(), result.toString());
        List<JsonNode> envelopes = listener.drain();
        assertEquals(1, envelopes.size(), "one message for one termination");
        JsonNode message = Json.readTree(envelopes.get(0).get("Message").asText());
        JsonNode original = Json.readTree(event);
        assertEquals(original.get("id"), message.get("id"), "the original event, unchanged");
        assertEquals(original.get("detail-type"), message.get("detail-type"));
        assertEquals(original.get("resources"), message.get("resources"));
        assertEquals(id, message.get("detail").get("instance-id").asText());
        assertEquals("terminated", message.get("detail").get("state").asText());
        assertEquals("WEB-0042", message.get("detail").get("hostname").asText());
        assertEquals("platform", message.get("detail").get("tags").get("team").asText());
        Map<String, String> attributes = TopicQueue.attributes(envelopes.get(0));
        assertEquals("WEB-0042", attributes.get("hostname"));
        assertEquals(id, attributes.get("instanceId"));
    }

    /** A FIFO hostname topic: a redelivered event (same EventBridge id) is delivered once, by SNS's deduplication. */
    @Test
    void aFifoTopicDeliversARedeliveredEventOnce() {
        software.amazon.awssdk.services.sns.SnsClient sns = Moto.client(software.amazon.awssdk.services.sns.SnsClient.builder());
        software.amazon.awssdk.services.sqs.SqsClient sqs = Moto.client(software.amazon.awssdk.services.sqs.SqsClient.builder());
        String topic = sns.createTopic(r -> r.name("ami-rollout-hostname.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String queue = sqs.createQueue(r -> r.queueName("hostname-listener.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));
        TerminationHostnameHandler fifo = new TerminationHostnameHandler(new HostnameService(AwsClients.build(Ec2Client.builder()),
                AwsClients.build(SnsClient.builder()), NotificationPublisher.logOnly(),
                TerminationHostnameConfig.from(Env.of(Map.of("HOSTNAME_TOPIC_ARN", topic))), CLOCK));
        String event = terminated(instance(Map.of("hostname", "WEB-0043")));

        for (int delivery = 0; delivery < 2; delivery++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fifo.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext());
        }

        List<software.amazon.awssdk.services.sqs.model.Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages();
        assertEquals(1, messages.size(), "SNS FIFO deduplicated the redelivery by the event id");
        assertEquals(2, front.queryCalls("Publish").size(), "both deliveries published");
    }

    @Test
    void anInstanceWithoutAHostnameTagPublishesNothing() {
        String id = instance(Map.of("team", "platform"));

        invoke(terminated(id));

        assertTrue(listener.drain().isEmpty());
        assertTrue(front.queryCalls("Publish").isEmpty());
    }

    @Test
    void anUnknownInstanceIsAWarningNotACrash() {
        JsonNode result = invoke(terminated("i-0123456789abcdef0"));

        assertTrue(listener.drain().isEmpty(), result.toString());
        assertTrue(front.queryCalls("Publish").isEmpty());
    }

    static String terminated(String instanceId) {
        return """
                {"version":"0","id":"9c2e7f14-3b8d-4a61-b5e0-%s","detail-type":"EC2 Instance State-change Notification",
                 "source":"aws.ec2","account":"123456789012","time":"2026-11-21T10:29:41Z","region":"eu-west-1",
                 "resources":["arn:aws:ec2:eu-west-1:123456789012:instance/%s"],
                 "detail":{"instance-id":"%s","state":"terminated"}}
                """.formatted(instanceId.substring(2, 14), instanceId, instanceId);
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("termination-hostname", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
