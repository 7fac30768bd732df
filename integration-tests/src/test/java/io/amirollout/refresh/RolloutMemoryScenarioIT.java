package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.InstanceRefreshEmulator;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.shared.testing.MutableClock;
import io.amirollout.it.StateTableInMoto;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's sequences over simulated weeks, against the real SDK, moto (launch templates, groups,
 * images, the DynamoDB state table) and the front's instance-refresh emulation. The group is
 * {@code reports-window} (launch template {@code reports} version 1 with the old AMI; window Wednesday
 * 15:00 UTC for 120 minutes). What rollback-on-alarm records is simulated by writing it through
 * {@link GroupLedger}, as that function does.
 */
class RolloutMemoryScenarioIT extends MotoScenario {

    static final String GROUP = Workload.DEFERRED;
    static final Instant SATURDAY = Instant.parse("2026-11-21T10:30:00Z");
    static final Instant WEDNESDAY_IN_WINDOW = Instant.parse("2026-11-25T15:30:00Z");
    /** An older golden build than NEW_AMI (same image, two minutes earlier), trusted and x86_64. */
    static final String OLDER_AMI = Workload.NEW_AMI_EU_CENTRAL;

    Workload workload;
    MutableClock clock;
    GroupLedger ledger;
    String tableName;

    @BeforeEach
    void seed() {
        workload = Workload.seed(front);
        tableName = StateTableInMoto.create();
        clock = new MutableClock(SATURDAY);
        ledger = new GroupLedger(new DynamoStateTable(Moto.client(DynamoDbClient.builder()), tableName));
    }

    // ----- sequence 1: rolled forward after success; the tick, a duplicate and a retry must not restart it -----

    @Test
    void sequence1RolledForwardAmiIsNeverStartedAgainByTickReleaseOrDuplicate() {
        clock.set(WEDNESDAY_IN_WINDOW);
        JsonNode started = group(invoke(release(Workload.NEW_AMI)));
        assertEquals("STARTED", started.get("outcome").asText(), started.toString());
        String refreshId = started.get("instanceRefreshId").asText();
        String v2 = started.get("newVersion").asText();
        GroupRelease recorded = ledger.release(GROUP, Workload.NEW_AMI).orElseThrow();
        assertEquals(ReleaseState.STARTED, recorded.state());
        assertEquals("1", recorded.fromVersion());
        assertEquals(v2, recorded.toVersion());
        assertEquals(refreshId, recorded.refreshId());

        // The refresh succeeds (AWS says so by event), then the guard alarm fires and rollback-on-alarm rolls forward to v1.
        succeed(refreshId);
        assertEquals(ReleaseState.SUCCEEDED, ledger.release(GROUP, Workload.NEW_AMI).orElseThrow().state());
        rollForwardAsRollbackOnAlarmDoes(Workload.NEW_AMI, refreshId);
        int refreshes = refreshCount();

        clock.advance(Duration.ofMinutes(15));
        JsonNode tick = group(invoke(tick()));
        assertNotEquals("STARTED", tick.path("outcome").asText(), tick.toString());
        JsonNode duplicate = group(invoke(release(Workload.NEW_AMI)));
        assertEquals("SKIPPED", duplicate.get("outcome").asText(), duplicate.toString());
        assertTrue(duplicate.get("reason").asText().contains("rejected"), duplicate.toString());
        assertByNameSkips(Workload.NEW_AMI);
        assertEquals(refreshes, refreshCount(), "no refresh to the rejected AMI");

        // A later, different release does start; a person forcing the rejected AMI by name does too.
        clock.set(WEDNESDAY_IN_WINDOW.plus(Duration.ofDays(7)));
        String newer = registerNewerGoldenAmi();
        JsonNode next = group(invoke(release(newer)));
        assertEquals("STARTED", next.get("outcome").asText(), next.toString());
        assertEquals(refreshes + 1, refreshCount());
        succeed(next.get("instanceRefreshId").asText());

        JsonNode forced = only(invoke("{\"autoScalingGroup\":\"" + GROUP + "\",\"imageId\":\"" + Workload.NEW_AMI + "\",\"force\":true}"));
        assertEquals("STARTED", forced.get("outcome").asText(), forced.toString());
        assertEquals(refreshes + 2, refreshCount());
        GroupRelease forcedRecord = ledger.release(GROUP, Workload.NEW_AMI).orElseThrow();
        assertTrue(forcedRecord.forced(), forcedRecord.toString());
        assertEquals(ReleaseSource.MANUAL, forcedRecord.source());
        assertEquals(ReleaseState.STARTED, forcedRecord.state());
    }

    // ----- sequence 2: AWS auto rollback; the template's source changes; six weeks later --------------------

    @Test
    void sequence2AutoRolledBackAmiStaysRejectedAfterATemplateChangeAndSixWeeks() {
        clock.set(WEDNESDAY_IN_WINDOW);
        JsonNode started = group(invoke(release(Workload.NEW_AMI)));
        assertEquals("STARTED", started.get("outcome").asText(), started.toString());
        String refreshId = started.get("instanceRefreshId").asText();

        front.refreshes().setStatus(GROUP, "RollbackSuccessful");
        invoke(refreshEvent("Rollback Succeeded", refreshId));
        RejectedAmi rejected = ledger.rejection(GROUP, Workload.NEW_AMI).orElseThrow(() -> new AssertionError("not rejected"));
        assertEquals("aws-auto-rollback", rejected.by());
        assertEquals(ReleaseState.ROLLED_BACK, ledger.release(GROUP, Workload.NEW_AMI).orElseThrow().state());

        // An IaC apply makes version 3 (old AMI, new user data) and points the group at it.
        String template = workload.templates.get("reports");
        long v3 = workload.ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).versionDescription("iac apply")
                .launchTemplateData(workload.data("reports", "t3.micro", "echo reports v3").build())).launchTemplateVersion().versionNumber();
        workload.autoScaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(GROUP)
                .launchTemplate(t -> t.launchTemplateId(template).version(Long.toString(v3))));
        int refreshes = refreshCount();

        clock.advance(Duration.ofMinutes(15));
        assertNotEquals("STARTED", group(invoke(tick())).path("outcome").asText());
        assertEquals("SKIPPED", group(invoke(release(Workload.NEW_AMI))).get("outcome").asText());
        assertByNameSkips(Workload.NEW_AMI);
        assertEquals(refreshes, refreshCount());

        // Six weeks later Auto Scaling no longer lists the rolled-back refresh.
        front.refreshes().forgetHistory(GROUP);
        clock.set(WEDNESDAY_IN_WINDOW.plus(Duration.ofDays(42)));
        assertNotEquals("STARTED", group(invoke(tick())).path("outcome").asText());
        assertEquals("SKIPPED", group(invoke(release(Workload.NEW_AMI))).get("outcome").asText());
        assertByNameSkips(Workload.NEW_AMI);
        assertEquals(0, refreshCount(), "still no refresh to the rejected AMI");
    }

    // ----- sequence 3: a person asks for an older image; the tick honours it -----------------------------

    @Test
    void sequence3AManualOlderImageIsWhatTheTickStartsInTheWindow() {
        JsonNode deferred = group(invoke(release(Workload.NEW_AMI)));
        assertEquals("DEFERRED", deferred.get("outcome").asText(), deferred.toString());

        JsonNode manual = only(invoke("{\"autoScalingGroup\":\"" + GROUP + "\",\"imageId\":\"" + OLDER_AMI + "\"}"));
        assertEquals("DEFERRED", manual.get("outcome").asText(), manual.toString());
        assertEquals(OLDER_AMI, ledger.head(GROUP).desiredImageId());

        clock.set(WEDNESDAY_IN_WINDOW);
        JsonNode tick = group(invoke(tick()));
        assertEquals("STARTED", tick.get("outcome").asText(), tick.toString());
        assertEquals(OLDER_AMI, tick.get("imageId").asText(), "the image the person asked for, not the newest by name");
        String version = front.refreshes().refreshes(GROUP).get(0).desiredVersion();
        assertEquals(OLDER_AMI, workload.version("reports", Long.parseLong(version)).launchTemplateData().imageId());

        // The newest-by-name mode honours it too (it is what runs now; nothing newer has been released since).
        succeed(tick.get("instanceRefreshId").asText());
        clock.advance(Duration.ofMinutes(15));
        JsonNode byName = group(invoke(newestByNameService(), tick()));
        assertNotEquals("STARTED", byName.path("outcome").asText(), byName.toString());
        assertEquals(1, refreshCount());
    }

    // ----- sequence 5: InstanceRefreshInProgress from our own start ---------------------------------------

    @Test
    void sequence5InProgressFromOurOwnStartIsRecordedAsStarted() {
        clock.set(WEDNESDAY_IN_WINDOW);
        front.refreshes().loseNextStartResponse();

        JsonNode result = group(invoke(release(Workload.NEW_AMI)));

        assertEquals(1, refreshCount(), "one refresh, started by the first attempt");
        InstanceRefreshEmulator.Refresh running = front.refreshes().refreshes(GROUP).get(0);
        assertTrue(List.of("STARTED", "ALREADY_IN_PROGRESS").contains(result.get("outcome").asText()), result.toString());
        GroupRelease recorded = ledger.release(GROUP, Workload.NEW_AMI).orElseThrow();
        assertEquals(ReleaseState.STARTED, recorded.state());
        assertEquals(running.id, recorded.refreshId(), "the state of record names the refresh that runs");
        assertEquals(running.desiredVersion(), workload.tags(GROUP).get("ami-rollout:current-version"), "mirror tags written");
    }

    @Test
    void aForeignRefreshInProgressStillDefers() {
        clock.set(WEDNESDAY_IN_WINDOW);
        front.refreshes().seed(GROUP, "InProgress", workload.templates.get("reports"), "1", clock.instant());

        JsonNode result = group(invoke(release(Workload.NEW_AMI)));

        assertEquals("DEFERRED", result.get("outcome").asText(), result.toString());
        assertEquals(ReleaseState.PENDING, ledger.release(GROUP, Workload.NEW_AMI).orElseThrow().state());
    }

    // ----- concurrency: a release and a tick decide for the same group at once ---------------------------

    @Test
    void aReleaseAndATickAtOnceExactlyOneActs() throws Exception {
        JsonNode deferred = group(invoke(release(Workload.NEW_AMI)));
        assertEquals("DEFERRED", deferred.get("outcome").asText(), deferred.toString());
        clock.set(WEDNESDAY_IN_WINDOW);

        // Both invocations read the group's head, then meet before either writes it.
        CyclicBarrier bothDecided = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<JsonNode> release = pool.submit(() -> group(invoke(service(barrierTable(bothDecided), Map.of()), release(Workload.NEW_AMI))));
            Future<JsonNode> tick = pool.submit(() -> group(invoke(service(barrierTable(bothDecided), Map.of()), tick())));
            JsonNode a = release.get(120, TimeUnit.SECONDS);
            JsonNode b = tick.get(120, TimeUnit.SECONDS);

            assertEquals(1, refreshCount(), "one refresh: " + a + " / " + b);
            List<String> outcomes = List.of(a.get("outcome").asText(), b.get("outcome").asText());
            assertEquals(1, outcomes.stream().filter("STARTED"::equals).count(), outcomes.toString());
            assertTrue(outcomes.contains("ALREADY_IN_PROGRESS"), "the other reports the refresh the first started: " + a + " / " + b);
            assertEquals(1, front.queryCalls("StartInstanceRefresh").size(), "only one invocation asked AWS");
            assertEquals(ReleaseState.STARTED, ledger.release(GROUP, Workload.NEW_AMI).orElseThrow().state());
        } finally {
            pool.shutdownNow();
        }
    }

    // ----- manual reject / force: bad input changes nothing -----------------------------------------------

    @Test
    void aPersonRejectsAnAmiAndNoAutomaticPathStartsIt() {
        JsonNode rejected = only(invoke("{\"autoScalingGroup\":\"" + GROUP + "\",\"reject\":\"" + Workload.NEW_AMI + "\"}"));
        assertEquals("REJECTED", rejected.get("outcome").asText(), rejected.toString());
        assertEquals("manual", ledger.rejection(GROUP, Workload.NEW_AMI).orElseThrow().by());

        clock.set(WEDNESDAY_IN_WINDOW);
        assertEquals("SKIPPED", group(invoke(release(Workload.NEW_AMI))).get("outcome").asText());
        assertByNameSkips(Workload.NEW_AMI);
        assertEquals(0, refreshCount());
    }

    @Test
    void malformedOrUnknownRejectAndForceRequestsChangeNothing() {
        int mutations = mutations();
        for (String bad : List.of(
                "{\"autoScalingGroup\":\"" + GROUP + "\",\"reject\":\"ami-XYZ\"}",
                "{\"autoScalingGroup\":\"" + GROUP + "\",\"force\":true}",
                "{\"autoScalingGroup\":\"" + GROUP + "\",\"imageId\":\"ami-12\",\"force\":true}",
                "{\"autoScalingGroup\":\"" + GROUP + "\",\"imageId\":\"" + Workload.NEW_AMI + "\",\"force\":\"yes\"}",
                "{\"autoScalingGroup\":\"no-such-group\",\"reject\":\"" + Workload.NEW_AMI + "\"}",
                "{\"autoScalingGroup\":\"no-such-group\",\"imageId\":\"" + Workload.NEW_AMI + "\",\"force\":true}")) {
            JsonNode result = invoke(bad);
            assertNotEquals("SUCCEEDED", result.get("outcome").asText(), bad + " → " + result);
            assertTrue(result.toString().length() > 0);
        }
        assertEquals(mutations, mutations(), "no mutating AWS call");
        assertTrue(ledger.rejected(GROUP).isEmpty());
        assertTrue(ledger.rejected("no-such-group").isEmpty());
    }

    // ----- helpers -------------------------------------------------------------------------------------------

    /**
     * The single-account newest-by-name mode (asked as a dry run, so the scenario's AWS state stays as it is) never
     * chooses the rejected AMI; it may choose an older build of the image that is not rejected.
     */
    private void assertByNameSkips(String rejected) {
        JsonNode plan = group(invoke(service(new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()), tableName),
                Map.of("NEWEST_AMI_BY_NAME_ON_TICK", "true", "DRY_RUN", "true")), tick()));
        assertNotEquals(rejected, plan.path("imageId").asText(), "newest-by-name mode skips rejected AMIs: " + plan);
    }

    /** A refresh succeeds as AWS does it: the group now names the desired version, and the Succeeded event is sent. */
    private void succeed(String refreshId) {
        InstanceRefreshEmulator.Refresh refresh = front.refreshes().refreshes(GROUP).stream().filter(r -> r.id.equals(refreshId))
                .findFirst().orElseThrow();
        front.refreshes().setStatus(GROUP, "Successful");
        workload.autoScaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(GROUP)
                .launchTemplate(t -> t.launchTemplateId(workload.templates.get("reports")).version(refresh.desiredVersion())));
        JsonNode recorded = group(invoke(refreshEvent("Succeeded", refreshId)));
        assertEquals("SUCCEEDED", recorded.path("outcome").asText(), recorded.toString());
    }

    /** What rollback-on-alarm records and does when it rolls a group forward to the version it ran before. */
    private void rollForwardAsRollbackOnAlarmDoes(String imageId, String refreshId) {
        GroupRelease release = ledger.release(GROUP, imageId).orElseThrow();
        String template = workload.templates.get("reports");
        workload.autoScaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(GROUP)
                .launchTemplate(t -> t.launchTemplateId(template).version(release.fromVersion())));
        front.refreshes().seed(GROUP, "Successful", template, release.fromVersion(), clock.instant());
        ledger.reject(new RejectedAmi(GROUP, imageId, "rollback-on-alarm", "alarm reports-errors fired after the refresh",
                refreshId, clock.instant()));
        assertTrue(ledger.writeRelease(release.ended(ReleaseState.ROLLED_FORWARD, "rolled forward to version "
                + release.fromVersion(), clock.instant())));
    }

    /** A newer golden build, registered in the workload account (which the scenarios also trust). */
    private String registerNewerGoldenAmi() {
        return workload.ec2.copyImage(r -> r.sourceImageId(Workload.NEW_AMI).sourceRegion("eu-west-1")
                .name("golden-al2023 2026-12-02T10-00-00Z")).imageId();
    }

    private int refreshCount() {
        return front.refreshes().refreshes(GROUP).size();
    }

    private int mutations() {
        return (int) front.queryActions().stream().filter(a -> a.matches("Create.*|Update.*|Start.*|Delete.*")).count();
    }

    private StateTable barrierTable(CyclicBarrier barrier) {
        StateTable real = new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()), tableName);
        return new StateTable() {
            private boolean waited;

            @Override
            public Optional<StateItem> get(String pk, String sk) {
                return real.get(pk, sk);
            }

            @Override
            public List<StateItem> query(String pk, String skPrefix) {
                return real.query(pk, skPrefix);
            }

            @Override
            public boolean putIfAbsent(StateItem item) {
                return real.putIfAbsent(item);
            }

            @Override
            public boolean replace(StateItem item) {
                if (!waited && "head".equals(item.sk())) {
                    waited = true;
                    try {
                        barrier.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        // the other invocation never got here: carry on alone
                    }
                }
                return real.replace(item);
            }

            @Override
            public void put(StateItem item) {
                real.put(item);
            }

            @Override
            public void delete(String pk, String sk) {
                real.delete(pk, sk);
            }
        };
    }

    private InstanceRefreshService service(StateTable table, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of(
                "TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT + "," + Moto.ACCOUNT,
                "TARGET_AUTO_SCALING_GROUPS", GROUP,
                "STATE_TABLE_NAME", tableName));
        env.putAll(extraEnv);
        return new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(env)), "eu-west-1",
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                NotificationPublisher.logOnly(), new GroupLedger(table), clock);
    }

    private InstanceRefreshService defaultService() {
        return service(new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()), tableName), Map.of());
    }

    private InstanceRefreshService newestByNameService() {
        return service(new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()), tableName),
                Map.of("NEWEST_AMI_BY_NAME_ON_TICK", "true"));
    }

    private JsonNode invoke(String event) {
        return invoke(defaultService(), event);
    }

    private static JsonNode invoke(InstanceRefreshService service, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new InstanceRefreshHandler(service).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext("instance-refresh", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** The group's entry (the scenarios target one group); an empty object when the result has none. */
    private static JsonNode group(JsonNode result) {
        for (JsonNode g : result.path("groups")) {
            if (GROUP.equals(g.path("autoScalingGroup").asText())) {
                return g;
            }
        }
        return Json.readTree("{\"outcome\":\"NONE\",\"result\":" + result + "}");
    }

    private static JsonNode only(JsonNode result) {
        assertEquals(1, result.path("groups").size(), result.toString());
        return result.get("groups").get(0);
    }

    static String release(String ami) {
        return InstanceRefreshIT.release(ami);
    }

    String tick() {
        return """
                {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events",
                 "account":"123456789012","time":"%s","region":"eu-west-1",
                 "resources":["arn:aws:events:eu-west-1:123456789012:rule/ami-rollout-tick"],"detail":{}}
                """.formatted(java.util.UUID.randomUUID(), clock.instant());
    }

    String refreshEvent(String what, String refreshId) {
        return """
                {"version":"0","id":"%s","detail-type":"EC2 Auto Scaling Instance Refresh %s","source":"aws.autoscaling",
                 "account":"123456789012","time":"%s","region":"eu-west-1",
                 "resources":["arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0c7f6f2e-1111-2222-3333-444455556666:autoScalingGroupName/%s"],
                 "detail":{"InstanceRefreshId":"%s","AutoScalingGroupName":"%s"}}
                """.formatted(java.util.UUID.randomUUID(), what, clock.instant(), GROUP, refreshId, GROUP);
    }
}
