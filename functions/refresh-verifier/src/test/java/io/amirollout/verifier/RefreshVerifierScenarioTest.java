package io.amirollout.verifier;

import io.amirollout.shared.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios over simulated time against the real AWS SDK clients (WireMock speaking each service's wire format) and
 * the state of record in memory (DynamoDB's conditional-write semantics; moto runs the real table in
 * integration-tests): what the verifier calls, records and tells at every step.
 */
class RefreshVerifierScenarioTest {

    static final String GROUP = "web-asg";
    static final String REFRESH = "ab00cf8f-9126-4f3c-8010-dbb8cad6fb86";
    static final String NEW_AMI = "ami-0new0000000000001";
    static final String OLD_AMI = "ami-0old0000000000001";
    static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:444455556666:function:ami-rollout-refresh-verifier:live";

    private LocalAwsEndpoint endpoint;
    private FakeAws aws;
    private InMemoryStateTable table;
    private GroupLedger ledger;
    private RecordingPublisher notices;
    private final List<String> continued = new ArrayList<>();
    private MutableClock clock;
    /** Runs at every pause between rounds, after the clock moved: the world changes while the verifier waits. */
    private Consumer<Instant> onSleep = t -> { };
    private VerifierService service;

    @BeforeEach
    void setUp() {
        endpoint = LocalAwsEndpoint.start();
        aws = new FakeAws(endpoint.server());
        table = new InMemoryStateTable();
        ledger = new GroupLedger(table);
        notices = new RecordingPublisher();
        clock = new MutableClock(Instant.parse("2026-11-25T15:12:45Z"));
        RefreshVerifierConfig config = RefreshVerifierConfig.from(Env.of(Map.of("STATE_TABLE_NAME", "ami-rollout-state")));
        service = RefreshVerifierHandler.service(config, endpoint.client(AutoScalingClient.builder()),
                endpoint.client(ElasticLoadBalancingV2Client.builder()),
                endpoint.client(EcsClient.builder()), endpoint.client(SsmClient.builder()),
                (arn, id) -> continued.add(arn + " " + id), notices, table, clock, d -> {
                    clock.advance(d);
                    onSleep.accept(clock.instant());
                    aws.apply();
                });
        // The release instance-refresh recorded when it started the refresh: v7 -> v8 with the new AMI.
        GroupRelease received = GroupRelease.received(GROUP, NEW_AMI, "golden-al2023 2026-11-25", "corr-1", ReleaseSource.RELEASE,
                false, Instant.parse("2026-11-25T15:00:00Z"));
        assertTrue(ledger.writeRelease(received.started(FakeAws.LT, "7", "8", REFRESH, Instant.parse("2026-11-25T15:00:05Z"))));
        assertTrue(ledger.writeHead(GroupHead.empty(GROUP).desire(NEW_AMI, ReleaseSource.RELEASE, Instant.parse("2026-11-25T15:00:00Z"))
                .started(NEW_AMI, Instant.parse("2026-11-25T15:00:05Z"))));
        // At the 10% checkpoint: one new instance, two old ones; every test configured.
        aws.tags.putAll(Map.of("ami-rollout:enabled", "true", "ami-rollout:test-document", "web-health",
                "ami-rollout:test-ecs-cluster", "web"));
        aws.instances.add(new FakeAws.Member("i-0new00000000000001", "InService", "8", false));
        aws.instances.add(new FakeAws.Member("i-0old00000000000002", "InService", "7", false));
        aws.instances.add(new FakeAws.Member("i-0old00000000000003", "InService", "7", false));
        aws.targetGroups.add(FakeAws.TG);
        aws.targetHealth.put("i-0new00000000000001", "healthy");
        aws.refreshes.add(new FakeAws.Refresh(REFRESH, "InProgress", "8"));
        aws.containerInstances.put("i-0new00000000000001", "ACTIVE");
        aws.services.put("api", new int[] {2, 2});
        aws.invocations.put("i-0new00000000000001", "Success");
        aws.output = "HTTP/1.1 200 OK";
        aws.apply();
    }

    @AfterEach
    void everyCallIsListedInIamActions() {
        Set<String> listed = IamActions.listed("iam-actions.txt");
        TreeSet<String> missing = new TreeSet<>(aws.iamActions());
        missing.removeAll(listed);
        endpoint.stop();
        assertEquals(Set.of(), missing, "called but not in iam-actions.txt");
    }

    private VerifyResult checkpoint(boolean dryRun) {
        return service.handle(new VerifyRequest(Phase.CHECKPOINT, GROUP, REFRESH, 10, 900, null, dryRun), Duration.ofMinutes(5), FUNCTION_ARN, "req-1");
    }

    private VerifyResult succeeded() {
        return service.handle(new VerifyRequest(Phase.SUCCEEDED, GROUP, REFRESH, null, null, null, false), Duration.ofMinutes(5), FUNCTION_ARN, "req-1");
    }

    private GroupRelease release() {
        return ledger.release(GROUP, NEW_AMI).orElseThrow();
    }

    private static List<String> names(List<CheckResult> checks) {
        return checks.stream().map(CheckResult::name).toList();
    }

    @Test
    void passAtCheckpoint_everyCheckPassesAndTheRefreshGoesOn() {
        VerifyResult result = checkpoint(false);

        assertEquals("PASSED", result.outcome(), result.toString());
        assertEquals(List.of("convergence", "load-balancer", "ecs", "ssm-document"), names(result.checks()));
        assertTrue(result.checks().stream().allMatch(CheckResult::passed));
        assertEquals(1, aws.count("SendCommand"), "the document runs once");
        assertTrue(aws.bodies("SendCommand").get(0).contains("web-health") && aws.bodies("SendCommand").get(0).contains("i-0new00000000000001"));
        assertEquals(0, aws.count("RollbackInstanceRefresh") + aws.count("StartInstanceRefresh"));
        assertEquals(ReleaseState.STARTED, release().state());
        assertTrue(ledger.rejected(GROUP).isEmpty());
        Notification passed = notices.only();
        assertEquals(NotificationKind.TESTS_PASSED, passed.kind());
        assertEquals(GROUP, passed.details().get("autoScalingGroup"));
        assertEquals(10, passed.details().get("checkpointPercentage"));
        JsonNode checks = Json.MAPPER.valueToTree(passed.details().get("checks"));
        assertEquals(4, checks.size());
        assertEquals("ssm-document", checks.get(3).get("name").asText());
        assertTrue(checks.get(3).get("passed").asBoolean());
        assertTrue(checks.get(3).get("evidence").asText().contains("succeeded on 1 instance"));
    }

    @Test
    void failAtCheckpoint_rollsBackRejectsTheAmiAndTellsWhy() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.output = "curl: (7) Failed to connect to localhost port 80\ndb password=hunter2 token: abc123";
        aws.apply();

        VerifyResult result = checkpoint(false);

        assertEquals("FAILED", result.outcome(), result.toString());
        assertEquals("ROLLBACK", result.undo());
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
        assertTrue(aws.bodies("RollbackInstanceRefresh").get(0).contains("AutoScalingGroupName=" + GROUP));
        assertEquals(0, aws.count("StartInstanceRefresh"));
        assertEquals(ReleaseState.ROLLED_BACK, release().state());
        assertEquals("refresh-verifier", ledger.rejection(GROUP, NEW_AMI).orElseThrow().by());
        assertEquals(REFRESH, ledger.rejection(GROUP, NEW_AMI).orElseThrow().refreshId());
        assertEquals(List.of(NotificationKind.TESTS_FAILED, NotificationKind.ROLLBACK_STARTED),
                notices.all().stream().map(Notification::kind).toList());
        Notification failed = notices.ofKind(NotificationKind.TESTS_FAILED).get(0);
        assertEquals("ssm-document", failed.details().get("failedCheck"));
        String reason = String.valueOf(failed.details().get("reason"));
        assertTrue(reason.contains("Failed to connect"), reason);
        assertFalse(reason.contains("hunter2") || reason.contains("abc123"), "no secret in the notice: " + reason);
        assertEquals(NEW_AMI, notices.ofKind(NotificationKind.ROLLBACK_STARTED).get(0).details().get("rejectedImageId"));
    }

    @Test
    void failAfterSuccess_rollsForwardToTheVersionBeforeWithTheGroupsPreferencesAndNoAutoRollback() {
        aws.instances.clear();
        aws.instances.add(new FakeAws.Member("i-0new00000000000001", "InService", "8", false));
        aws.instances.add(new FakeAws.Member("i-0new00000000000002", "InService", "8", false));
        aws.targetHealth.put("i-0new00000000000002", "healthy");
        aws.containerInstances.put("i-0new00000000000002", "ACTIVE");
        aws.services.put("api", new int[] {1, 2});
        aws.tags.put("ami-rollout:test-ecs-timeout", "60");
        aws.tags.put("ami-rollout:min-healthy-percentage", "75");
        aws.tags.put("ami-rollout:checkpoints", "50");
        aws.refreshes.set(0, new FakeAws.Refresh(REFRESH, "Successful", "8"));
        aws.apply();

        VerifyResult result = succeeded();

        assertEquals("FAILED", result.outcome(), result.toString());
        assertEquals("ROLL_FORWARD", result.undo());
        assertTrue(result.checks().stream().anyMatch(c -> c.name().equals("ecs") && c.evidence().contains("running 1/2")), result.toString());
        assertEquals(0, aws.count("RollbackInstanceRefresh"));
        assertEquals(1, aws.count("StartInstanceRefresh"));
        String start = aws.bodies("StartInstanceRefresh").get(0);
        assertTrue(start.contains("DesiredConfiguration.LaunchTemplate.LaunchTemplateId=" + FakeAws.LT), start);
        assertTrue(start.contains("DesiredConfiguration.LaunchTemplate.Version=7"), start);
        assertTrue(start.contains("Preferences.AutoRollback=false"), start);
        assertTrue(start.contains("Preferences.MinHealthyPercentage=75"), start);
        assertTrue(start.contains("Preferences.ScaleInProtectedInstances=Ignore"), start);
        assertFalse(start.contains("CheckpointPercentages"), "no checkpoints on the way back: " + start);
        assertEquals(ReleaseState.ROLLED_FORWARD, release().state());
        assertEquals("refresh-verifier", ledger.rejection(GROUP, NEW_AMI).orElseThrow().by());
        assertEquals(List.of(NotificationKind.TESTS_FAILED, NotificationKind.ROLLBACK_STARTED),
                notices.all().stream().map(Notification::kind).toList());
        assertEquals("ROLL_FORWARD", notices.ofKind(NotificationKind.ROLLBACK_STARTED).get(0).details().get("action"));
    }

    @Test
    void ssmCommandTimeout_aCommandStillRunningAtTheDeadlineFails() {
        aws.tags.put("ami-rollout:test-document-timeout", "120");
        aws.invocations.remove("i-0new00000000000001"); // InvocationDoesNotExist right after SendCommand
        aws.apply();
        onSleep = t -> aws.invocations.put("i-0new00000000000001", "InProgress");

        VerifyResult result = checkpoint(false);

        assertEquals("FAILED", result.outcome(), result.toString());
        CheckResult ssm = result.checks().stream().filter(c -> c.name().equals("ssm-document")).findFirst().orElseThrow();
        assertTrue(ssm.evidence().startsWith("not within 120 s"), ssm.evidence());
        assertEquals(1, aws.count("SendCommand"), "polled, never re-sent");
        assertTrue(aws.count("GetCommandInvocation") >= 8, "polled every 15 s for 120 s");
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
        assertEquals(ReleaseState.ROLLED_BACK, release().state());
    }

    @Test
    void undeliverableCommandFailsAtOnceWithTheStatusDetails() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.invocationDetails = "Undeliverable";
        aws.output = "";
        aws.apply();

        VerifyResult result = checkpoint(false);

        CheckResult ssm = result.checks().stream().filter(c -> c.name().equals("ssm-document")).findFirst().orElseThrow();
        assertTrue(ssm.evidence().contains("Undeliverable"), ssm.evidence());
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
    }

    @Test
    void aDocumentSsmCannotDeliverFailsTheCheckWithSsmsAnswer() {
        aws.sendCommandError = "InvalidInstanceId";
        aws.apply();

        VerifyResult result = checkpoint(false);

        CheckResult ssm = result.checks().stream().filter(c -> c.name().equals("ssm-document")).findFirst().orElseThrow();
        assertEquals(CheckResult.Status.FAILED, ssm.status());
        assertTrue(ssm.evidence().startsWith("ssm:SendCommand web-health refused: InvalidInstanceId"), ssm.evidence());
        assertEquals(1, aws.count("SendCommand"), "a permanent refusal is not retried");
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
    }

    @Test
    void targetNeverHealthy_failsWhenTheGraceEndsWithTheStateAndReason() {
        aws.tags.put("ami-rollout:test-load-balancer-grace", "60");
        aws.targetHealth.put("i-0new00000000000001", "unhealthy");
        aws.apply();

        VerifyResult result = checkpoint(false);

        assertEquals("FAILED", result.outcome(), result.toString());
        CheckResult lb = result.checks().stream().filter(c -> c.name().equals("load-balancer")).findFirst().orElseThrow();
        assertEquals(CheckResult.Status.FAILED, lb.status());
        assertTrue(lb.evidence().contains("not within 60 s") && lb.evidence().contains("unhealthy (Target.ResponseCodeMismatch)"), lb.evidence());
        assertEquals(Instant.parse("2026-11-25T15:13:45Z"), clock.instant(), "decided at the end of the grace, not before");
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
    }

    @Test
    void targetInitialThenHealthyPassesWithinTheGrace() {
        aws.targetHealth.put("i-0new00000000000001", "initial");
        aws.apply();
        onSleep = t -> aws.targetHealth.put("i-0new00000000000001", "healthy");

        assertEquals("PASSED", checkpoint(false).outcome());
        assertEquals(0, aws.count("RollbackInstanceRefresh"));
    }

    @Test
    void duplicateEvents_testNothingTwiceAndUndoNothingTwice() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.apply();
        assertEquals("FAILED", checkpoint(false).outcome());
        int writes = table.writes();
        int sent = notices.all().size();

        VerifyResult again = checkpoint(false);

        assertEquals("DUPLICATE", again.outcome(), again.toString());
        assertEquals(1, aws.count("SendCommand"));
        assertEquals(1, aws.count("RollbackInstanceRefresh"));
        assertEquals(writes, table.writes(), "a duplicate writes nothing");
        assertEquals(sent, notices.all().size(), "and tells nothing");
    }

    @Test
    void aDuplicateWhileTheFirstStillHoldsTheLeaseChangesNothing() {
        aws.invocations.put("i-0new00000000000001", "InProgress");
        aws.apply();
        // The first delivery runs; while it waits, the same event arrives again.
        List<VerifyResult> nested = new ArrayList<>();
        onSleep = t -> {
            if (nested.isEmpty()) {
                nested.add(checkpoint(false));
                aws.invocations.put("i-0new00000000000001", "Success");
            }
        };
        assertEquals("PASSED", checkpoint(false).outcome());
        assertEquals("DUPLICATE", nested.get(0).outcome(), nested.toString());
        assertEquals(1, aws.count("SendCommand"));
        assertEquals(1, notices.all().size());
    }

    @Test
    void testsThatNeedMoreTimeContinueInANewInvocationAndFinishThere() {
        aws.invocations.put("i-0new00000000000001", "InProgress");
        aws.apply();

        VerifyResult first = service.handle(new VerifyRequest(Phase.CHECKPOINT, GROUP, REFRESH, 10, 900, null, false),
                Duration.ofSeconds(60), FUNCTION_ARN, "req-1");

        assertEquals("CONTINUED", first.outcome(), first.toString());
        assertEquals(List.of(FUNCTION_ARN + " " + REFRESH + "#checkpoint-10"), continued);
        assertTrue(notices.all().isEmpty());
        clock.advance(Duration.ofSeconds(5));
        aws.invocations.put("i-0new00000000000001", "Success");
        aws.apply();

        VerifyResult second = service.handle(new VerifyRequest(null, null, null, null, null, REFRESH + "#checkpoint-10", false),
                Duration.ofMinutes(5), FUNCTION_ARN, "req-1");

        assertEquals("PASSED", second.outcome(), second.toString());
        assertEquals(1, aws.count("SendCommand"), "the continuation polls the command the first invocation sent");
        assertEquals(NotificationKind.TESTS_PASSED, notices.only().kind());
        VerifyResult late = service.handle(new VerifyRequest(null, null, null, null, null, REFRESH + "#checkpoint-10", false),
                Duration.ofMinutes(5), FUNCTION_ARN, "req-1");
        assertEquals("DUPLICATE", late.outcome(), "a duplicated continuation changes nothing");
    }

    @Test
    void aTransientErrorDuringTheUndoIsThrownAndLambdasRetryFinishesIt() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.rollbackUnavailable = true;
        aws.apply();

        assertThrows(RuntimeException.class, () -> checkpoint(false));
        assertEquals(ReleaseState.STARTED, release().state(), "nothing recorded as undone");
        assertTrue(notices.all().isEmpty());
        assertTrue(aws.count("RollbackInstanceRefresh") >= 2, "the SDK retried the 503 before giving up");
        aws.rollbackUnavailable = false;
        aws.apply(); // Auto Scaling answers again

        VerifyResult retry = checkpoint(false);

        assertEquals("FAILED", retry.outcome(), retry.toString());
        assertEquals("ROLLBACK", retry.undo());
        assertEquals(1, aws.count("SendCommand"), "the retry resumes the undo; it does not test again");
        assertEquals(ReleaseState.ROLLED_BACK, release().state());
        assertEquals(2, notices.all().size());
    }

    @Test
    void aRollbackAlreadyRunningIsRecordedNotRepeated() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.apply();
        onSleep = t -> aws.refreshes.set(0, new FakeAws.Refresh(REFRESH, "RollbackInProgress", "8"));

        VerifyResult result = checkpoint(false);

        assertEquals("ALREADY_UNDONE", result.undo(), result.toString());
        assertEquals(0, aws.count("RollbackInstanceRefresh"));
        assertEquals(ReleaseState.ROLLED_BACK, release().state());
        assertTrue(ledger.rejection(GROUP, NEW_AMI).isPresent());
    }

    @Test
    void dryRunDecidesAndReportsButChangesNothing() {
        aws.invocations.put("i-0new00000000000001", "Failed");
        aws.targetHealth.put("i-0new00000000000001", "unhealthy");
        aws.tags.put("ami-rollout:test-load-balancer-grace", "0");
        aws.apply();
        int writes = table.writes();

        VerifyResult result = checkpoint(true);

        assertTrue(result.dryRun());
        assertEquals("FAILED", result.outcome(), result.toString());
        assertEquals("ROLLBACK", result.undo());
        assertTrue(result.plan().get(0).startsWith("roll the refresh back"), result.plan().toString());
        assertEquals(CheckResult.Status.SKIPPED, result.checks().get(3).status());
        assertEquals(0, aws.count("SendCommand") + aws.count("RollbackInstanceRefresh") + aws.count("StartInstanceRefresh"));
        assertEquals(writes, table.writes(), "no state written");
        assertEquals(ReleaseState.STARTED, release().state());
        Notification notice = notices.only();
        assertEquals(NotificationKind.TESTS_FAILED, notice.kind());
        assertEquals(true, notice.details().get("dryRun"));
        assertTrue(notice.title().startsWith("[dry run]"));
    }

    @Test
    void aRefreshAmiRolloutDidNotStartIsIgnored() {
        VerifyResult result = service.handle(new VerifyRequest(Phase.CHECKPOINT, GROUP, "someone-elses-refresh", 50, 300, null, false),
                Duration.ofMinutes(5), FUNCTION_ARN, "req-1");

        assertEquals("IGNORED", result.outcome());
        assertEquals(0, aws.requests().size(), "no AWS call at all");
        assertTrue(notices.all().isEmpty());
    }

    @Test
    void manualVerifyReportsAFailureAndUndoesNothing() {
        aws.targetHealth.put("i-0new00000000000001", "unhealthy");
        aws.tags.put("ami-rollout:test-load-balancer-grace", "0");
        aws.apply();

        VerifyResult result = service.handle(new VerifyRequest(Phase.MANUAL, GROUP, null, null, null, null, false),
                Duration.ofMinutes(5), FUNCTION_ARN, "req-1");

        assertEquals("FAILED", result.outcome(), result.toString());
        assertEquals("NONE", result.undo());
        assertEquals(0, aws.count("RollbackInstanceRefresh") + aws.count("StartInstanceRefresh"));
        assertTrue(ledger.rejected(GROUP).isEmpty());
        assertEquals(NotificationKind.TESTS_FAILED, notices.only().kind());
        VerifyResult retried = service.handle(new VerifyRequest(Phase.MANUAL, GROUP, null, null, null, null, false),
                Duration.ofMinutes(5), FUNCTION_ARN, "req-1");
        assertEquals("DUPLICATE", retried.outcome(), "Lambda's retry of the same request (same request id) tests nothing again");
        assertEquals(1, notices.all().size());
    }

    @Test
    void aMalformedTestTagTestsNothingUndoesNothingAndSaysWhich() {
        aws.tags.put("ami-rollout:test-sample", "lots");
        aws.apply();

        VerifyResult result = checkpoint(false);

        assertEquals("CONFIGURATION_ERROR", result.outcome());
        assertTrue(result.reason().contains("ami-rollout:test-sample"), result.reason());
        assertEquals(0, aws.count("SendCommand") + aws.count("RollbackInstanceRefresh"));
        assertEquals(NotificationKind.TESTS_FAILED, notices.only().kind());
    }

}
