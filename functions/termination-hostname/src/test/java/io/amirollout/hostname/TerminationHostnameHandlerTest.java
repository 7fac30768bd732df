package io.amirollout.hostname;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.amirollout.hostname.HostnameServiceTest.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Every sample in events/termination-hostname/: read by the Lambda runtime's ScheduledEvent, and fed as raw bytes to the handler. */
class TerminationHostnameHandlerTest {

    private static final Map<String, String> EXPECTED = Map.of(
            "ec2-instance-terminated.json", "PUBLISHED",
            "ec2-instance-terminated-spaces-uppercase.json", "PUBLISHED",
            "ec2-instance-running.json", "SKIPPED_STATE");

    private Ec2Client ec2;
    private SnsClient sns;
    private TerminationHostnameHandler handler;

    @BeforeEach
    void setUp() {
        ec2 = clientMock(Ec2Client.class);
        sns = clientMock(SnsClient.class);
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenAnswer(inv -> {
            DescribeInstancesRequest request = inv.getArgument(0);
            return instance(request.instanceIds().get(0), Map.of("hostname", "WEB-0042"));
        });
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("msg-1").build());
        handler = new TerminationHostnameHandler(new HostnameService(ec2, sns, new RecordingPublisher(), config(), CLOCK));
    }

    private JsonNode invoke(InputStream input) {
        return StreamInvocation.invoke(handler, input, new FakeContext("termination-hostname", 30_000));
    }

    private JsonNode invoke(String json) {
        return StreamInvocation.invoke(handler, json, new FakeContext("termination-hostname", 30_000));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "ec2-instance-terminated.json", type = ScheduledEvent.class)
    void terminated(ScheduledEvent event) {
        assertEquals("EC2 Instance State-change Notification", event.getDetailType());
        assertEquals("terminated", event.getDetail().get("state"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "ec2-instance-terminated-spaces-uppercase.json", type = ScheduledEvent.class)
    void terminatedWithQuirks(ScheduledEvent event) {
        assertEquals(" i-07b4e2c9d1a3f8e56", event.getDetail().get("instance-id"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "ec2-instance-running.json", type = ScheduledEvent.class)
    void running(ScheduledEvent event) {
        assertEquals("running", event.getDetail().get("state"));
        assertEquals("aws.ec2", event.getSource());
    }

    static Stream<Arguments> samples() {
        return EXPECTED.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void handlerAnswersEachSample(String file, String outcome) {
        JsonNode result = invoke(TestFiles.stream(EVENTS + file));

        assertEquals(outcome, result.get("outcome").asText(), result.toString());
        if ("PUBLISHED".equals(outcome)) {
            assertEquals("WEB-0042", result.get("hostname").asText());
            assertEquals("msg-1", result.get("messageId").asText());
            verify(sns).publish(any(PublishRequest.class));
        } else {
            verifyNoInteractions(ec2, sns);
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
        String event = TestFiles.read(EVENTS + "ec2-instance-terminated.json").replaceFirst("\\{", "{\"dryRun\": true,");
        JsonNode result = invoke(event);
        assertEquals("WOULD_PUBLISH", result.get("outcome").asText());
        assertTrue(result.get("dryRun").asBoolean());
        verifyNoInteractions(sns);
    }

    @Test
    void badInputIsOneLogLineAndNoAwsCall() {
        try (CapturedOutput out = CapturedOutput.start()) {
            JsonNode malformed = invoke("not json");
            JsonNode alarm = invoke("""
                    {"version":"0","id":"x","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                     "detail":{"alarmName":"a","state":{"value":"ALARM"}}}""");
            assertEquals("INVALID_EVENT", malformed.get("outcome").asText());
            assertEquals("INVALID_EVENT", alarm.get("outcome").asText());
            assertTrue(alarm.get("reason").asText().contains("'CloudWatch Alarm State Change'"));
            assertEquals(2, out.lines().stream().filter(l -> l.contains("\"level\":\"ERROR\"")).count(), out.text());
        }
        verifyNoInteractions(ec2, sns);
    }

    @Test
    void anAwsFailureEscapesSoLambdaRetries() {
        when(sns.publish(any(PublishRequest.class))).thenThrow(SnsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").errorMessage("boom").build()).build());
        assertThrows(HostnamePublishException.class, () -> invoke(TestFiles.stream(EVENTS + "ec2-instance-terminated.json")));
    }
}
