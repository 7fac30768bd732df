package io.amirollout.hostname;

import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.amirollout.hostname.HostnameWorld.EVENTS;
import static io.amirollout.hostname.HostnameWorld.event;
import static org.junit.jupiter.api.Assertions.*;

class TerminationEventTest {

    @Test
    void aStateChangeIsReadTolerantlyButTheIdExactly() {
        TerminationEvent quirky = event("ec2-instance-terminated-spaces-uppercase.json");
        assertEquals("i-07b4e2c9d1a3f8e56", quirky.instanceId(), "AWS's own samples carry a leading space");
        assertEquals("terminated", quirky.trigger());
        assertFalse(quirky.isLifecycleAction());
    }

    @Test
    void aLifecycleActionCarriesWhatCompletingItNeeds() {
        TerminationEvent event = event("asg-terminate-lifecycle-action.json");
        assertEquals("lifecycle-action", event.trigger());
        assertEquals("i-0f3a9c1e7b2d45a68", event.instanceId());
        assertEquals("web-asg", event.lifecycle().groupName());
        assertEquals("ami-rollout-hostname", event.lifecycle().hookName());
        assertEquals("71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13", event.lifecycle().token());
        assertTrue(event.lifecycle().terminates());
        assertFalse(event("asg-terminate-lifecycle-action-warm-pool.json").lifecycle().terminates());
    }

    @Test
    void olderLifecycleEventsWithoutDestinationTerminate() {
        String json = TestFiles.read(EVENTS + "asg-terminate-lifecycle-action.json").replace("\"Destination\": \"EC2\"", "\"X\": 1");
        assertTrue(TerminationEvent.from(Json.readTree(json)).lifecycle().terminates());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i-0F3A9C1E7B2D45A68", "i-0f3a9c1e7b2d45a6", "i-0f3a9c1e7b2d45a689", "i-1234567", "i-123456789",
            "i-0f3a9c1e7b2d45a6g", "x-0f3a9c1e7b2d45a68", "i-", "i-0f3a9c1e 7b2d45a68"})
    void anythingButAnExactInstanceIdIsInvalid(String id) {
        String json = TestFiles.read(EVENTS + "ec2-instance-terminated.json").replace("\"i-0f3a9c1e7b2d45a68\"", "\"" + id + "\"");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> TerminationEvent.from(Json.readTree(json)));
        assertTrue(e.getMessage().contains("not an EC2 instance id"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i-0f3a9c1e", "i-0f3a9c1e7b2d45a68"})
    void bothIdLengthsAreAccepted(String id) {
        String json = TestFiles.read(EVENTS + "ec2-instance-terminated.json").replace("\"i-0f3a9c1e7b2d45a68\"", "\"" + id + "\"");
        assertEquals(id, TerminationEvent.from(Json.readTree(json)).instanceId());
    }

    @Test
    void theLifecycleInstanceIdIsValidatedToo() {
        String json = TestFiles.read(EVENTS + "asg-terminate-lifecycle-action.json").replace("i-0f3a9c1e7b2d45a68", "i-0F3A9C1E7B2D45A68");
        assertThrows(InvalidEventException.class, () -> TerminationEvent.from(Json.readTree(json)));
    }

    @Test
    void aLaunchTransitionOrAMissingTokenIsInvalid() {
        String launch = TestFiles.read(EVENTS + "asg-terminate-lifecycle-action.json")
                .replace("autoscaling:EC2_INSTANCE_TERMINATING", "autoscaling:EC2_INSTANCE_LAUNCHING");
        String noToken = TestFiles.read(EVENTS + "asg-terminate-lifecycle-action.json").replace("LifecycleActionToken", "Token");
        assertThrows(InvalidEventException.class, () -> TerminationEvent.from(Json.readTree(launch)));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> TerminationEvent.from(Json.readTree(noToken)));
        assertTrue(e.getMessage().contains("LifecycleActionToken"), e.getMessage());
    }

    @Test
    void theInstanceArnIsTheFallbackForAMissingInstanceId() {
        String json = TestFiles.read(EVENTS + "ec2-instance-terminated.json").replace("\"instance-id\"", "\"other\"");
        assertEquals("i-0f3a9c1e7b2d45a68", TerminationEvent.from(Json.readTree(json)).instanceId());
    }
}
