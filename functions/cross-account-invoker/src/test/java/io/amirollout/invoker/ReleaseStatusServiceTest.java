package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;
import io.amirollout.shared.state.ReleaseGroupStatus;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.StreamInvocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The status request against recorded groups and fan-out targets (in-memory table; moto: ReleaseStatusIT). */
class ReleaseStatusServiceTest {

    static final String RELEASE = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T09:00:00Z"), ZoneOffset.UTC);

    private InMemoryStateTable table;
    private RecordingPublisher notices;
    private ReleaseStatusService service;

    @BeforeEach
    void setUp() {
        table = new InMemoryStateTable();
        notices = new RecordingPublisher();
        service = new ReleaseStatusService(table, notices, CLOCK);
    }

    /** A release with groups in every state, two targets, and the latest pointer (what slack-notifier and the fan-out write). */
    static void seed(io.amirollout.shared.state.StateTable table) {
        String[][] groups = {
                {"444455556666", "eu-west-1", "web-asg", "SUCCEEDED", null},
                {"444455556666", "eu-west-1", "api-asg", "STARTED", null},
                {"444455556666", "eu-central-1", "web-asg", "DEFERRED", "2026-11-25T15:00:00Z"},
                {"555566667777", "eu-west-1", "batch-asg", "DEFERRED", "2026-11-23T19:00:00Z"},
                {"555566667777", "eu-west-1", "web-asg", "NOT_CONVERGED", null},
                {"555566667777", "eu-west-1", "api-asg", "ROLLING_BACK", null},
                {"666677778888", "eu-west-1", "web-asg", "ROLLED_BACK", null},
                {"666677778888", "eu-west-1", "api-asg", "FAILED", null},
                {"666677778888", "eu-west-1", "old-asg", "SKIPPED", null}};
        for (String[] g : groups) {
            table.put(new ReleaseGroupStatus(RELEASE, g[0], g[1], g[2], g[3], "REFRESH_" + g[3], Instant.parse("2026-11-21T10:00:00Z"),
                    g[4], "ami-0123456789abcdef0", null, null).toItem(0));
        }
        table.put(new StateItem(ReleaseGroupStatus.partition(RELEASE), "target#444455556666#eu-west-1",
                Map.of("state", "INVOKED", "attempts", "1"), 0, null));
        table.put(new StateItem(ReleaseGroupStatus.partition(RELEASE), "target#777788889999#eu-west-1",
                Map.of("state", "FAILED", "attempts", "3", "error", "AccessDenied: not authorized to perform sts:AssumeRole"), 0, null));
        table.put(new StateItem(ReleaseGroupStatus.LATEST_PK, ReleaseGroupStatus.LATEST_SK,
                Map.of(ReleaseGroupStatus.LATEST_ATTRIBUTE, RELEASE), 0, null));
    }

    @Test
    void everyStateIsCountedAndTheWaitingGroupsComeSoonestFirst() {
        seed(table);
        ReleaseStatusReport report = service.handle(new ReleaseStatusRequest(RELEASE, false));
        assertEquals("OK", report.status());
        assertEquals(Map.of("DEFERRED", 2, "STARTED", 1, "SUCCEEDED", 1, "NOT_CONVERGED", 1, "ROLLING_BACK", 1,
                "ROLLED_BACK", 1, "FAILED", 1, "SKIPPED", 1), report.counts());
        assertEquals(Map.of("INVOKED", 1, "FAILED", 1), report.targetCounts());
        assertEquals(List.of("batch-asg", "web-asg"), report.waiting().stream().map(w -> w.get("autoScalingGroup")).toList());
        assertEquals("2026-11-23T19:00:00Z", report.waiting().get(0).get("deferredUntil"));
        assertEquals(9, report.groups().size());
        assertTrue(report.targets().stream().anyMatch(t -> t.get("error") != null && t.get("error").startsWith("AccessDenied")));
        assertFalse(report.notified());
        assertTrue(notices.all().isEmpty(), "no Slack summary unless asked");
    }

    @Test
    void latestResolvesThePointerAndNotifySendsTheSummary() {
        seed(table);
        ReleaseStatusReport report = service.handle(new ReleaseStatusRequest("latest", true));
        assertEquals(RELEASE, report.releaseArn());
        assertTrue(report.notified());
        Notification notice = notices.ofKind(NotificationKind.RELEASE_STATUS).get(0);
        assertEquals("Release golden-al2023/1.0.3/1: 1 of 9 groups done", notice.title());
        assertEquals(Severity.WARNING, notice.severity(), "failed and rolled-back groups make it a warning");
        assertEquals(List.of("555566667777/eu-west-1/batch-asg at 2026-11-23T19:00:00Z",
                "444455556666/eu-central-1/web-asg at 2026-11-25T15:00:00Z"), notice.details().get("nextWindows"));
        assertTrue(String.valueOf(notice.details().get("groupsByState")).contains("DEFERRED 2"));
    }

    @Test
    void anUnknownReleaseOrNoTableSaysSo() {
        assertEquals("NOT_FOUND", service.handle(new ReleaseStatusRequest(RELEASE, true)).status());
        assertEquals("NOT_FOUND", service.handle(new ReleaseStatusRequest("latest", false)).status());
        assertTrue(notices.all().isEmpty());
        assertEquals("NOT_KEPT", new ReleaseStatusService(null, notices, CLOCK).handle(new ReleaseStatusRequest("latest", false)).status());
    }

    @Test
    void theRequestIsStrict() {
        assertEquals(new ReleaseStatusRequest("latest", false), ReleaseStatusRequest.from(Json.readTree("{\"status\":\"latest\"}")));
        assertThrows(InvalidEventException.class, () -> ReleaseStatusRequest.from(Json.readTree("{\"status\":\"latest\",\"dryrun\":true}")));
        assertThrows(InvalidEventException.class, () -> ReleaseStatusRequest.from(Json.readTree("{\"status\":\"golden-al2023\"}")));
        assertThrows(InvalidEventException.class, () -> ReleaseStatusRequest.from(Json.readTree("{\"status\":\"latest\",\"notify\":\"yes\"}")));
    }

    @Test
    void theHandlerDispatchesAStatusRequestAndAnswersABadOneWithoutReading() {
        seed(table);
        CrossAccountInvokerHandler handler = new CrossAccountInvokerHandler(null, service);
        JsonNode ok = StreamInvocation.invoke(handler, bytes("{\"status\":\"" + RELEASE + "\"}"), new FakeContext());
        assertEquals("OK", ok.get("status").asText());
        assertEquals(2, ok.get("counts").get("DEFERRED").asInt());
        JsonNode bad = StreamInvocation.invoke(handler, bytes("{\"status\":\"nope\"}"), new FakeContext());
        assertEquals("INVALID_REQUEST", bad.get("status").asText());
    }

    private static ByteArrayInputStream bytes(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
