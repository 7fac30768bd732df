package io.amirollout.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.InstanceRefreshEmulator;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 5: an alarm named on a group (tag ami-rollout:alarms, in moto) goes into ALARM while
 * the group's instance refresh (emulated: moto has none) is active → RollbackInstanceRefresh once;
 * the same alarm again → nothing more. The state table is in moto (issue 11's sequences: RollbackScenariosIT).
 */
class RollbackOnAlarmIT extends MotoScenario {

    static final String ALARM = "web-ecs-task-errors";

    AutoScalingClient autoScaling;
    TopicQueue notices;
    RollbackOnAlarmHandler handler;
    GroupLedger ledger;
    String templateId;

    @BeforeEach
    void seed() {
        Ec2Client ec2 = front.client(Ec2Client.builder());
        autoScaling = front.client(AutoScalingClient.builder());
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        templateId = ec2.createLaunchTemplate(r -> r.launchTemplateName("web").launchTemplateData(d -> d
                .imageId("ami-0a11a11a11a11a001").instanceType("t3.small"))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(templateId).sourceVersion("1")
                .launchTemplateData(d -> d.imageId("ami-0a11a11a11a11a002")).versionDescription("ami-rollout: new AMI"));
        group("web", subnet, Map.of("ami-rollout:enabled", "true", "ami-rollout:alarms", ALARM + ",web-latency",
                "ami-rollout:previous-version", "1", "ami-rollout:current-version", "2", "ami-rollout:launch-template-id", templateId));
        group("api", subnet, Map.of("ami-rollout:enabled", "true", "ami-rollout:alarms", "api-errors"));

        notices = TopicQueue.create("ami-rollout-notices");
        ledger = RollbackScenariosIT.createStateTable(front.client(DynamoDbClient.builder()));
        handler = RollbackScenarioWiring.handler(Map.of("NOTIFICATION_TOPIC_ARN", notices.topicArn(),
                "STATE_TABLE_NAME", RollbackScenariosIT.TABLE), CLOCK);
    }

    private void group(String name, String subnet, Map<String, String> tags) {
        autoScaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(2).desiredCapacity(0)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(templateId).version("1"))
                .tags(tags.entrySet().stream().map(e -> Tag.builder().resourceId(name).resourceType("auto-scaling-group")
                        .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build()).toList()));
    }

    @Test
    void anAlarmDuringARefreshRollsItBackOnceAndADuplicateAlarmDoesNothingMore() {
        InstanceRefreshEmulator.Refresh active = front.refreshes().seed("web", "InProgress", templateId, "2", NOW.minusSeconds(600));
        InstanceRefreshEmulator.Refresh other = front.refreshes().seed("api", "InProgress", templateId, "2", NOW.minusSeconds(600));

        JsonNode first = invoke(alarm(ALARM));

        JsonNode web = group(first, "web");
        assertEquals("ROLLBACK_STARTED", web.get("outcome").asText(), first.toString());
        assertEquals(active.id, web.get("instanceRefreshId").asText());
        assertEquals("RollbackInProgress", active.status, "the refresh is rolling back");
        assertEquals("InProgress", other.status, "a group guarded by another alarm is left alone");
        List<Map<String, String>> rollbacks = front.queryCalls("RollbackInstanceRefresh");
        assertEquals(1, rollbacks.size());
        assertEquals("web", rollbacks.get(0).get("AutoScalingGroupName"));

        JsonNode second = invoke(alarm(ALARM));

        assertEquals("ALREADY_UNDOING", group(second, "web").get("outcome").asText(), second.toString());
        assertEquals(1, front.queryCalls("RollbackInstanceRefresh").size(), "no second rollback for a duplicate alarm");
        assertTrue(front.queryCalls("CancelInstanceRefresh").isEmpty());
        assertTrue(front.queryCalls("StartInstanceRefresh").isEmpty());

        List<String> kinds = notices.drainMessages().stream().map(n -> n.get("kind").asText()).toList();
        assertEquals(1, kinds.stream().filter("ROLLBACK_STARTED"::equals).count(), kinds.toString());
    }

    @Test
    void anIrreversibleRefreshIsCancelledInstead() {
        InstanceRefreshEmulator.Refresh active = front.refreshes().seed("web", "InProgress", templateId, "2", NOW.minusSeconds(600));
        active.irreversible = true;

        JsonNode result = invoke(alarm(ALARM));

        assertEquals("Cancelling", active.status, result.toString());
        assertEquals(1, front.queryCalls("RollbackInstanceRefresh").size());
        assertEquals(1, front.queryCalls("CancelInstanceRefresh").size());
    }

    @Test
    void aRecentlySuccessfulRefreshIsRolledForwardToThePreviousVersion() {
        InstanceRefreshEmulator.Refresh ours = front.refreshes().seed("web", "Successful", templateId, "2", NOW.minusSeconds(1800));
        // What instance-refresh recorded when it started that refresh: the version before it is 1.
        Instant started = NOW.minusSeconds(1800);
        assertTrue(ledger.writeHead(ledger.head("web").desire("ami-0a11a11a11a11a002", ReleaseSource.RELEASE, started)
                .started("ami-0a11a11a11a11a002", started)));
        assertTrue(ledger.writeRelease(GroupRelease.received("web", "ami-0a11a11a11a11a002", "golden", "c", ReleaseSource.RELEASE,
                false, started).started(templateId, "1", "2", ours.id, started)));
        // What AWS does when a refresh succeeds: the group now references the desired version.
        autoScaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web").launchTemplate(t -> t.launchTemplateId(templateId).version("2")));

        JsonNode result = invoke(alarm(ALARM));

        List<InstanceRefreshEmulator.Refresh> refreshes = front.refreshes().refreshes("web");
        assertEquals(2, refreshes.size(), result.toString());
        assertEquals("1", refreshes.get(1).desiredVersion(), "a new refresh back to the version recorded by instance-refresh");
        assertTrue(front.queryCalls("RollbackInstanceRefresh").isEmpty());

        invoke(alarm(ALARM));
        assertEquals(2, front.refreshes().refreshes("web").size(), "the duplicate alarm starts no third refresh");
    }

    @Test
    void anOkTransitionChangesNothing() {
        InstanceRefreshEmulator.Refresh active = front.refreshes().seed("web", "InProgress", templateId, "2", NOW.minusSeconds(600));

        invoke(alarm(ALARM).replace("\"value\":\"ALARM\"", "\"value\":\"OK\"").replace("\"value\":\"OKPREV\"", "\"value\":\"ALARM\""));

        assertEquals("InProgress", active.status);
        assertTrue(front.queryCalls("RollbackInstanceRefresh").isEmpty());
    }

    private static JsonNode group(JsonNode result, String name) {
        for (JsonNode g : result.get("groups")) {
            if (name.equals(g.get("autoScalingGroup").asText())) {
                return g;
            }
        }
        throw new AssertionError("no result for " + name + ": " + result);
    }

    static String alarm(String name) {
        return """
                {"version":"0","id":"3f1c9a52-7d0e-4b8a-9c61-2e5d8f4a1b07","detail-type":"CloudWatch Alarm State Change",
                 "source":"aws.cloudwatch","account":"123456789012","time":"2026-11-21T10:29:40Z","region":"eu-west-1",
                 "resources":["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:%s"],
                 "detail":{"alarmName":"%s",
                   "state":{"value":"ALARM","reason":"Threshold Crossed: 1 out of the last 1 datapoints [7.0] was greater than or equal to the threshold (1.0).","timestamp":"2026-11-21T10:29:40.224+0000"},
                   "previousState":{"value":"OKPREV","reason":"Threshold Crossed","timestamp":"2026-11-21T10:20:10.201+0000"},
                   "configuration":{"description":"ECS task error events for web","metrics":[{"id":"m1","metricStat":{"metric":
                     {"namespace":"AmiRollout/ECS","name":"TaskErrorEvents","dimensions":{"ClusterName":"web"}},"period":300,"stat":"Sum"},"returnData":true}]}}}
                """.formatted(name, name).replace("OKPREV", "OK");
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("rollback-on-alarm", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
