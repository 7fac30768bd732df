package io.amirollout.hostname;

import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class InstanceStateChangeTest {

    private static String event(String detail) {
        return """
                {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"EC2 Instance State-change Notification",
                 "source":"aws.ec2","account":"111122223333","time":"2017-12-22T18:43:48Z","region":"us-west-1",
                 "resources":["arn:aws:ec2:us-west-1:111122223333:instance/i-1234567890abcdef0"],"detail":%s}""".formatted(detail);
    }

    @Test
    void surroundingSpacesAndUpperCaseAreTolerated() {
        InstanceStateChange change = InstanceStateChange.from(Json.readTree(event(
                "{\"instance-id\":\" i-1234567890abcdef0\",\"state\":\" RUNNING\"}")));
        assertEquals("i-1234567890abcdef0", change.instanceId());
        assertEquals("running", change.state());
        assertEquals("6a7e8feb-b491-4cf7-a9f1-bf3703467718", change.eventId());
        assertEquals("111122223333", change.account());
        assertEquals("us-west-1", change.region());
    }

    @Test
    void aMissingInstanceIdFallsBackOnTheResourceArn() {
        InstanceStateChange change = InstanceStateChange.from(Json.readTree(event("{\"state\":\"terminated\"}")));
        assertEquals("i-1234567890abcdef0", change.instanceId());
    }

    @Test
    void badInputIsNamed() {
        InvalidEventException noId = assertThrows(InvalidEventException.class, () -> InstanceStateChange.from(Json.readTree(
                event("{\"state\":\"terminated\"}").replace("arn:aws:ec2:us-west-1:111122223333:instance/i-1234567890abcdef0", "x"))));
        assertEquals("the EC2 state-change detail has no 'instance-id'", noId.getMessage());
        InvalidEventException noState = assertThrows(InvalidEventException.class,
                () -> InstanceStateChange.from(Json.readTree(event("{\"instance-id\":\"i-1234567890abcdef0\"}"))));
        assertEquals("the EC2 state-change detail has no 'state'", noState.getMessage());
        InvalidEventException badId = assertThrows(InvalidEventException.class, () -> InstanceStateChange.from(Json.readTree(
                event("{\"instance-id\":\"web-01\",\"state\":\"terminated\"}"))));
        assertTrue(badId.getMessage().contains("'web-01' is not an EC2 instance id"));
        InvalidEventException wrongType = assertThrows(InvalidEventException.class, () -> InstanceStateChange.from(Json.readTree(
                event("{}").replace("EC2 Instance State-change Notification", "EC2 Spot Instance Interruption Warning"))));
        assertTrue(wrongType.getMessage().contains("'EC2 Spot Instance Interruption Warning'"), wrongType.getMessage());
        assertThrows(InvalidEventException.class, () -> InstanceStateChange.from(Json.readTree("{\"instance-id\":\"i-1\"}")));
    }
}
