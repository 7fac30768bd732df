package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.ReleaseGroupStatus;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

/** The queue path: partial batch responses, duplicates, one message per rollout step, the status record. */
class QueueDeliveryTest {

    static final String SAMPLE = "../../events/slack-notifier/sqs-notice-and-refresh-started.json";
    static final String RELEASE = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1";

    private ScriptedTransport slack;
    private InMemoryStateTable table;
    private MutableClock clock;
    private FakeContext context;
    private ByteArrayOutputStream metricsOut;

    @BeforeEach
    void setUp() {
        slack = ScriptedTransport.ok();
        table = new InMemoryStateTable();
        clock = new MutableClock(Instant.parse("2026-11-21T10:20:00Z"));
        context = new FakeContext("slack-notifier", 60_000);
        metricsOut = new ByteArrayOutputStream();
    }

    private SlackNotifierHandler handler(boolean recordStatus) {
        WebhookSource source = new WebhookSource() {
            @Override
            public URI fetch() {
                return WEBHOOK_URI;
            }

            @Override
            public String describe() {
                return "test webhook";
            }
        };
        StatusRecorder recorder = recordStatus ? new StatusRecorder(table) : null;
        return new SlackNotifierHandler(new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(source, Duration.ofSeconds(300), clock),
                new SlackWebhookClient(slack, new RecordingSleeper(context), Duration.ofSeconds(5), () -> 0.5), false, clock,
                DeliveryLedger.table(new ProcessedEvents(table), clock), recorder,
                recordStatus ? new StatusMetrics(new PrintStream(metricsOut, true, StandardCharsets.UTF_8), clock) : null));
    }

    private JsonNode invoke(SlackNotifierHandler handler, JsonNode event) {
        return StreamInvocation.invoke(handler, new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), context);
    }

    private static List<String> failures(JsonNode result) {
        List<String> ids = new ArrayList<>();
        result.get("batchItemFailures").forEach(f -> ids.add(f.get("itemIdentifier").asText()));
        return ids;
    }

    @ParameterizedTest
    @Event(value = SAMPLE, type = SQSEvent.class)
    void theSampleDeserialisesWithTheRuntimeType(SQSEvent event) {
        assertEquals(2, event.getRecords().size());
        event.getRecords().forEach(r -> {
            assertEquals("aws:sqs", r.getEventSource());
            assertNotNull(r.getMessageId());
            assertTrue(r.getBody().startsWith("{"));
        });
    }

    @Test
    void ourNoticeAndAutoScalingsEventForTheSameStepBecomeOneMessage() {
        JsonNode result = invoke(handler(false), Json.readTree(TestFiles.read(SAMPLE)));
        assertEquals(List.of(), failures(result));
        assertEquals(1, slack.requests.size(), "one message for the refresh's start");
        assertTrue(Json.readTree(slack.requests.get(0).json()).get("text").asText().contains("Starting refresh of web-asg"));
        assertEquals("DELIVERED", result.get("messages").get(0).get("outcome").asText());
        assertEquals("SUPPRESSED", result.get("messages").get(1).get("outcome").asText());
    }

    @Test
    void theRuleHoldsInEitherOrderAndAcrossInvocations() {
        JsonNode sample = Json.readTree(TestFiles.read(SAMPLE));
        ObjectNode asgFirst = Json.MAPPER.createObjectNode();
        asgFirst.putArray("Records").add(sample.get("Records").get(1));
        ObjectNode noticeLater = Json.MAPPER.createObjectNode();
        noticeLater.putArray("Records").add(sample.get("Records").get(0));
        SlackNotifierHandler handler = handler(false);
        invoke(handler, asgFirst);
        JsonNode second = invoke(handler, noticeLater);
        assertEquals(1, slack.requests.size());
        assertEquals("SUPPRESSED", second.get("messages").get(0).get("outcome").asText());
    }

    @Test
    void aDryRunNoticeNeverSilencesTheRealEvent() {
        JsonNode sample = Json.readTree(TestFiles.read(SAMPLE));
        ObjectNode notice = (ObjectNode) Json.readTree(Json.readTree(sample.get("Records").get(0).get("body").asText()).get("Message").asText());
        ((ObjectNode) notice.get("details")).put("dryRun", true);
        ObjectNode envelope = (ObjectNode) Json.readTree(sample.get("Records").get(0).get("body").asText());
        envelope.put("Message", Json.write(notice));
        ((ObjectNode) sample.get("Records").get(0)).put("body", Json.write(envelope));
        invoke(handler(false), sample);
        assertEquals(2, slack.requests.size());
        assertTrue(Json.readTree(slack.requests.get(0).json()).get("text").asText().startsWith("DRY RUN"));
    }

    @Test
    void aRedeliveredMessageIsNotPostedAgainEvenByAnotherContainer() {
        JsonNode sample = Json.readTree(TestFiles.read(SAMPLE));
        invoke(handler(false), sample);
        JsonNode again = invoke(handler(false), sample);
        assertEquals(1, slack.requests.size());
        assertEquals("DUPLICATE", again.get("messages").get(0).get("outcome").asText());
    }

    @Test
    void aFailureAfterADeliveryHandsBackTheFailedMessageAndTheRest() {
        slack = new ScriptedTransport(status(200, "ok"), status(410, "channel_is_archived"));
        JsonNode batch = batchOf(3);
        JsonNode result = invoke(handler(false), batch);
        assertEquals(List.of("m-2", "m-3"), failures(result));
        assertEquals(2, slack.requests.size(), "the third was not tried");
        // The claim of the failed delivery was released: the retry posts it.
        slack = ScriptedTransport.ok();
        JsonNode retry = Json.MAPPER.createObjectNode().set("Records", Json.MAPPER.createArrayNode()
                .add(batch.get("Records").get(1)).add(batch.get("Records").get(2)));
        assertEquals(List.of(), failures(invoke(handler(false), retry)));
        assertEquals(2, slack.requests.size());
    }

    @Test
    void aFailureWithNothingDeliveredFailsTheInvocationWithTheCause() {
        slack = new ScriptedTransport(status(404, "channel_not_found"));
        SlackNotifierHandler handler = handler(false);
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class, () -> handler.handleRequest(
                new ByteArrayInputStream(Json.write(batchOf(2)).getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().contains("HTTP 404: channel_not_found"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
    }

    @Test
    void noticesBecomeTheOrganizationWideStatusAndANewerReportWins() {
        SlackNotifierHandler handler = handler(true);
        invoke(handler, Json.readTree(TestFiles.read(SAMPLE)));
        StateItem item = table.get(ReleaseGroupStatus.partition(RELEASE), "group#444455556666#eu-west-1#web-asg").orElseThrow();
        assertEquals("STARTED", item.getOrNull("state"));
        assertEquals(RELEASE, table.get(ReleaseGroupStatus.LATEST_PK, ReleaseGroupStatus.LATEST_SK).orElseThrow()
                .getOrNull(ReleaseGroupStatus.LATEST_ATTRIBUTE));
        // A later success, then a late duplicate of an older deferral (SQS does not keep order).
        invoke(handler, batchOfNotices(notice("REFRESH_SUCCEEDED", "2026-11-21T10:40:00Z", "s-1"),
                notice("REFRESH_DEFERRED", "2026-11-21T09:00:00Z", "s-2")));
        item = table.get(ReleaseGroupStatus.partition(RELEASE), "group#444455556666#eu-west-1#web-asg").orElseThrow();
        assertEquals("SUCCEEDED", item.getOrNull("state"));
        String metrics = metricsOut.toString(StandardCharsets.UTF_8);
        assertTrue(metrics.contains("\"State\":\"SUCCEEDED\",\"ReleaseGroups\":1"), metrics);
        assertTrue(metrics.contains("\"Namespace\":\"ami-rollout\""));
    }

    @Test
    void dryRunNoticesAreNotRecorded() {
        ObjectNode dry = (ObjectNode) Json.readTree(notice("REFRESH_STARTED", "2026-11-21T10:40:00Z", "d-1"));
        ((ObjectNode) dry.get("details")).put("dryRun", true);
        invoke(handler(true), batchOfNotices(Json.write(dry)));
        assertTrue(table.query(ReleaseGroupStatus.partition(RELEASE), "group#").isEmpty());
    }

    static String notice(String kind, String time, String id) {
        return Json.write(Json.readTree("""
                {"version":"1","kind":"%s","severity":"INFO","title":"%s web-asg","accountId":"444455556666",
                 "region":"eu-west-1","correlationId":"%s","time":"%s",
                 "details":{"autoScalingGroup":"web-asg","deferredUntil":"2026-11-25T15:00:00Z","note":"%s"}}"""
                .formatted(kind, kind, RELEASE, time, id)));
    }

    static JsonNode batchOfNotices(String... notices) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        int n = 0;
        for (String notice : notices) {
            n++;
            ObjectNode r = records.addObject();
            r.put("messageId", "m-" + n);
            r.put("body", SimulatedQueue.snsEnvelope("sns-" + Json.readTree(notice).get("details").get("note").asText(), notice));
            r.put("eventSource", "aws:sqs");
        }
        return event;
    }

    static JsonNode batchOf(int count) {
        String[] notices = new String[count];
        for (int i = 0; i < count; i++) {
            notices[i] = notice("REFRESH_DEFERRED", "2026-11-21T10:0" + i + ":00Z", "n-" + i);
        }
        return batchOfNotices(notices);
    }

    @Test
    void statusOfReadsTheDocumentedFields() {
        ReleaseGroupStatus status = StatusRecorder.statusOf(Json.readTree(TestFiles.read(
                "../../events/slack-notifier/sns-notice-refresh-started.json"))).orElseThrow();
        assertEquals(RELEASE, status.releaseArn());
        assertEquals("STARTED", status.state());
        assertEquals("0e5b2c4d-9a1f-4c3b-8e7d-6f5a4b3c2d1e", status.instanceRefreshId());
    }
}
