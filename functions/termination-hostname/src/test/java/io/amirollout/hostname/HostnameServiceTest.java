package io.amirollout.hostname;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.mockito.stubbing.Answer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

class HostnameServiceTest {

    static final String EVENTS = "../../events/termination-hostname/";
    static final String TOPIC = "arn:aws:sns:eu-west-1:444455556666:instance-hostnames";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T16:00:00Z"), ZoneOffset.UTC);

    private Ec2Client ec2;
    private SnsClient sns;
    private RecordingPublisher notices;

    /** SDK client mocks whose Consumer overloads (default methods) run for real and reach the stubbed request variant. */
    static <T> T clientMock(Class<T> type) {
        Answer<Object> answer = invocation -> {
            var method = invocation.getMethod();
            boolean helper = method.getName().endsWith("Paginator")
                    || (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Consumer.class);
            return helper ? invocation.callRealMethod() : Mockito.RETURNS_DEFAULTS.answer(invocation);
        };
        return mock(type, withSettings().defaultAnswer(answer));
    }

    static TerminationHostnameConfig config(String topic, List<String> states, boolean withoutHostname, boolean notice,
                                            boolean dryRun) {
        return new TerminationHostnameConfig(topic, "hostname", states, withoutHostname, notice, "", dryRun);
    }

    static TerminationHostnameConfig config() {
        return config(TOPIC, List.of("terminated"), false, false, false);
    }

    static DescribeInstancesResponse instance(String id, Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
        return DescribeInstancesResponse.builder().reservations(Reservation.builder().instances(
                Instance.builder().instanceId(id).tags(list).build()).build()).build();
    }

    static InstanceStateChange event(String file) {
        return InstanceStateChange.from(Json.readTree(TestFiles.read(EVENTS + file)));
    }

    @BeforeEach
    void setUp() {
        ec2 = clientMock(Ec2Client.class);
        sns = clientMock(SnsClient.class);
        notices = new RecordingPublisher();
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-0f3a9c1e7b2d45a68",
                Map.of("hostname", "WEB-0042", "Name", "web-asg", "aws:autoscaling:groupName", "web-asg")));
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("msg-1").build());
    }

    private HostnameService service(TerminationHostnameConfig config) {
        return new HostnameService(ec2, sns, notices, config, CLOCK);
    }

    private PublishRequest published() {
        ArgumentCaptor<PublishRequest> captor = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(captor.capture());
        return captor.getValue();
    }

    @Test
    void aTerminatedInstanceIsPublishedWithHostnameAndTags() {
        HostnameResult result = service(config()).handle(event("ec2-instance-terminated.json"), false);

        assertEquals("PUBLISHED", result.outcome());
        assertEquals("WEB-0042", result.hostname());
        assertEquals("msg-1", result.messageId());
        verify(ec2).describeInstances(DescribeInstancesRequest.builder().instanceIds("i-0f3a9c1e7b2d45a68").build());
        PublishRequest request = published();
        assertEquals(TOPIC, request.topicArn());
        assertEquals("WEB-0042", request.messageAttributes().get("hostname").stringValue());
        assertEquals("String", request.messageAttributes().get("hostname").dataType());
        assertEquals("i-0f3a9c1e7b2d45a68", request.messageAttributes().get("instanceId").stringValue());
        assertEquals("9c2e7f14-3b8d-4a61-b5e0-7d1f4c8a2e93", request.messageAttributes().get("eventId").stringValue());
        assertEquals("terminated", request.messageAttributes().get("state").stringValue());
        assertNull(request.messageGroupId(), "standard topics: no group id");
        assertNull(request.messageDeduplicationId());

        JsonNode message = Json.readTree(request.message());
        assertEquals("WEB-0042", message.get("detail").get("hostname").asText());
        assertEquals("web-asg", message.get("detail").get("tags").get("aws:autoscaling:groupName").asText());
        assertEquals(3, message.get("detail").get("tags").size());
        assertTrue(notices.all().isEmpty(), "HOSTNAME_PUBLISHED is off by default");
    }

    @Test
    void theOriginalEventIsForwardedUnchangedApartFromTheTwoAddedFields() {
        String original = TestFiles.read(EVENTS + "ec2-instance-terminated-spaces-uppercase.json");
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-07b4e2c9d1a3f8e56",
                Map.of("hostname", "WEB-0043")));

        service(config()).handle(InstanceStateChange.from(Json.readTree(original)), false);

        JsonNode message = Json.readTree(published().message());
        JsonNode expected = Json.readTree(original);
        assertEquals(fieldNames(expected), fieldNames(message), "top-level fields and their order");
        List<String> detailFields = fieldNames(message.get("detail"));
        assertEquals(List.of("instance-id", "state", "hostname", "tags"), detailFields);
        assertEquals(" i-07b4e2c9d1a3f8e56", message.get("detail").get("instance-id").asText(), "original value kept");
        assertEquals("TERMINATED ", message.get("detail").get("state").asText(), "original value kept");
        ((com.fasterxml.jackson.databind.node.ObjectNode) message.get("detail")).remove(List.of("hostname", "tags"));
        assertEquals(expected, message, "nothing else changed");
        assertEquals("i-07b4e2c9d1a3f8e56", published().messageAttributes().get("instanceId").stringValue(), "attribute trimmed");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    @Test
    void otherStatesAreSkippedWithoutAnyAwsCall() {
        HostnameResult result = service(config()).handle(event("ec2-instance-running.json"), false);

        assertEquals("SKIPPED_STATE", result.outcome());
        assertTrue(result.reason().contains("'running'"), result.reason());
        verifyNoInteractions(ec2, sns);
    }

    @Test
    void theStatesAreConfigurable() {
        HostnameService service = service(config(TOPIC, List.of("shutting-down", "terminated"), false, false, false));
        JsonNode shuttingDown = Json.readTree(TestFiles.read(EVENTS + "ec2-instance-terminated.json").replace("\"terminated\"", "\"Shutting-Down\""));

        assertEquals("PUBLISHED", service.handle(InstanceStateChange.from(shuttingDown), false).outcome());
        assertEquals("SKIPPED_STATE", service.handle(event("ec2-instance-running.json"), false).outcome());
    }

    @Test
    void upperCaseStatesAndSpacesAreTolerated() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-07b4e2c9d1a3f8e56",
                Map.of("hostname", "WEB-0043")));

        HostnameResult result = service(config()).handle(event("ec2-instance-terminated-spaces-uppercase.json"), false);

        assertEquals("PUBLISHED", result.outcome());
        assertEquals("terminated", result.state());
        verify(ec2).describeInstances(DescribeInstancesRequest.builder().instanceIds("i-07b4e2c9d1a3f8e56").build());
    }

    @Test
    void noHostnameTagIsSkippedWithAWarningByDefault() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-0f3a9c1e7b2d45a68",
                Map.of("Name", "web-asg", "hostname", "  ")));

        try (CapturedOutput out = CapturedOutput.start()) {
            HostnameResult result = service(config()).handle(event("ec2-instance-terminated.json"), false);

            assertEquals("SKIPPED_NO_HOSTNAME", result.outcome());
            assertTrue(result.reason().contains("no 'hostname' tag"), result.reason());
            assertTrue(out.lines().stream().anyMatch(l -> l.contains("\"level\":\"WARN\"") && l.contains("no hostname tag")), out.text());
        }
        verifyNoInteractions(sns);
    }

    @Test
    void noHostnameTagCanBePublishedAnyway() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-0f3a9c1e7b2d45a68",
                Map.of("Name", "web-asg")));

        HostnameResult result = service(config(TOPIC, List.of("terminated"), true, false, false))
                .handle(event("ec2-instance-terminated.json"), false);

        assertEquals("PUBLISHED", result.outcome());
        PublishRequest request = published();
        assertFalse(request.messageAttributes().containsKey("hostname"), "SNS rejects empty attribute values");
        JsonNode detail = Json.readTree(request.message()).get("detail");
        assertTrue(detail.get("hostname").isNull());
        assertEquals("web-asg", detail.get("tags").get("Name").asText());
    }

    @Test
    void theTagKeyIsConfigurableAndMatchedIgnoringCase() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(instance("i-0f3a9c1e7b2d45a68",
                Map.of("ComputerName", "WEB-0042", "Hostname", "other")));
        TerminationHostnameConfig computerName = new TerminationHostnameConfig(TOPIC, "computername", List.of("terminated"),
                false, false, "", false);

        assertEquals("WEB-0042", service(computerName).handle(event("ec2-instance-terminated.json"), false).hostname());
        assertEquals("other", service(config()).handle(event("ec2-instance-terminated.json"), false).hostname());
    }

    @Test
    void anUnknownInstanceIsAClearWarningNotACrash() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenThrow(Ec2Exception.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidInstanceID.NotFound")
                        .errorMessage("The instance ID 'i-0f3a9c1e7b2d45a68' does not exist").build()).build());

        try (CapturedOutput out = CapturedOutput.start()) {
            HostnameResult result = service(config()).handle(event("ec2-instance-terminated.json"), false);

            assertEquals("SKIPPED_UNKNOWN_INSTANCE", result.outcome());
            assertTrue(result.reason().contains("InvalidInstanceID.NotFound"), result.reason());
            assertTrue(out.lines().stream().anyMatch(l -> l.contains("\"level\":\"WARN\"") && l.contains("unknown instance")));
        }
        verifyNoInteractions(sns);
    }

    @Test
    void anEmptyDescriptionIsAnUnknownInstanceToo() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenReturn(DescribeInstancesResponse.builder().build());
        assertEquals("SKIPPED_UNKNOWN_INSTANCE", service(config()).handle(event("ec2-instance-terminated.json"), false).outcome());
    }

    @Test
    void otherEc2ErrorsAreThrownForLambdaToRetry() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenThrow(Ec2Exception.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("UnauthorizedOperation")
                        .errorMessage("You are not authorized to perform this operation.").build()).build());

        HostnamePublishException e = assertThrows(HostnamePublishException.class,
                () -> service(config()).handle(event("ec2-instance-terminated.json"), false));
        assertTrue(e.getMessage().contains("UnauthorizedOperation"), e.getMessage());
        verifyNoInteractions(sns);
    }

    @Test
    void aPublishFailureIsThrownForLambdaToRetry() {
        when(sns.publish(any(PublishRequest.class))).thenThrow(SnsException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").errorMessage("Topic does not exist").build()).build());

        HostnamePublishException e = assertThrows(HostnamePublishException.class,
                () -> service(config()).handle(event("ec2-instance-terminated.json"), false));
        assertTrue(e.getMessage().contains("NotFound: Topic does not exist"), e.getMessage());
    }

    @Test
    void aFifoTopicGetsAGroupPerInstanceAndTheEventIdAsDeduplicationId() {
        service(config(TOPIC + ".fifo", List.of("terminated"), false, false, false)).handle(event("ec2-instance-terminated.json"), false);

        PublishRequest request = published();
        assertEquals("i-0f3a9c1e7b2d45a68", request.messageGroupId());
        assertEquals("9c2e7f14-3b8d-4a61-b5e0-7d1f4c8a2e93", request.messageDeduplicationId());
    }

    @Test
    void deduplicationIdsKeepToSnsRules() {
        assertEquals("abc-1", HostnameService.dedupId("abc -1\u00e9"));
        assertEquals(128, HostnameService.dedupId("x".repeat(200)).length());
    }

    @Test
    void aDuplicateEventIsPublishedAgainWithTheSameEventIdForConsumersToDeduplicate() {
        HostnameService service = service(config());
        service.handle(event("ec2-instance-terminated.json"), false);
        service.handle(event("ec2-instance-terminated.json"), false);

        ArgumentCaptor<PublishRequest> captor = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns, times(2)).publish(captor.capture());
        assertEquals(captor.getAllValues().get(0).messageAttributes().get("eventId"),
                captor.getAllValues().get(1).messageAttributes().get("eventId"));
        assertEquals(captor.getAllValues().get(0).message(), captor.getAllValues().get(1).message());
    }

    @Test
    void dryRunReadsButPublishesNothing() {
        HostnameResult fromEvent = service(config()).handle(event("ec2-instance-terminated.json"), true);
        HostnameResult fromConfig = service(config(TOPIC, List.of("terminated"), false, true, true))
                .handle(event("ec2-instance-terminated.json"), false);

        assertEquals("WOULD_PUBLISH", fromEvent.outcome());
        assertTrue(fromEvent.dryRun());
        assertEquals("WEB-0042", fromEvent.hostname());
        assertEquals("WOULD_PUBLISH", fromConfig.outcome());
        verifyNoInteractions(sns);
        assertTrue(notices.only().title().startsWith("[dry run]"));
        assertEquals(Boolean.TRUE, notices.only().details().get("dryRun"));
    }

    @Test
    void theHostnamePublishedNoticeIsOptional() {
        service(config(TOPIC, List.of("terminated"), false, true, false)).handle(event("ec2-instance-terminated.json"), false);

        var notice = notices.only();
        assertEquals(NotificationKind.HOSTNAME_PUBLISHED, notice.kind());
        assertEquals("WEB-0042", notice.details().get("hostname"));
        assertEquals("i-0f3a9c1e7b2d45a68", notice.details().get("instanceId"));
        assertEquals("msg-1", notice.details().get("messageId"));
        assertEquals("444455556666", notice.accountId());
        assertEquals("eu-west-1", notice.region());
    }

    @Test
    void everyActionCalledIsListedInIamActions() {
        service(config()).handle(event("ec2-instance-terminated.json"), false);

        verify(ec2).describeInstances(any(DescribeInstancesRequest.class));
        verify(sns).publish(any(PublishRequest.class));
        IamActions.assertListed("iam-actions.txt", Map.of("ec2", ec2, "sns", sns));
    }
}
