package io.amirollout.refresh;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.amirollout.refresh.FakeAws.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every sample in events/instance-refresh/, through the stream handler, plus events it must refuse. */
class InstanceRefreshHandlerTest {

    static final String EVENTS = "../../events/instance-refresh/";
    static final String LT = "lt-0abc1234def567890";

    private final FakeAws aws = new FakeAws().standardImages().template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
    private final RecordingPublisher notices = new RecordingPublisher();
    private final io.amirollout.shared.state.GroupLedger ledger =
            new io.amirollout.shared.state.GroupLedger(new io.amirollout.shared.testing.InMemoryStateTable());
    private final InstanceRefreshHandler handler = new InstanceRefreshHandler(new InstanceRefreshService(
            InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state"))), REGION, aws.ec2, aws.autoScaling,
            notices, ledger, Clock.fixed(InstanceRefreshServiceTest.SUNDAY_0030, ZoneOffset.UTC)));

    private JsonNode run(InputStream input) {
        return StreamInvocation.invoke(handler, input, new FakeContext());
    }

    private JsonNode run(String json) {
        return StreamInvocation.invoke(handler, json, new FakeContext());
    }

    private static JsonNode group(JsonNode result) {
        assertEquals(1, result.get("groups").size(), result::toString);
        return result.get("groups").get(0);
    }

    @Test
    void imageReleased() {
        JsonNode result = run(TestFiles.stream(EVENTS + "image-released.json"));
        assertEquals("SUCCEEDED", result.get("outcome").asText());
        assertFalse(result.get("dryRun").asBoolean());
        JsonNode group = group(result);
        assertEquals("web-asg", group.get("autoScalingGroup").asText());
        assertEquals("STARTED", group.get("outcome").asText());
        assertEquals(NEW_AMI, group.get("imageId").asText());
        assertEquals(LT, group.get("launchTemplateId").asText());
        assertEquals("1", group.get("previousVersion").asText());
        assertEquals("2", group.get("newVersion").asText());
        assertEquals("ir-1", group.get("instanceRefreshId").asText());
        assertFalse(group.get("pinned").asBoolean());
        assertFalse(group.has("announce"), "internal flag stays out of the result");
        assertEquals(NotificationKind.REFRESH_STARTED, notices.only().kind());
        assertEquals("arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1", notices.only().correlationId());
    }

    @Test
    void imageReleasedTwiceIsOneRefresh() {
        run(TestFiles.stream(EVENTS + "image-released.json"));
        JsonNode second = run(TestFiles.stream(EVENTS + "image-released.json"));
        assertEquals("ALREADY_IN_PROGRESS", group(second).get("outcome").asText());
        assertEquals(List.of("createLaunchTemplateVersion", "startInstanceRefresh", "createOrUpdateTags"), aws.mutatingCalls());
    }

    @Test
    void imageReleasedDryRun() {
        JsonNode result = run(TestFiles.stream(EVENTS + "image-released-dry-run.json"));
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("STARTED", group(result).get("outcome").asText());
        assertTrue(group(result).get("reason").asText().startsWith("dry run:"));
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void imageReleasedForAnotherRegion() {
        JsonNode result = run(TestFiles.stream(EVENTS + "image-released-other-region.json"));
        assertEquals("SKIPPED", result.get("outcome").asText());
        assertTrue(result.get("reason").asText().contains("no AMI for this region (eu-west-1)"));
        assertEquals(List.of(), aws.calls());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "scheduled-tick.json", type = ScheduledEvent.class)
    void scheduledTick(ScheduledEvent event) {
        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("aws.events", event.getSource());
        JsonNode result = run(TestFiles.stream(EVENTS + "scheduled-tick.json"));
        // Nothing recorded for the group: the tick resumes recorded work only, it does not invent it.
        assertEquals("UP_TO_DATE", group(result).get("outcome").asText(), result::toString);
        assertTrue(aws.mutatingCalls().isEmpty(), aws.mutatingCalls()::toString);
    }

    @Test
    void manualRequest() {
        JsonNode result = run(TestFiles.stream(EVENTS + "manual-request.json"));
        assertEquals("STARTED", group(result).get("outcome").asText(), result::toString);
        assertEquals(NEW_AMI, group(result).get("imageId").asText());
    }

    @Test
    void manualRequestForTheNewestAmiIgnoringTheWindowAsADryRun() {
        JsonNode result = run(TestFiles.stream(EVENTS + "manual-request-newest-ami-ignore-window.json"));
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("STARTED", group(result).get("outcome").asText(), result::toString);
        assertEquals(NEW_AMI, group(result).get("imageId").asText());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "{}",
            "[]",
            "{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"detail\":{\"state\":\"terminated\"}}",
            "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}",
            "{\"autoScalingGroup\":\"\"}",
            "{\"autoScalingGroup\":\"web-asg\",\"imageId\":\"image-1\",\"dryRun\":\"yes\"}",
            "{\"image\":{\"name\":\"golden-al2023\"},\"amis\":[]}",
            "{\"version\":\"2\",\"image\":{},\"amis\":[{\"region\":\"eu-west-1\",\"imageId\":\"ami-x\"}]}"
    })
    void malformedOrIncompleteEventsFailClearlyWithoutTouchingAws(String event) {
        try (CapturedOutput out = CapturedOutput.start()) {
            JsonNode result = run(event);
            assertEquals("FAILED", result.get("outcome").asText());
            assertFalse(result.get("reason").asText().isBlank());
            assertEquals(0, result.get("groups").size());
            List<String> warnings = out.lines().stream().filter(l -> l.contains("\"level\":\"WARN\"")).toList();
            assertEquals(1, warnings.size(), out.text());
            assertTrue(warnings.get(0).contains("invalid event"), warnings.get(0));
        }
        assertEquals(List.of(), aws.calls(), "no AWS call at all for a bad event");
        assertEquals(List.of(), notices.all());
    }

    /** A refresh event for a refresh this function did not start (the sample's id): nothing recorded, nothing changed. */
    @ParameterizedTest
    @ValueSource(strings = {"refresh-succeeded.json", "refresh-failed.json", "refresh-cancelled.json",
            "refresh-rollback-succeeded.json", "refresh-rollback-failed.json"})
    void refreshEventsForAForeignRefreshChangeNothing(String file) {
        JsonNode result = run(TestFiles.stream(EVENTS + file));
        assertEquals("SKIPPED", group(result).get("outcome").asText(), result::toString);
        assertTrue(group(result).get("reason").asText().contains("was not started by instance-refresh"), result::toString);
        assertEquals(List.of(), aws.mutatingCalls());
        assertTrue(ledger.rejected("web-asg").isEmpty());
    }

    /** The same events for the refresh this function started: the outcome is recorded; an auto rollback rejects the AMI. */
    @ParameterizedTest
    @ValueSource(strings = {"refresh-succeeded.json:SUCCEEDED:SUCCEEDED", "refresh-failed.json:REFRESH_FAILED:FAILED",
            "refresh-cancelled.json:REFRESH_FAILED:FAILED", "refresh-rollback-succeeded.json:ROLLED_BACK:ROLLED_BACK",
            "refresh-rollback-failed.json:REFRESH_FAILED:FAILED"})
    void refreshEventsForOurRefreshAreRecorded(String spec) {
        String[] parts = spec.split(":");
        String refreshId = group(run(TestFiles.stream(EVENTS + "image-released.json"))).get("instanceRefreshId").asText();
        String event = TestFiles.read(EVENTS + parts[0]).replace("c613620e-07e2-4ed2-a9e2-ef8258911ade", refreshId);

        JsonNode result = run(event);

        assertEquals(parts[1], group(result).get("outcome").asText(), result::toString);
        assertEquals(parts[2], ledger.release("web-asg", NEW_AMI).orElseThrow().state().name());
        assertEquals(parts[0].contains("rollback"), ledger.rejection("web-asg", NEW_AMI).isPresent(), "rejected after an auto rollback");
        JsonNode again = run(event);
        assertTrue(group(again).get("reason").asText().contains("already recorded"), "a duplicate changes nothing: " + again);
    }

    @Test
    void manualRejectSample() {
        JsonNode result = run(TestFiles.stream(EVENTS + "manual-reject.json"));
        assertEquals("REJECTED", group(result).get("outcome").asText(), result::toString);
        assertEquals("manual", ledger.rejection("web-asg", NEW_AMI).orElseThrow().by());
        assertEquals("kernel panic on c6i instances seen in staging", ledger.rejection("web-asg", NEW_AMI).orElseThrow().reason());
        assertEquals("SKIPPED", group(run(TestFiles.stream(EVENTS + "image-released.json"))).get("outcome").asText());
        assertEquals(List.of(), aws.mutatingCalls(), "no AWS change for the rejection or for the release that followed");
    }

    @Test
    void manualForceSampleIsADryRunThatWouldStartTheRejectedAmi() {
        run(TestFiles.stream(EVENTS + "manual-reject.json"));
        JsonNode result = run(TestFiles.stream(EVENTS + "manual-force.json"));
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("STARTED", group(result).get("outcome").asText(), result::toString);
        assertTrue(group(result).get("plan").toString().contains("(forced)"), result::toString);
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"autoScalingGroup\":\"web-asg\",\"dryrun\":true}",
            "{\"autoScalingGroup\":\"web-asg\",\"imageID\":\"ami-0a1b2c3d4e5f60718\"}",
            "{\"autoScalingGroup\":123}",
            "{\"autoScalingGroup\":\"web-asg\",\"force\":true}",
            "{\"autoScalingGroup\":\"web-asg\",\"reject\":\"ami-XYZ\"}",
            "{\"autoScalingGroup\":\"web-asg\",\"reject\":\"ami-0a1b2c3d4e5f60718\",\"force\":true}",
            "{\"image\":{\"name\":\"golden-al2023\"},\"amis\":[{\"region\":\"eu-west-1\",\"imageId\":\"ami-0a1b2c3d4e5f60718\"}],\"dryrun\":true}",
            "{\"image\":{\"name\":\"golden-al2023\"},\"amis\":[{\"region\":\"eu-west-1\",\"imageID\":\"ami-0a1b2c3d4e5f60718\"}]}"
    })
    void strictInputRefusesUnknownFieldsAndWrongTypesBeforeAnyAwsCall(String event) {
        JsonNode result = run(event);
        assertEquals("FAILED", result.get("outcome").asText(), result::toString);
        assertEquals(0, result.get("groups").size());
        assertEquals(List.of(), aws.calls(), "no AWS call at all");
    }

    @Test
    void theReasonNamesWhatIsWrong() {
        JsonNode result = run("{\"autoScalingGroup\":\"web-asg\",\"imageId\":\"image-1\",\"ignoreWindow\":1}");
        assertTrue(result.get("reason").asText().contains("imageId 'image-1' is not an AMI id"), result.toString());
        assertTrue(result.get("reason").asText().contains("ignoreWindow must be true or false"), result.toString());
        assertTrue(run("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{}}").get("reason").asText()
                .contains("unsupported EventBridge event 'Object Created' from aws.s3"));
    }

    @Test
    void withoutTrustedOwnersTheHandlerDoesNotStart() {
        // The test JVM has AWS_REGION but no TRUSTED_IMAGE_OWNERS: the no-argument (Lambda) constructor must refuse.
        ConfigurationException e = assertThrows(ConfigurationException.class, InstanceRefreshHandler::new);
        assertTrue(e.getMessage().contains("TRUSTED_IMAGE_OWNERS is required"), e.getMessage());
    }
}
