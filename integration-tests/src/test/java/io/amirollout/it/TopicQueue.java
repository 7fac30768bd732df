package io.amirollout.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An SNS topic in moto with an SQS queue subscribed to it, the way a listener would subscribe:
 * what a function publishes is read back from the queue, as SNS delivered it.
 */
public final class TopicQueue {

    private final SqsClient sqs;
    private final String topicArn;
    private final String queueUrl;

    private TopicQueue(SqsClient sqs, String topicArn, String queueUrl) {
        this.sqs = sqs;
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
    }

    /** Creates {@code name} topic and {@code name-listener} queue, subscribed (SNS envelope, not raw). */
    public static TopicQueue create(String name) {
        return create(name, null);
    }

    /** Same, the subscription filtered by an SNS filter policy on message attributes (null: none). */
    public static TopicQueue create(String name, String filterPolicy) {
        return create(name, filterPolicy, null);
    }

    /** Same, in another account of moto (null: the default account). */
    public static TopicQueue create(String name, String filterPolicy, String accountId) {
        SnsClient sns = Moto.client(SnsClient.builder(), accountId, Moto.REGION);
        SqsClient sqs = Moto.client(SqsClient.builder(), accountId, Moto.REGION);
        String topicArn = sns.createTopic(r -> r.name(name)).topicArn();
        String queueUrl = sqs.createQueue(r -> r.queueName(name + "-listener")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(filterPolicy == null ? Map.of() : Map.of("FilterPolicy", filterPolicy)));
        return new TopicQueue(sqs, topicArn, queueUrl);
    }

    public String topicArn() {
        return topicArn;
    }

    /** The SNS envelopes delivered so far (each with Message, MessageAttributes...), removed from the queue. */
    public List<JsonNode> drain() {
        List<JsonNode> envelopes = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return envelopes;
            }
            for (Message m : batch) {
                envelopes.add(Json.readTree(m.body()));
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The published messages' bodies (SNS Message), parsed as JSON. */
    public List<JsonNode> drainMessages() {
        return drain().stream().map(e -> Json.readTree(e.get("Message").asText())).toList();
    }

    /** The SNS message attributes of an envelope, name → value. */
    public static Map<String, String> attributes(JsonNode envelope) {
        Map<String, String> values = new java.util.TreeMap<>();
        JsonNode attributes = envelope.get("MessageAttributes");
        if (attributes != null) {
            attributes.properties().forEach(e -> values.put(e.getKey(), e.getValue().path("Value").asText()));
        }
        return values;
    }
}
