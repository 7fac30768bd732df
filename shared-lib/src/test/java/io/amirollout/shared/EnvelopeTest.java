package io.amirollout.shared;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class EnvelopeTest {

    private static final String EC2_EVENT = """
            {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",
             "source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",
             "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
             "detail":{"instance-id":"i-abcd1111","state":"terminated"}}""";

    @Test
    void readsTheEventBridgeEnvelope() {
        EventBridgeEvent event = EventBridgeEvent.from(Json.readTree(EC2_EVENT));
        assertTrue(event.is("aws.ec2", "EC2 Instance State-change Notification"));
        assertEquals("123456789012", event.account());
        assertEquals("us-east-1", event.region());
        assertEquals("2015-11-11T21:29:54Z", event.time());
        assertEquals(1, event.resources().size());
        assertEquals("i-abcd1111", event.detail().get("instance-id").asText());
    }

    @Test
    void rejectsAnEnvelopeWithoutDetail() {
        JsonNode node = Json.readTree("{\"detail-type\":\"X\",\"source\":\"aws.ec2\"}");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventBridgeEvent.from(node));
        assertEquals("the EventBridge event 'X' from aws.ec2 has no 'detail' object", e.getMessage());
    }

    @Test
    void rejectsMissingSource() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventBridgeEvent.from(Json.readTree("{\"detail-type\":\"X\",\"detail\":{}}")));
        assertEquals("the EventBridge event has no 'source'", e.getMessage());
    }

    @Test
    void malformedJsonIsAnInvalidEvent() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> Json.readTree(new ByteArrayInputStream("{\"a\":".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("the event is not valid JSON"), e.getMessage());
        assertThrows(InvalidEventException.class, () -> Json.readTree(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void unwrapsSns() {
        String sns = """
                {"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":"arn:sub",
                  "Sns":{"Type":"Notification","MessageId":"m-1","TopicArn":"arn:aws:sns:eu-west-1:1:t","Subject":"s",
                         "Message":"{\\"state\\":\\"ALARM\\"}","Timestamp":"2026-11-21T10:00:00.000Z",
                         "MessageAttributes":{"kind":{"Type":"String","Value":"REFRESH_STARTED"}}}}]}""";
        JsonNode node = Json.readTree(sns);
        assertTrue(SnsEnvelope.looksLike(node));
        assertFalse(EventBridgeEvent.looksLike(node));
        SNSEvent event = SnsEnvelope.from(node);
        SNSEvent.SNS message = event.getRecords().get(0).getSNS();
        assertEquals("{\"state\":\"ALARM\"}", message.getMessage());
        assertEquals("arn:aws:sns:eu-west-1:1:t", message.getTopicArn());
        assertEquals("REFRESH_STARTED", message.getMessageAttributes().get("kind").getValue());
    }

    @Test
    void snsRecordWithoutMessageIsInvalid() {
        JsonNode node = Json.readTree("{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Subject\":\"x\"}}]}");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> SnsEnvelope.from(node));
        assertEquals("SNS record 0 has no Sns.Message", e.getMessage());
        assertFalse(SnsEnvelope.looksLike(Json.readTree("{\"Records\":[{\"s3\":{}}]}")));
    }

    @Test
    void textTrimsAndTreatsBlankAsAbsent() {
        JsonNode node = Json.readTree("{\"a\":\"  x \",\"b\":\" \",\"c\":null,\"d\":{}}");
        assertEquals("x", Json.text(node, "a"));
        assertNull(Json.text(node, "b"));
        assertNull(Json.text(node, "c"));
        assertNull(Json.text(node, "d"));
        assertNull(Json.text(node, "missing"));
    }
}
