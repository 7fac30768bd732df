package io.amirollout.janitor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every file in events/ami-janitor/ through the handler: the Lambda runtime's own type and raw bytes. */
class AmiJanitorHandlerTest {

    static final String EVENTS = "../../events/ami-janitor/";

    private final JanitorFixture f = new JanitorFixture();

    private AmiJanitorHandler handler(Map<String, String> env) {
        return new AmiJanitorHandler(f.service(env), f.table);
    }

    private JsonNode run(AmiJanitorHandler handler, String file) {
        return StreamInvocation.invoke(handler, TestFiles.stream(EVENTS + file), new FakeContext("ami-janitor", 600_000));
    }

    /** An old unused AMI whose usage report is ready: a live run marks it. */
    private void oldUnusedAmi() {
        f.ami("ami-0000000000000new1", 3);
        f.ami("ami-0000000000000new2", 2);
        f.ami("ami-00000000000000old", 90);
        handler(Map.of("DRY_RUN", "true")).handleRequest(new java.io.ByteArrayInputStream("{}".getBytes()),
                new java.io.ByteArrayOutputStream(), new FakeContext("ami-janitor", 600_000));
        f.clock.advance(Duration.ofDays(1));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "scheduled-event.json", type = ScheduledEvent.class)
    void theScheduledEventIsWhatEventBridgeSends(ScheduledEvent event) {
        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("aws.events", event.getSource());
    }

    @Test
    void aScheduledEventRunsAPassAndItsDuplicateChangesNothing() {
        oldUnusedAmi();
        AmiJanitorHandler handler = handler(Map.of());
        JsonNode first = run(handler, "scheduled-event.json");
        assertEquals(1, first.get("marked").asInt(), first.toString());
        int calls = f.ec2.calls.size();
        int notices = f.notices.all().size();

        JsonNode duplicate = run(handler, "scheduled-event.json");
        assertTrue(duplicate.get("skipped").asText().startsWith("duplicate event 5f2c7a1e"), duplicate.toString());
        assertEquals(calls, f.ec2.calls.size(), "the duplicate makes no AWS call at all");
        assertEquals(notices, f.notices.all().size());
    }

    @Test
    void aManualRequestRunsLive() {
        oldUnusedAmi();
        JsonNode result = run(handler(Map.of()), "manual-request.json");
        assertFalse(result.get("dryRun").asBoolean());
        assertEquals(1, result.get("marked").asInt());
        assertEquals(AmiMark.State.MARKED, f.state("ami-00000000000000old"));
    }

    @Test
    void aDryRunRequestReturnsTheTableAndChangesNothing() {
        oldUnusedAmi();
        JsonNode result = run(handler(Map.of()), "manual-request-dry-run.json");
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals(1, result.get("marked").asInt());
        assertTrue(result.get("table").asText().contains("MARK       eu-west-1      ami-00000000000000old"), result.get("table").asText());
        assertTrue(f.ec2.mutations().isEmpty());
        assertEquals(null, f.state("ami-00000000000000old"));
    }

    @Test
    void anUnknownFieldIsRefusedWithNoAwsCall() {
        JsonNode result = run(handler(Map.of()), "manual-request-unknown-field.json");
        assertEquals("invalid input: unknown field 'dryrun' in the manual request (allowed: dryRun, reason)",
                result.get("skipped").asText());
        assertTrue(f.ec2.calls.isEmpty());
        assertEquals(0, f.table.writes());
    }

    @Test
    void otherBadInputIsRefused() {
        AmiJanitorHandler handler = handler(Map.of());
        for (String bad : new String[] {"[]", "{\"dryRun\": \"yes\"}", "not json",
                "{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"id\":\"1\",\"detail\":{}}"}) {
            JsonNode result = StreamInvocation.invoke(handler, bad, new FakeContext("ami-janitor", 600_000));
            assertTrue(result.get("skipped").asText().startsWith("invalid input: "), bad + " -> " + result);
        }
        assertTrue(f.ec2.calls.isEmpty());
    }

    @Test
    void withoutDryRunFalseTheJanitorOnlyReports() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("INFRA_ACCOUNT_ID", "111122223333");
        env.put("IMAGE_NAMES", "golden-al2023");
        env.put("REGIONS", "eu-west-1");
        env.put("WORKLOAD_ROLE_NAME", "r");
        env.put("STATE_TABLE_NAME", "t");
        assertTrue(JanitorConfig.from(io.amirollout.shared.Env.of(env)).dryRun(), "DRY_RUN unset: dry run");
    }

    @Test
    void aTransientErrorFailsTheInvocationAndTheRetryRunsAgain() {
        oldUnusedAmi();
        AmiJanitorHandler handler = handler(Map.of());
        f.ec2.throttleDescribeImages = 1; // the fake is called directly: no SDK retry in between
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> run(handler, "scheduled-event.json"));
        assertTrue(f.ec2.mutations().isEmpty());
        JsonNode retry = run(handler, "scheduled-event.json");
        assertEquals(null, retry.get("skipped"), "the claim was released: Lambda's retry of the same event runs");
        assertEquals(1, retry.get("marked").asInt());
    }

    @Test
    void resultIsJson() {
        oldUnusedAmi();
        JsonNode result = run(handler(Map.of()), "manual-request-dry-run.json");
        assertTrue(Json.write(result).contains("\"outcomes\""));
    }
}
