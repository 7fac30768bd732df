package io.amirollout.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.InstanceRefreshEmulator;
import io.amirollout.it.MotoScenario;
import io.amirollout.shared.testing.MutableClock;
import io.amirollout.it.TopicQueue;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's rollback-on-alarm sequences over simulated time (a {@link MutableClock}), against the real
 * SDK: groups, launch templates and the state table (DynamoDB, conditional writes) in moto, instance
 * refreshes in the front's emulator (moto has none). Each step asserts the AWS calls made and the state
 * recorded. The state of record is seeded the way instance-refresh writes it: the group head's
 * {@code latestImageId} and the release with {@code fromVersion -> toVersion} and the refresh id.
 */
class RollbackScenariosIT extends MotoScenario {

    static final String TABLE = "ami-rollout-state";
    static final String GUARD = "web-latency";
    static final String ECS_ALARM = "ami-rollout-ecs-errors";
    static final String AMI_V1 = "ami-0a11a11a11a11a001";
    static final String AMI_V2 = "ami-0a11a11a11a11a002";
    static final String AMI_V3 = "ami-0a11a11a11a11a003";

    MutableClock clock;
    AutoScalingClient autoScaling;
    GroupLedger ledger;
    TopicQueue notices;
    String templateId;
    String subnet;

    @BeforeEach
    void seed() {
        clock = new MutableClock(NOW);
        Ec2Client ec2 = front.client(Ec2Client.builder());
        autoScaling = front.client(AutoScalingClient.builder());
        ledger = createStateTable(front.client(DynamoDbClient.builder()));

        String vpc = ec2.createVpc(r -> r.cidrBlock("10.31.0.0/16")).vpc().vpcId();
        subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.31.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        templateId = ec2.createLaunchTemplate(r -> r.launchTemplateName("web").launchTemplateData(d -> d
                .imageId(AMI_V1).instanceType("t3.small"))).launchTemplate().launchTemplateId();
        for (String ami : List.of(AMI_V2, AMI_V3)) {
            ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(templateId).sourceVersion("1")
                    .launchTemplateData(d -> d.imageId(ami)).versionDescription("ami-rollout: new AMI"));
        }
        notices = TopicQueue.create("ami-rollout-notices");
    }

    // --- sequence 1 (rollback half) and duplicates ------------------------------------------------------

    @Test
    void seq1_alarmAfterOurSuccessfulRefreshRollsForwardRejectsTheAmiAndADuplicateChangesNothing() {
        group("web", "2", tags(GUARD, "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "Successful", Duration.ofMinutes(30));

        JsonNode first = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("ROLL_FORWARD_STARTED", group(first, "web").get("outcome").asText(), first.toString());
        List<InstanceRefreshEmulator.Refresh> refreshes = front.refreshes().refreshes("web");
        assertEquals(2, refreshes.size());
        assertEquals("1", refreshes.get(1).desiredVersion(), "back to the version recorded as fromVersion");
        RejectedAmi rejected = ledger.rejection("web", AMI_V2).orElseThrow(() -> new AssertionError("AMI not rejected: " + first));
        assertEquals("rollback-on-alarm", rejected.by());
        assertEquals(ours.id, rejected.refreshId());
        assertEquals(ReleaseState.ROLLED_FORWARD, ledger.release("web", AMI_V2).orElseThrow().state());
        assertEquals("1", tagsOf("web").get("ami-rollout:current-version"), "the tag mirror follows the roll-forward");
        assertFalse(tagsOf("web").containsKey("ami-rollout:previous-version"), "no roll-forward target left pointing at the bad version");
        assertEquals(1, notices.drainMessages().stream().filter(n -> "ROLLBACK_STARTED".equals(n.get("kind").asText())).count());
        long releaseRevision = ledger.release("web", AMI_V2).orElseThrow().revision();

        clock.advance(Duration.ofMinutes(2));
        JsonNode duplicate = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("ALREADY_UNDOING", group(duplicate, "web").get("outcome").asText(), duplicate.toString());
        assertEquals(2, front.refreshes().refreshes("web").size(), "no second roll-forward");
        assertEquals(releaseRevision, ledger.release("web", AMI_V2).orElseThrow().revision(), "the record is not written twice");
        assertEquals(List.of(), notices.drainMessages(), "a duplicate publishes nothing");
    }

    @Test
    void anAlarmDuringOurRefreshRollsItBackOnceAndRecordsTheAmiRejected() {
        group("web", "1", tags(GUARD, "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "InProgress", Duration.ofMinutes(10));

        JsonNode first = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("ROLLBACK_STARTED", group(first, "web").get("outcome").asText(), first.toString());
        assertEquals("RollbackInProgress", ours.status);
        assertEquals(ReleaseState.ROLLED_BACK, ledger.release("web", AMI_V2).orElseThrow().state());
        assertEquals("rollback-on-alarm", ledger.rejection("web", AMI_V2).orElseThrow().by());

        clock.advance(Duration.ofMinutes(1));
        invoke(handler(Map.of()), alarm(GUARD));
        assertEquals(1, front.queryCalls("RollbackInstanceRefresh").size(), "a duplicate alarm rolls back nothing more");
    }

    // --- sequence 4: the roll-forward target comes from the record, and only for our refresh -----------------

    @Test
    void seq4_aStalePreviousVersionTagIsNotUsed_theRecordedFromVersionIs() {
        // The tag write after the start failed: the tag still names the version before an older release.
        group("web", "2", tags(GUARD, "3"));
        ourRefresh("web", "Successful", Duration.ofMinutes(20));

        JsonNode result = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("ROLL_FORWARD_STARTED", group(result, "web").get("outcome").asText(), result.toString());
        assertEquals("1", front.refreshes().refreshes("web").get(1).desiredVersion(), "fromVersion of the recorded release, not the tag");
    }

    @Test
    void seq4_aPersonRefreshedSinceOurRefresh_noRollForwardAndAnErrorSayingWhatWasFound() {
        group("web", "3", tags(GUARD, "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "Successful", Duration.ofMinutes(50));
        InstanceRefreshEmulator.Refresh theirs = front.refreshes().seed("web", "Successful", templateId, "3", NOW.minus(Duration.ofMinutes(25)));

        JsonNode result = invoke(handler(Map.of()), alarm(GUARD));

        JsonNode web = group(result, "web");
        assertEquals("FAILED", web.get("outcome").asText(), result.toString());
        assertTrue(web.get("reason").asText().contains(theirs.id) && web.get("reason").asText().contains(ours.id),
                "says which refresh it found and which one the record holds: " + web);
        assertEquals(2, front.refreshes().refreshes("web").size(), "no refresh started");
        assertTrue(front.queryCalls("StartInstanceRefresh").isEmpty());
        assertTrue(ledger.rejection("web", AMI_V2).isEmpty(), "nothing undone, nothing rejected");
        JsonNode notice = notices.drainMessages().stream().filter(n -> "ROLLBACK_FAILED".equals(n.get("kind").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no ROLLBACK_FAILED notice"));
        assertEquals("ERROR", notice.get("severity").asText());
    }

    @Test
    void seq4_aSuccessfulRefreshThisProjectNeverRecordedIsNotRolledForward() {
        group("web", "2", tags(GUARD, "1"));
        front.refreshes().seed("web", "Successful", templateId, "2", NOW.minus(Duration.ofMinutes(20)));

        JsonNode result = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("FAILED", group(result, "web").get("outcome").asText(), result.toString());
        assertTrue(front.queryCalls("StartInstanceRefresh").isEmpty());
    }

    // --- sequence 6: only alarms that guard a group act ------------------------------------------------------

    @Test
    void seq6_anUnrelatedAlarmIsIgnoredQuietlyEvenWithTargetGroupsConfigured() {
        group("web", "1", tags(GUARD, "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "InProgress", Duration.ofMinutes(10));

        JsonNode result = invoke(handler(Map.of("TARGET_AUTO_SCALING_GROUPS", "web")), alarm("orders-table-read-throttles"));

        assertEquals("IGNORED", result.get("outcome").asText(), result.toString());
        assertEquals("InProgress", ours.status);
        assertTrue(front.queryCalls("RollbackInstanceRefresh").isEmpty());
        assertEquals(List.of(), notices.drainMessages(), "no WARNING (or any) notice for an alarm that guards nothing");
    }

    @Test
    void seq6_aGuardAlarmFromTheStackParameterGuardsTheTargetGroups() {
        group("web", "1", tags("other-alarm", "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "InProgress", Duration.ofMinutes(10));

        JsonNode result = invoke(handler(Map.of("TARGET_AUTO_SCALING_GROUPS", "web", "GUARD_ALARM_NAMES", ECS_ALARM)), alarm(ECS_ALARM));

        assertEquals("ROLLBACK_STARTED", group(result, "web").get("outcome").asText(), result.toString());
        assertEquals("RollbackInProgress", ours.status);
    }

    // --- sequence 7: the roll-forward uses the group's refresh preferences ----------------------------------

    @Test
    void seq7_theRollForwardUsesTheGroupsPreferencesWithoutAutoRollbackOrAlarms() {
        Map<String, String> tags = tags(GUARD, "1");
        tags.put("ami-rollout:instance-warmup", "5400");
        tags.put("ami-rollout:min-healthy-percentage", "75");
        group("web", "2", tags);
        ourRefresh("web", "Successful", Duration.ofMinutes(30));

        invoke(handler(Map.of("SCALE_IN_PROTECTED_INSTANCES", "Refresh", "STANDBY_INSTANCES", "Terminate")), alarm(GUARD));

        List<Map<String, String>> starts = front.queryCalls("StartInstanceRefresh");
        assertEquals(1, starts.size());
        Map<String, String> start = starts.get(0);
        assertEquals("Refresh", start.get("Preferences.ScaleInProtectedInstances"), start.toString());
        assertEquals("Terminate", start.get("Preferences.StandbyInstances"));
        assertEquals("5400", start.get("Preferences.InstanceWarmup"), "warmup above 3600 s is honoured");
        assertEquals("75", start.get("Preferences.MinHealthyPercentage"));
        assertEquals("true", start.get("Preferences.SkipMatching"));
        assertTrue(start.get("Preferences.AutoRollback") == null || "false".equals(start.get("Preferences.AutoRollback")));
        assertNull(start.get("Preferences.AlarmSpecification.Alarms.member.1"), "the firing alarm would undo the roll-forward at once");
    }

    // --- sequence 8: transient errors fail the invocation; the retry acts exactly once ----------------------

    @Test
    void seq8_throttlingOnTheRollForwardFailsTheInvocationAndTheRetryStartsExactlyOneRefresh() {
        group("web", "2", tags(GUARD, "1"));
        ourRefresh("web", "Successful", Duration.ofMinutes(30));
        // More than the SDK's standard retry strategy's three attempts.
        front.refreshes().failNext("StartInstanceRefresh", 3, 400, "Throttling", "Rate exceeded");
        RollbackOnAlarmHandler handler = handler(Map.of());

        assertThrows(RuntimeException.class, () -> invoke(handler, alarm(GUARD)), "Lambda must see a failed invocation and retry");
        assertEquals(1, front.refreshes().refreshes("web").size(), "nothing started");
        assertTrue(ledger.rejection("web", AMI_V2).isEmpty());

        clock.advance(Duration.ofMinutes(1)); // Lambda's async retry
        JsonNode retry = invoke(handler, alarm(GUARD));

        assertEquals("ROLL_FORWARD_STARTED", group(retry, "web").get("outcome").asText(), retry.toString());
        assertEquals(2, front.refreshes().refreshes("web").size());
        assertEquals(ReleaseState.ROLLED_FORWARD, ledger.release("web", AMI_V2).orElseThrow().state());

        clock.advance(Duration.ofMinutes(2)); // the second retry Lambda may still deliver
        invoke(handler, alarm(GUARD));
        assertEquals(2, front.refreshes().refreshes("web").size(), "exactly one roll-forward");
    }

    @Test
    void seq8_contentionOnTheRollbackFailsTheInvocationAndTheRetryRollsBackOnce() {
        group("web", "1", tags(GUARD, "1"));
        InstanceRefreshEmulator.Refresh ours = ourRefresh("web", "InProgress", Duration.ofMinutes(10));
        front.refreshes().failNext("RollbackInstanceRefresh", 3, 500, "ResourceContention",
                "You already have a pending update to an Auto Scaling resource (for example, a group, instance, or load balancer).");
        RollbackOnAlarmHandler handler = handler(Map.of());

        assertThrows(RuntimeException.class, () -> invoke(handler, alarm(GUARD)));
        assertEquals("InProgress", ours.status);

        JsonNode retry = invoke(handler, alarm(GUARD));

        assertEquals("ROLLBACK_STARTED", group(retry, "web").get("outcome").asText(), retry.toString());
        assertEquals("RollbackInProgress", ours.status);
        assertEquals(ReleaseState.ROLLED_BACK, ledger.release("web", AMI_V2).orElseThrow().state());
    }

    @Test
    void aPermanentErrorIsAFailedResultWithANoticeNotARetry() {
        group("web", "2", tags(GUARD, "1"));
        ourRefresh("web", "Successful", Duration.ofMinutes(30));
        front.refreshes().failNext("StartInstanceRefresh", 1, 403, "AccessDenied", "User is not authorized to perform: autoscaling:StartInstanceRefresh");

        JsonNode result = invoke(handler(Map.of()), alarm(GUARD));

        assertEquals("FAILED", group(result, "web").get("outcome").asText(), result.toString());
        assertEquals(1, front.queryCalls("StartInstanceRefresh").size(), "not retried");
        assertTrue(notices.drainMessages().stream().anyMatch(n -> "ROLLBACK_FAILED".equals(n.get("kind").asText())));
    }

    @Test
    void twoConcurrentDeliveriesOfTheSameAlarmStartOneRollForward() throws Exception {
        group("web", "2", tags(GUARD, "1"));
        ourRefresh("web", "Successful", Duration.ofMinutes(30));
        RollbackOnAlarmHandler a = handler(Map.of());
        RollbackOnAlarmHandler b = handler(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<JsonNode>> both = pool.invokeAll(List.<Callable<JsonNode>>of(() -> invoke(a, alarm(GUARD)), () -> invoke(b, alarm(GUARD))));
            List<String> outcomes = new ArrayList<>();
            for (Future<JsonNode> f : both) {
                outcomes.add(group(f.get(), "web").get("outcome").asText());
            }
            assertEquals(1, outcomes.stream().filter("ROLL_FORWARD_STARTED"::equals).count(), outcomes.toString());
            assertEquals(1, outcomes.stream().filter("ALREADY_UNDOING"::equals).count(), outcomes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, front.refreshes().refreshes("web").size(), "one roll-forward");
        assertEquals(ReleaseState.ROLLED_FORWARD, ledger.release("web", AMI_V2).orElseThrow().state());
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** The template's StateTable (pk/sk strings), in moto, and the ledger over it. */
    static GroupLedger createStateTable(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        return new GroupLedger(new DynamoStateTable(dynamo, TABLE));
    }

    /** Our refresh v1 -> v2 (AMI_V2), recorded in the ledger as instance-refresh records it. */
    private InstanceRefreshEmulator.Refresh ourRefresh(String group, String status, Duration ago) {
        Instant started = NOW.minus(ago);
        InstanceRefreshEmulator.Refresh refresh = front.refreshes().seed(group, status, templateId, "2", started);
        GroupHead head = ledger.head(group).desire(AMI_V2, ReleaseSource.RELEASE, started).started(AMI_V2, started);
        assertTrue(ledger.writeHead(head));
        GroupRelease release = GroupRelease.received(group, AMI_V2, "golden-al2023 2026-11-21T10-00-00Z",
                "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1", ReleaseSource.RELEASE, false, started)
                .started(templateId, "1", "2", refresh.id, started);
        assertTrue(ledger.writeRelease(release));
        if ("Successful".equals(status)) {
            GroupRelease stored = ledger.release(group, AMI_V2).orElseThrow();
            assertTrue(ledger.writeRelease(stored.ended(ReleaseState.SUCCEEDED, "refresh Successful", refresh.endTime)));
        }
        return refresh;
    }

    private static Map<String, String> tags(String alarms, String previousVersion) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ami-rollout:enabled", "true");
        tags.put("ami-rollout:alarms", alarms);
        tags.put("ami-rollout:previous-version", previousVersion);
        tags.put("ami-rollout:current-version", "2");
        return tags;
    }

    private void group(String name, String version, Map<String, String> tags) {
        Map<String, String> all = new HashMap<>(tags);
        all.put("ami-rollout:launch-template-id", templateId);
        autoScaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(2).desiredCapacity(0)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(templateId).version(version))
                .tags(all.entrySet().stream().map(e -> Tag.builder().resourceId(name).resourceType("auto-scaling-group")
                        .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build()).toList()));
    }

    private Map<String, String> tagsOf(String group) {
        Map<String, String> out = new HashMap<>();
        for (TagDescription t : autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0).tags()) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    /** The function as Lambda builds it, from its environment, with the scenario's clock. */
    private RollbackOnAlarmHandler handler(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("NOTIFICATION_TOPIC_ARN", notices.topicArn());
        all.put("STATE_TABLE_NAME", TABLE);
        return RollbackScenarioWiring.handler(all, clock);
    }

    private static JsonNode group(JsonNode result, String name) {
        for (JsonNode g : Optional.ofNullable(result.get("groups")).orElseThrow(() -> new AssertionError("no groups: " + result))) {
            if (name.equals(g.get("autoScalingGroup").asText())) {
                return g;
            }
        }
        throw new AssertionError("no result for " + name + ": " + result);
    }

    private static String alarm(String name) {
        return RollbackOnAlarmIT.alarm(name);
    }

    private static JsonNode invoke(RollbackOnAlarmHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext("rollback-on-alarm", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
