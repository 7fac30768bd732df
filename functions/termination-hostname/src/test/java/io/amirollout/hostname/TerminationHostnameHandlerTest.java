package io.amirollout.hostname;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.amirollout.hostname.HostnameWorld.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Every sample in events/termination-hostname/: read by the Lambda runtime's ScheduledEvent, and fed as raw bytes to the handler. */
class TerminationHostnameHandlerTest {

    private static final Map<String, String> EXPECTED = Map.of(
            "asg-terminate-lifecycle-action.json", "PUBLISHED",
            "asg-terminate-lifecycle-action-warm-pool.json", "SKIPPED_WARM_POOL",
            "ec2-instance-shutting-down.json", "PUBLISHED",
            "ec2-instance-terminated.json", "PUBLISHED",
            "ec2-instance-terminated-spaces-uppercase.json", "PUBLISHED",
            "ec2-instance-terminated-uppercase-id.json", "INVALID_EVENT",
            "ec2-instance-running.json", "SKIPPED_STATE");

    private HostnameWorld world;
    private TerminationHostnameHandler handler;

    @BeforeEach
    void setUp() {
        world = new HostnameWorld().running(INSTANCE, Map.of("hostname", "WEB-0042"))
                .running("i-07b4e2c9d1a3f8e56", Map.of("hostname", "WEB-0043"));
        handler = new TerminationHostnameHandler(world.service(config()));
    }

    @AfterEach
    void everyPublishedMessageKeepsTheContract() {
        world.publishes().forEach(p -> MessageSchema.assertValid(p.message()));
    }

    private JsonNode invoke(InputStream input) {
        return StreamInvocation.invoke(handler, input, new FakeContext("termination-hostname", 30_000));
    }

    private JsonNode invoke(String json) {
        return StreamInvocation.invoke(handler, json, new FakeContext("termination-hostname", 30_000));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "ec2-instance-shutting-down.json", type = ScheduledEvent.class)
    void shuttingDown(ScheduledEvent event) {
        assertEquals("EC2 Instance State-change Notification", event.getDetailType());
        assertEquals("shutting-down", event.getDetail().get("state"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "asg-terminate-lifecycle-action.json", type = ScheduledEvent.class)
    void lifecycleAction(ScheduledEvent event) {
        assertEquals("EC2 Instance-terminate Lifecycle Action", event.getDetailType());
        assertEquals("aws.autoscaling", event.getSource());
        assertEquals("71e9c2a4-3b5d-4f80-9c1e-2d4f6a8b0c13", event.getDetail().get("LifecycleActionToken"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "ec2-instance-terminated-spaces-uppercase.json", type = ScheduledEvent.class)
    void terminatedWithQuirks(ScheduledEvent event) {
        assertEquals(" i-07b4e2c9d1a3f8e56", event.getDetail().get("instance-id"));
    }

    static Stream<Arguments> samples() {
        return EXPECTED.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void handlerAnswersEachSample(String file, String outcome) {
        JsonNode result = invoke(TestFiles.stream(EVENTS + file));

        assertEquals(outcome, result.get("outcome").asText(), result.toString());
        if (outcome.startsWith("PUBLISHED")) {
            assertTrue(result.get("hostname").asText().startsWith("WEB-004"), result.toString());
            assertEquals("msg-1", result.get("messageId").asText());
            verify(world.sns).publish(any(PublishRequest.class));
        } else {
            verify(world.sns, never()).publish(any(PublishRequest.class));
        }
        if (outcome.equals("INVALID_EVENT") || outcome.equals("SKIPPED_STATE")) {
            verifyNoInteractions(world.ec2, world.sns, world.autoScaling);
            assertEquals(0, world.table.writes());
        }
    }

    @Test
    void everySampleFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(EVENTS))) {
            assertEquals(new TreeSet<>(EXPECTED.keySet()),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void dryRunInTheEvent() {
        String event = TestFiles.read(EVENTS + "asg-terminate-lifecycle-action.json").replaceFirst("\\{", "{\"dryRun\": true,");
        JsonNode result = invoke(event);
        assertEquals("WOULD_PUBLISH", result.get("outcome").asText());
        assertEquals("WOULD_COMPLETE", result.get("lifecycleAction").asText());
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals(2, result.get("plan").size(), result.toString());
        verifyNoInteractions(world.sns, world.autoScaling);
    }

    @Test
    void badInputIsOneLogLineAndNoAwsCall() {
        try (CapturedOutput out = CapturedOutput.start()) {
            JsonNode malformed = invoke("not json");
            JsonNode alarm = invoke("""
                    {"version":"0","id":"x","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                     "detail":{"alarmName":"a","state":{"value":"ALARM"}}}""");
            JsonNode upper = invoke(TestFiles.stream(EVENTS + "ec2-instance-terminated-uppercase-id.json"));
            assertEquals("INVALID_EVENT", malformed.get("outcome").asText());
            assertEquals("INVALID_EVENT", alarm.get("outcome").asText());
            assertTrue(alarm.get("reason").asText().contains("'CloudWatch Alarm State Change'"));
            assertTrue(upper.get("reason").asText().contains("'i-0F3A9C1E7B2D45A68' is not an EC2 instance id"), upper.toString());
            assertEquals(3, out.lines().stream().filter(l -> l.contains("\"level\":\"ERROR\"")).count(), out.text());
        }
        verifyNoInteractions(world.ec2, world.sns, world.autoScaling);
    }

    @Test
    void anAwsFailureEscapesSoLambdaRetries() {
        when(world.sns.publish(any(PublishRequest.class))).thenThrow(SnsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").errorMessage("boom").build()).build());
        assertThrows(HostnamePublishException.class, () -> invoke(TestFiles.stream(EVENTS + "ec2-instance-terminated.json")));
    }
}
