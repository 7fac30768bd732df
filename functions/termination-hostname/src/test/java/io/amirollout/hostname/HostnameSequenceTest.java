package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionRequest;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.amirollout.hostname.HostnameWorld.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * The sequences over simulated time, every event delivered twice (EventBridge and Lambda deliver
 * at least once): one message per terminated instance, asserted on the SNS publishes; every message
 * published is checked against the listener's JSON Schema.
 */
class HostnameSequenceTest {

    private final HostnameWorld world = new HostnameWorld();
    private final HostnameService service = world.service(config());

    @AfterEach
    void everyPublishedMessageKeepsTheContract() {
        for (PublishRequest publish : world.publishes()) {
            MessageSchema.assertValid(publish.message());
        }
    }

    private HostnameResult deliver(String file) {
        return service.handle(event(file), false);
    }

    private HostnameResult[] twice(String file) {
        HostnameResult first = deliver(file);
        world.clock.advance(Duration.ofSeconds(1));
        return new HostnameResult[] {first, deliver(file)};
    }

    @Test
    void shuttingDownThenTerminatedPublishesOnceWhileTheTagsAreThere() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042", "aws:autoscaling:groupName", "web-asg"));

        HostnameResult[] shuttingDown = twice("ec2-instance-shutting-down.json");
        world.clock.advance(Duration.ofSeconds(50));
        world.tagsGone(INSTANCE);
        HostnameResult[] terminated = twice("ec2-instance-terminated.json");

        assertEquals("PUBLISHED", shuttingDown[0].outcome());
        assertEquals("DUPLICATE", shuttingDown[1].outcome());
        assertEquals("DUPLICATE", terminated[0].outcome(), terminated[0].reason());
        assertEquals("DUPLICATE", terminated[1].outcome());
        assertEquals(1, world.publishes().size(), "one message for one terminated instance");
        JsonNode detail = world.messages().get(0).get("detail");
        assertEquals("WEB-0042", detail.get("hostname").asText());
        assertEquals("tag:hostname", detail.get("hostnameSource").asText());
        assertEquals("shutting-down", detail.get("trigger").asText());
        assertEquals("web-asg", detail.get("tags").get("aws:autoscaling:groupName").asText());
        assertTrue(world.notices.all().isEmpty());
        assertTrue(world.completions().isEmpty(), "no lifecycle hook involved");
    }

    @Test
    void terminatedOnlyWithTheTagsGoneStillPublishesOnceWithHostnameNullAndNotices() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        world.tagsGone(INSTANCE);

        HostnameResult[] terminated = twice("ec2-instance-terminated.json");

        assertEquals("PUBLISHED_WITHOUT_HOSTNAME", terminated[0].outcome());
        assertEquals("DUPLICATE", terminated[1].outcome());
        assertEquals(1, world.publishes().size());
        JsonNode detail = world.messages().get(0).get("detail");
        assertTrue(detail.get("hostname").isNull());
        assertTrue(detail.get("hostnameSource").isNull());
        assertTrue(detail.get("reason").asText().contains("no tags left"), detail.toString());
        assertTrue(detail.get("reason").asText().contains("tag:hostname"), detail.toString());
        assertEquals("false", world.publishes().get(0).messageAttributes().get("hostnameFound").stringValue());
        assertNull(world.publishes().get(0).messageAttributes().get("hostname"), "SNS rejects empty attribute values");

        var notice = world.notices.only();
        assertEquals(NotificationKind.HOSTNAME_MISSING, notice.kind());
        assertEquals(Severity.WARNING, notice.severity());
        assertTrue(notice.title().contains(INSTANCE), notice.title());
        assertEquals(INSTANCE, notice.details().get("instanceId"));
        assertEquals("tag:hostname", notice.details().get("tried"));
        assertTrue(String.valueOf(notice.details().get("published")).contains("hostname null"));
    }

    @Test
    void anInstanceEc2NoLongerKnowsIsPublishedWithHostnameNullAndTheReason() {
        HostnameResult result = deliver("ec2-instance-terminated.json");

        assertEquals("PUBLISHED_WITHOUT_HOSTNAME", result.outcome());
        assertTrue(world.messages().get(0).get("detail").get("reason").asText().contains("InvalidInstanceID.NotFound"));
        assertEquals(NotificationKind.HOSTNAME_MISSING, world.notices.only().kind());
    }

    @Test
    void lifecycleActionThenShuttingDownThenTerminatedPublishesOnceAndCompletesTheAction() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042", "aws:autoscaling:groupName", "web-asg"));
        // AWS answers a second completion of the same action with ValidationError.
        when(world.autoScaling.completeLifecycleAction(any(CompleteLifecycleActionRequest.class)))
                .thenReturn(CompleteLifecycleActionResponse.builder().build())
                .thenThrow(AutoScalingException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ValidationError").errorMessage("No active Lifecycle Action found with token "
                                + "71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13").build()).build());

        HostnameResult[] lifecycle = twice("asg-terminate-lifecycle-action.json");
        world.clock.advance(Duration.ofSeconds(5));
        HostnameResult[] shuttingDown = twice("ec2-instance-shutting-down.json");
        world.clock.advance(Duration.ofSeconds(50));
        world.tagsGone(INSTANCE);
        HostnameResult[] terminated = twice("ec2-instance-terminated.json");

        assertEquals("PUBLISHED", lifecycle[0].outcome());
        assertEquals("COMPLETED", lifecycle[0].lifecycleAction());
        assertEquals("DUPLICATE", lifecycle[1].outcome());
        assertEquals("ALREADY_COMPLETED", lifecycle[1].lifecycleAction());
        for (HostnameResult later : List.of(shuttingDown[0], shuttingDown[1], terminated[0], terminated[1])) {
            assertEquals("DUPLICATE", later.outcome());
            assertNull(later.lifecycleAction());
        }
        assertEquals(1, world.publishes().size());
        JsonNode message = world.messages().get(0);
        assertEquals("lifecycle-action", message.get("detail").get("trigger").asText());
        assertEquals(INSTANCE, message.get("detail").get("instance-id").asText(), "added for listeners reading instance-id");
        assertEquals(INSTANCE, message.get("detail").get("EC2InstanceId").asText(), "the original field kept");

        CompleteLifecycleActionRequest completion = world.completions().get(0);
        assertEquals("web-asg", completion.autoScalingGroupName());
        assertEquals("ami-rollout-hostname", completion.lifecycleHookName());
        assertEquals("71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13", completion.lifecycleActionToken());
        assertEquals(INSTANCE, completion.instanceId());
        assertEquals("CONTINUE", completion.lifecycleActionResult());
        assertEquals(2, world.completions().size(), "the duplicate delivery completes again (harmless), nothing else does");
    }

    @Test
    void aDryRunPublishesNothingCompletesNothingAndRecordsNothing() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));

        HostnameResult dry = service.handle(event("asg-terminate-lifecycle-action.json"), true);

        assertEquals("WOULD_PUBLISH", dry.outcome());
        assertEquals("WOULD_COMPLETE", dry.lifecycleAction());
        assertTrue(dry.dryRun());
        assertEquals("WEB-0042", dry.hostname());
        assertEquals(List.of("PublishOnce", "CompleteLifecycleAction"),
                dry.plan().stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
        assertTrue(world.publishes().isEmpty());
        assertTrue(world.completions().isEmpty());
        assertTrue(world.table.snapshot().isEmpty(), "a dry run claims nothing");

        HostnameResult real = deliver("asg-terminate-lifecycle-action.json");
        assertEquals("PUBLISHED", real.outcome());
        assertEquals("COMPLETED", real.lifecycleAction());
    }

    @Test
    void aFailedPublishReleasesTheClaimSoTheRetryPublishes() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        when(world.sns.publish(any(PublishRequest.class)))
                .thenThrow(SnsException.builder().statusCode(500).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalError").errorMessage("boom").build()).build())
                .thenReturn(PublishResponse.builder().messageId("msg-retry").build());

        HostnamePublishException e = assertThrows(HostnamePublishException.class, () -> deliver("asg-terminate-lifecycle-action.json"));
        assertTrue(e.getMessage().contains("InternalError"), e.getMessage());
        assertTrue(world.table.snapshot().isEmpty(), "claim released");
        assertTrue(world.completions().isEmpty(), "the hook waits for the retry");

        world.clock.advance(Duration.ofMinutes(1)); // Lambda's first asynchronous retry
        HostnameResult retry = deliver("asg-terminate-lifecycle-action.json");
        assertEquals("PUBLISHED", retry.outcome());
        assertEquals("msg-retry", retry.messageId());
        assertEquals("COMPLETED", retry.lifecycleAction());
        assertEquals(2, world.publishes().size(), "the failed attempt and the retry");
    }

    @Test
    void aClaimLeftByADeadInvocationIsTakenOverOnceStale() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        // An invocation claimed the instance and was killed (timeout) before it published.
        assertNotNull(new PublicationLedger(world.table).claim(event("ec2-instance-shutting-down.json"), null, world.clock.instant()));

        world.clock.advance(Duration.ofSeconds(20));
        HostnamePublishException fresh = assertThrows(HostnamePublishException.class, () -> deliver("ec2-instance-terminated.json"));
        assertTrue(fresh.getMessage().contains("claimed"), fresh.getMessage());
        assertTrue(world.publishes().isEmpty(), "a fresh claim may still be publishing");

        world.clock.advance(PublicationLedger.STALE_CLAIM);
        HostnameResult takeOver = deliver("ec2-instance-terminated.json");
        assertEquals("PUBLISHED", takeOver.outcome());
        assertEquals(1, world.publishes().size());
        assertEquals("DUPLICATE", deliver("ec2-instance-terminated.json").outcome());
        assertEquals(1, world.publishes().size());
    }

    @Test
    void aThrottledCompletionIsRetriedWithoutPublishingAgain() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        when(world.autoScaling.completeLifecycleAction(any(CompleteLifecycleActionRequest.class)))
                .thenThrow(AutoScalingException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("Throttling").errorMessage("Rate exceeded").build()).build())
                .thenReturn(CompleteLifecycleActionResponse.builder().build());

        assertThrows(HostnamePublishException.class, () -> deliver("asg-terminate-lifecycle-action.json"));
        HostnameResult retry = deliver("asg-terminate-lifecycle-action.json");

        assertEquals("DUPLICATE", retry.outcome());
        assertEquals("COMPLETED", retry.lifecycleAction());
        assertEquals(1, world.publishes().size());
    }
}
