package io.amirollout.rollback;

import com.amazonaws.services.lambda.runtime.events.CloudWatchCompositeAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.CloudWatchMetricAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import io.amirollout.shared.testing.InMemoryStateTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesResponse;
import software.amazon.awssdk.services.autoscaling.model.RollbackInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.RollbackInstanceRefreshResponse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.amirollout.rollback.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Every sample in events/rollback-on-alarm/: the Lambda runtime's own types read it, and the handler acts on its bytes. */
class RollbackOnAlarmHandlerTest {

    private static final String EVENTS = "../../events/rollback-on-alarm/";

    /** What the handler answers for each sample, given a group guarded by every sample alarm with a refresh running. */
    private static final Map<String, String> EXPECTED = Map.of( // file -> outcome
            "eventbridge-alarm-state-change-alarm.json", "ACTED",
            "eventbridge-alarm-state-change-ok.json", "IGNORED",
            "eventbridge-unrelated-alarm.json", "IGNORED",
            "eventbridge-alarm-state-change-metric-math.json", "ACTED",
            "eventbridge-composite-alarm.json", "ACTED",
            "sns-alarm-notification.json", "ACTED",
            "alarm-action-metric-alarm.json", "ACTED",
            "alarm-action-composite-alarm.json", "ACTED");

    private AutoScalingClient autoScaling;
    private RecordingPublisher notices;
    private RollbackOnAlarmHandler handler;

    @BeforeEach
    void setUp() {
        autoScaling = autoScalingMock();
        notices = new RecordingPublisher();
        when(autoScaling.describeAutoScalingGroups(any(DescribeAutoScalingGroupsRequest.class))).thenReturn(
                DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(group("web-asg", Map.of(RolloutTags.ALARMS,
                        "web-ecs-task-errors,web-5xx-rate,web-rollout-health"))).build());
        when(autoScaling.describeInstanceRefreshes(any(DescribeInstanceRefreshesRequest.class))).thenReturn(
                DescribeInstanceRefreshesResponse.builder().instanceRefreshes(
                        refresh("rf-1", "InProgress", "8", NOW.minus(Duration.ofMinutes(20)), null)).build());
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class)))
                .thenReturn(RollbackInstanceRefreshResponse.builder().instanceRefreshId("rf-1").build());
        handler = new RollbackOnAlarmHandler(new RollbackService(autoScaling, new InMemoryStateTable(), notices, config(), CLOCK));
    }

    private JsonNode invoke(InputStream input) {
        return StreamInvocation.invoke(handler, input, new FakeContext("rollback-on-alarm", 60_000));
    }

    private JsonNode invoke(String json) {
        return StreamInvocation.invoke(handler, json, new FakeContext("rollback-on-alarm", 60_000));
    }

    // --- the Lambda runtime's types read each sample -----------------------------------------------------

    @ParameterizedTest
    @Event(value = EVENTS + "eventbridge-alarm-state-change-alarm.json", type = ScheduledEvent.class)
    void eventBridgeAlarm(ScheduledEvent event) {
        assertEquals("CloudWatch Alarm State Change", event.getDetailType());
        assertEquals("aws.cloudwatch", event.getSource());
        assertEquals("web-ecs-task-errors", event.getDetail().get("alarmName"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "eventbridge-alarm-state-change-ok.json", type = ScheduledEvent.class)
    void eventBridgeOk(ScheduledEvent event) {
        assertEquals("OK", ((Map<?, ?>) event.getDetail().get("state")).get("value"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "eventbridge-alarm-state-change-metric-math.json", type = ScheduledEvent.class)
    void eventBridgeMetricMath(ScheduledEvent event) {
        assertEquals(3, ((List<?>) ((Map<?, ?>) event.getDetail().get("configuration")).get("metrics")).size());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "eventbridge-composite-alarm.json", type = ScheduledEvent.class)
    void eventBridgeComposite(ScheduledEvent event) {
        assertNotNull(((Map<?, ?>) event.getDetail().get("configuration")).get("alarmRule"));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "sns-alarm-notification.json", type = SNSEvent.class)
    void snsAlarm(SNSEvent event) {
        assertEquals(1, event.getRecords().size());
        assertTrue(event.getRecords().get(0).getSNS().getMessage().contains("\"NewStateValue\":\"ALARM\""));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "alarm-action-metric-alarm.json", type = CloudWatchMetricAlarmEvent.class)
    void alarmActionMetric(CloudWatchMetricAlarmEvent event) {
        assertEquals("web-ecs-task-errors", event.getAlarmData().getAlarmName());
        assertEquals("ALARM", event.getAlarmData().getState().getValue());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "alarm-action-composite-alarm.json", type = CloudWatchCompositeAlarmEvent.class)
    void alarmActionComposite(CloudWatchCompositeAlarmEvent event) {
        assertEquals("web-rollout-health", event.getAlarmData().getAlarmName());
        assertNotNull(event.getAlarmData().getConfiguration().getAlarmRule());
    }

    // --- the handler acts on each sample's raw bytes ------------------------------------------------------

    static Stream<Arguments> samples() {
        return EXPECTED.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void handlerAnswersEachSample(String file, String outcome) {
        JsonNode result = invoke(TestFiles.stream(EVENTS + file));

        assertEquals(outcome, result.get("outcome").asText(), result.toString());
        if ("ACTED".equals(outcome)) {
            assertEquals("ROLLBACK_STARTED", result.get("groups").get(0).get("outcome").asText());
            assertEquals("web-asg", result.get("groups").get(0).get("autoScalingGroup").asText());
            verify(autoScaling).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
            assertEquals(1, notices.all().size());
        } else {
            // Not into ALARM: no call at all. An alarm that guards no group: the groups are read, nothing changes.
            verify(autoScaling, never()).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
            verify(autoScaling, never()).startInstanceRefresh(any(software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest.class));
            verify(autoScaling, never()).cancelInstanceRefresh(any(software.amazon.awssdk.services.autoscaling.model.CancelInstanceRefreshRequest.class));
            assertTrue(notices.all().isEmpty(), "no notice, not even a WARNING");
            if (file.endsWith("-ok.json")) {
                verifyNoInteractions(autoScaling);
            }
        }
    }

    @Test
    void everySampleFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(EVENTS))) {
            assertEquals(new TreeSet<>(EXPECTED.keySet()),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    // --- result shape, dry run and bad input ---------------------------------------------------------------

    @Test
    void resultJsonHasOneEntryPerGroup() {
        JsonNode result = invoke(TestFiles.stream(EVENTS + "eventbridge-alarm-state-change-alarm.json"));
        assertEquals("web-ecs-task-errors", result.get("alarmName").asText());
        assertEquals("METRIC", result.get("alarmKind").asText());
        assertEquals("EVENTBRIDGE", result.get("via").asText());
        assertEquals("OK -> ALARM", result.get("transition").asText());
        assertFalse(result.get("dryRun").asBoolean());
        assertEquals(1, result.get("groups").size());
        JsonNode group = result.get("groups").get(0);
        assertEquals("rf-1", group.get("instanceRefreshId").asText());
        assertEquals("InProgress", group.get("refreshStatus").asText());
        assertEquals("8", group.get("fromVersion").asText());
        assertEquals(0, result.get("failed").size());
    }

    @Test
    void dryRunInTheEventChangesNothing() {
        String event = TestFiles.read(EVENTS + "alarm-action-metric-alarm.json").replaceFirst("\\{", "{\"dryRun\": true,");
        JsonNode result = invoke(event);
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("WOULD_ROLL_BACK", result.get("groups").get(0).get("outcome").asText());
        verify(autoScaling, never()).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
    }

    @Test
    void severalSnsRecordsAnswerEachOne() {
        JsonNode sns = Json.readTree(TestFiles.read(EVENTS + "sns-alarm-notification.json"));
        JsonNode record = sns.get("Records").get(0);
        ((com.fasterxml.jackson.databind.node.ArrayNode) sns.get("Records")).add(record.deepCopy());
        JsonNode result = invoke(sns.toString());
        assertEquals(2, result.get("results").size());
    }

    @Test
    void badInputIsOneClearLogLineAndNoAwsCall() {
        try (CapturedOutput out = CapturedOutput.start()) {
            JsonNode malformed = invoke("{\"detail-type\": ");
            JsonNode wrong = invoke("{\"version\":\"0\",\"detail-type\":\"EC2 Instance State-change Notification\","
                    + "\"source\":\"aws.ec2\",\"detail\":{\"instance-id\":\"i-1\",\"state\":\"terminated\"}}");
            assertEquals("INVALID_EVENT", malformed.get("outcome").asText());
            assertTrue(malformed.get("reason").asText().startsWith("the event is not valid JSON"));
            assertEquals("INVALID_EVENT", wrong.get("outcome").asText());
            assertTrue(wrong.get("reason").asText().contains("'EC2 Instance State-change Notification'"));
            List<String> errors = out.lines().stream().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
            assertEquals(2, errors.size(), out.text());
            assertTrue(errors.get(0).contains("rejected event"));
        }
        verifyNoInteractions(autoScaling);
        assertTrue(notices.all().isEmpty());
    }
}
