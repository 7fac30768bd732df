package io.amirollout.hostname;

import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;
import io.amirollout.shared.testing.IamActions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.amirollout.hostname.HostnameWorld.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Each decision of the service on its own: sources, skips, configuration, AWS errors, IAM list. */
class HostnameServiceTest {

    private final HostnameWorld world = new HostnameWorld();

    @AfterEach
    void everyPublishedMessageKeepsTheContract() {
        world.publishes().forEach(p -> MessageSchema.assertValid(p.message()));
    }

    @Test
    void aWarmPoolDestinationIsNotATerminationButItsActionIsCompleted() {
        HostnameResult result = world.service(config()).handle(event("asg-terminate-lifecycle-action-warm-pool.json"), false);

        assertEquals("SKIPPED_WARM_POOL", result.outcome());
        assertEquals("COMPLETED", result.lifecycleAction());
        verifyNoInteractions(world.ec2, world.sns);
        assertTrue(world.table.snapshot().isEmpty());
    }

    @Test
    void anotherToolsHookIsLeftAlone() {
        HostnameResult result = world.service(config("LIFECYCLE_HOOK_NAME", "my-hostname-hook"))
                .handle(event("asg-terminate-lifecycle-action.json"), false);

        assertEquals("SKIPPED_OTHER_HOOK", result.outcome());
        assertTrue(result.reason().contains("'ami-rollout-hostname'"), result.reason());
        verifyNoInteractions(world.ec2, world.sns, world.autoScaling);
    }

    @Test
    void statesNotConfiguredAreSkippedWithoutAnyAwsCall() {
        HostnameResult running = world.service(config()).handle(event("ec2-instance-running.json"), false);
        HostnameResult shuttingDown = world.service(config("INSTANCE_STATES", "terminated"))
                .handle(event("ec2-instance-shutting-down.json"), false);

        assertEquals("SKIPPED_STATE", running.outcome());
        assertEquals("SKIPPED_STATE", shuttingDown.outcome());
        verifyNoInteractions(world.ec2, world.sns);
        assertEquals(0, world.table.writes());
    }

    @Test
    void tagKeysAreTriedInOrderThenThePrivateDnsName() {
        world.running(INSTANCE, Map.of("Name", "WEB-NAME", "computername", "WEB-CN"));
        world.running("i-0b2d4f6a8c1e3a5b7", Map.of("team", "platform"));
        TerminationHostnameConfig config = config("HOSTNAME_TAG_KEY", "hostname, ComputerName ,Name",
                "HOSTNAME_FROM_PRIVATE_DNS", "true");

        HostnameResult byTag = world.service(config).handle(event("ec2-instance-terminated.json"), false);
        HostnameResult byDns = world.service(config).handle(TerminationEvent.from(io.amirollout.shared.Json.readTree(
                io.amirollout.shared.testing.TestFiles.read(EVENTS + "ec2-instance-terminated.json")
                        .replace(INSTANCE, "i-0b2d4f6a8c1e3a5b7"))), false);

        assertEquals("WEB-CN", byTag.hostname(), "ComputerName comes before Name; the key's case does not matter");
        assertEquals("tag:ComputerName", byTag.hostnameSource());
        assertEquals("ip-10-0-1-17.eu-west-1.compute.internal", byDns.hostname());
        assertEquals("privateDnsName", byDns.hostnameSource());
        assertTrue(world.notices.all().isEmpty());
    }

    @Test
    void withoutPublishingMessagesWithoutHostnameThereIsStillANoticeAndOnlyOne() {
        world.running(INSTANCE, Map.of("team", "platform"));
        HostnameService service = world.service(config("PUBLISH_WITHOUT_HOSTNAME", "false"));

        HostnameResult first = service.handle(event("ec2-instance-shutting-down.json"), false);
        HostnameResult second = service.handle(event("ec2-instance-terminated.json"), false);

        assertEquals("SKIPPED_NO_HOSTNAME", first.outcome());
        assertEquals("DUPLICATE", second.outcome());
        verify(world.sns, never()).publish(any(PublishRequest.class));
        var notice = world.notices.only();
        assertEquals(NotificationKind.HOSTNAME_MISSING, notice.kind());
        assertTrue(notice.details().get("reason").toString().contains("none of the tags [hostname]"), notice.details().toString());
        assertTrue(notice.details().get("published").toString().contains("clean up by hand"));
    }

    @Test
    void losingTheClaimToAConcurrentDeliveryPublishesNothing() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        StateTable racing = new DelegatingTable(world.table) {
            @Override
            public boolean putIfAbsent(StateItem item) {
                world.table.putIfAbsent(item.with("eventId", "the-other-delivery")); // it got there first
                return super.putIfAbsent(item);
            }
        };
        HostnameService service = new HostnameService(world.ec2, world.sns, world.autoScaling, racing, world.notices,
                config(), world.clock);

        HostnameResult result = service.handle(event("asg-terminate-lifecycle-action.json"), false);

        assertEquals("DUPLICATE", result.outcome());
        assertEquals("COMPLETED", result.lifecycleAction(), "the hook is still released");
        verify(world.sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void aCompletionThatIsNotAllowedIsReportedNotRetried() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        when(world.autoScaling.completeLifecycleAction(any(CompleteLifecycleActionRequest.class)))
                .thenThrow(AutoScalingException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDenied").errorMessage("not authorized to perform: autoscaling:CompleteLifecycleAction").build()).build());

        HostnameResult result = world.service(config()).handle(event("asg-terminate-lifecycle-action.json"), false);

        assertEquals("PUBLISHED", result.outcome());
        assertEquals("NOT_PERMITTED", result.lifecycleAction());
    }

    @Test
    void otherEc2ErrorsAreThrownAndLeaveNoClaim() {
        when(world.ec2.describeInstances(any(DescribeInstancesRequest.class))).thenThrow(Ec2Exception.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("Unavailable").errorMessage("try again").build()).build());

        HostnamePublishException e = assertThrows(HostnamePublishException.class,
                () -> world.service(config()).handle(event("ec2-instance-shutting-down.json"), false));

        assertTrue(e.getMessage().contains("Unavailable"), e.getMessage());
        verifyNoInteractions(world.sns);
        assertTrue(world.table.snapshot().isEmpty());
    }

    @Test
    void aFifoTopicGetsAGroupAndADeduplicationIdPerInstance() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));

        world.service(config("HOSTNAME_TOPIC_ARN", TOPIC + ".fifo")).handle(event("ec2-instance-shutting-down.json"), false);

        PublishRequest request = world.publishes().get(0);
        assertEquals(INSTANCE, request.messageGroupId());
        assertEquals("hostname-" + INSTANCE, request.messageDeduplicationId());
    }

    @Test
    void theMessageAttributesAndTheOptionalPublishedNotice() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));

        HostnameResult result = world.service(config("PUBLISH_HOSTNAME_NOTICE", "true"))
                .handle(event("ec2-instance-shutting-down.json"), false);

        Map<String, String> attributes = new java.util.TreeMap<>();
        world.publishes().get(0).messageAttributes().forEach((k, v) -> {
            assertEquals("String", v.dataType());
            attributes.put(k, v.stringValue());
        });
        assertEquals(Map.of("instanceId", INSTANCE, "trigger", "shutting-down", "hostnameFound", "true",
                "hostname", "WEB-0042", "eventId", "5d1b0a77-2c4e-4f93-8e61-3a9f0c2b7d14"), attributes);
        var notice = world.notices.only();
        assertEquals(NotificationKind.HOSTNAME_PUBLISHED, notice.kind());
        assertEquals(result.messageId(), notice.details().get("messageId"));
    }

    @Test
    void theRecordSaysWhatWasPublishedAndExpiresAfterAFewDays() {
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));

        world.service(config()).handle(event("ec2-instance-shutting-down.json"), false);

        PublicationLedger.Entry entry = new PublicationLedger(world.table).find(INSTANCE).orElseThrow();
        assertEquals(PublicationLedger.Status.PUBLISHED, entry.status());
        assertEquals("WEB-0042", entry.hostname());
        assertEquals("msg-1", entry.messageId());
        assertEquals("shutting-down", entry.trigger());
        assertEquals(START.plus(PublicationLedger.KEEP), entry.item().expiresAt());
    }

    @Test
    void everyActionCalledIsListedInIamActions() {
        // The state table through DynamoStateTable over a DynamoDB mock: GetItem, PutItem, DeleteItem.
        DynamoDbClient dynamo = clientMock(DynamoDbClient.class);
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        when(dynamo.deleteItem(any(DeleteItemRequest.class))).thenReturn(DeleteItemResponse.builder().build());
        world.running(INSTANCE, Map.of("hostname", "WEB-0042"));
        when(world.sns.publish(any(PublishRequest.class))).thenThrow(SnsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").errorMessage("x").build()).build());
        HostnameService service = new HostnameService(world.ec2, world.sns, world.autoScaling,
                new DynamoStateTable(dynamo, "ami-rollout-state"), world.notices, config(), world.clock);

        assertThrows(HostnamePublishException.class, () -> service.handle(event("asg-terminate-lifecycle-action.json"), false));
        world.service(config()).handle(event("asg-terminate-lifecycle-action-warm-pool.json"), false);

        verify(dynamo).deleteItem(any(DeleteItemRequest.class));
        verify(world.autoScaling).completeLifecycleAction(any(CompleteLifecycleActionRequest.class));
        IamActions.assertListed("iam-actions.txt", Map.of("ec2", world.ec2, "sns", world.sns,
                "autoscaling", world.autoScaling, "dynamodb", dynamo));
        assertEquals(List.of("autoscaling:CompleteLifecycleAction", "dynamodb:DeleteItem", "dynamodb:GetItem",
                        "dynamodb:PutItem", "ec2:DescribeInstances", "sns:Publish"),
                List.copyOf(IamActions.called(Map.of("ec2", world.ec2, "sns", world.sns, "autoscaling", world.autoScaling,
                        "dynamodb", dynamo))));
    }

    /** Passes every call through; tests override one to inject a race. */
    static class DelegatingTable implements StateTable {
        private final StateTable delegate;

        DelegatingTable(StateTable delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StateItem> get(String pk, String sk) {
            return delegate.get(pk, sk);
        }

        @Override
        public List<StateItem> query(String pk, String skPrefix) {
            return delegate.query(pk, skPrefix);
        }

        @Override
        public boolean putIfAbsent(StateItem item) {
            return delegate.putIfAbsent(item);
        }

        @Override
        public boolean replace(StateItem item) {
            return delegate.replace(item);
        }

        @Override
        public void put(StateItem item) {
            delegate.put(item);
        }

        @Override
        public void delete(String pk, String sk) {
            delegate.delete(pk, sk);
        }
    }
}
