package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.InstanceRefreshEmulator;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 3: instance-refresh in a workload account seeded in moto ({@link Workload}): a VPC,
 * launch templates with several versions and user data, groups on $Latest, $Default, a number,
 * mixed instances, untagged and on a launch configuration; trusted golden AMIs and a newer public
 * look-alike from another owner (integration-tests/moto/amis.json).
 */
class InstanceRefreshIT extends MotoScenario {

    Workload workload;
    TopicQueue notices;
    InstanceRefreshHandler handler;

    String table;

    private io.amirollout.shared.state.GroupLedger ledger() {
        return new io.amirollout.shared.state.GroupLedger(io.amirollout.shared.state.StateTables.dynamo(table));
    }

    @BeforeEach
    void seed() {
        workload = Workload.seed(front);
        table = io.amirollout.it.StateTableInMoto.create();
        notices = TopicQueue.create("ami-rollout-notices");
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT, "STATE_TABLE_NAME", table,
                "NOTIFICATION_TOPIC_ARN", notices.topicArn())));
        handler = new InstanceRefreshHandler(new InstanceRefreshService(config, "eu-west-1",
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()), ledger(), CLOCK));
    }

    @Test
    void aReleaseRollsEveryTaggedGroupToTheTrustedAmiAndASecondDeliveryChangesNothing() {
        Map<String, LaunchTemplateVersion> sources = Map.of(
                "web-latest", workload.version("web", 3), "api-default", workload.version("api", 1),
                "worker-pinned", workload.version("worker", 2), "batch-mixed", workload.version("batch", 1));
        Map<String, AutoScalingGroup> untouchedBefore = Map.of(
                Workload.UNTAGGED, workload.group(Workload.UNTAGGED), Workload.LAUNCH_CONFIGURATION, workload.group(Workload.LAUNCH_CONFIGURATION));
        int legacyVersions = workload.versions("legacy").size();

        JsonNode first = invoke(release(Workload.NEW_AMI));

        Map<String, JsonNode> byGroup = byGroup(first);
        assertEquals(java.util.Set.of("web-latest", "api-default", "worker-pinned", "batch-mixed", Workload.DEFERRED,
                Workload.LAUNCH_CONFIGURATION), byGroup.keySet(), "the tagged groups, never the untagged one: " + first);
        for (String name : Workload.STARTING) {
            assertEquals("STARTED", byGroup.get(name).get("outcome").asText(), name + ": " + byGroup.get(name));
        }
        assertEquals("DEFERRED", byGroup.get(Workload.DEFERRED).get("outcome").asText());
        assertEquals("SKIPPED", byGroup.get(Workload.LAUNCH_CONFIGURATION).get("outcome").asText());

        // In moto: each started group has a new version made from its source, identical but for the AMI.
        for (String name : Workload.STARTING) {
            String template = name.substring(0, name.indexOf('-'));
            LaunchTemplateVersion source = sources.get(name);
            ResponseLaunchTemplateData seeded = source.launchTemplateData();
            assertAll(name + ": moto kept the seeded fields (so the comparison below means something)",
                    () -> assertNotNull(seeded.userData()), () -> assertNotNull(seeded.keyName()),
                    () -> assertFalse(seeded.securityGroupIds().isEmpty()), () -> assertFalse(seeded.blockDeviceMappings().isEmpty()),
                    () -> assertFalse(seeded.tagSpecifications().isEmpty()), () -> assertNotNull(seeded.metadataOptions()),
                    () -> assertNotNull(seeded.iamInstanceProfile()), () -> assertNotNull(seeded.instanceType()));
            long created = Long.parseLong(byGroup.get(name).get("newVersion").asText());
            LaunchTemplateVersion made = workload.version(template, created);
            assertEquals(Workload.NEW_AMI, made.launchTemplateData().imageId(), name);
            assertEquals(withoutImage(source.launchTemplateData()), withoutImage(made.launchTemplateData()),
                    name + ": every field but the AMI is the source version's");
            assertTrue(made.versionDescription().contains(Workload.NEW_AMI), made.versionDescription());
        }

        // $Latest / $Default groups now reference the number they ran (rollback needs one); numbered ones unchanged.
        assertEquals("3", launchTemplateVersion(workload.group("web-latest")));
        assertEquals("1", launchTemplateVersion(workload.group("api-default")));
        assertEquals("2", launchTemplateVersion(workload.group("worker-pinned")));
        AutoScalingGroup batch = workload.group("batch-mixed");
        assertEquals("1", batch.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().version());
        assertEquals(2, batch.mixedInstancesPolicy().launchTemplate().overrides().size(), "mixed policy kept");

        // The refresh requests (emulated: moto has no instance refreshes) carried the right configuration.
        for (String name : Workload.STARTING) {
            List<InstanceRefreshEmulator.Refresh> refreshes = front.refreshes().refreshes(name);
            assertEquals(1, refreshes.size(), name);
            InstanceRefreshEmulator.Refresh refresh = refreshes.get(0);
            assertEquals(byGroup.get(name).get("newVersion").asText(), refresh.desiredVersion(), name);
            assertEquals("true", refresh.preferences.get("AutoRollback"), name);
            assertEquals("true", refresh.preferences.get("SkipMatching"), name);
            assertNotNull(refresh.preferences.get("ScaleInProtectedInstances"), name + ": protected instances handled explicitly");
            assertNotNull(refresh.preferences.get("StandbyInstances"), name + ": standby instances handled explicitly");
        }
        InstanceRefreshEmulator.Refresh mixed = front.refreshes().refreshes("batch-mixed").get(0);
        assertEquals(workload.templates.get("batch"), mixed.desired.get("MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId"));
        assertEquals("t3.micro", mixed.desired.get("MixedInstancesPolicy.LaunchTemplate.Overrides.member.1.InstanceType"));
        assertEquals("t3a.micro", mixed.desired.get("MixedInstancesPolicy.LaunchTemplate.Overrides.member.2.InstanceType"));
        assertEquals("1", mixed.desired.get("MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity"));
        Map<String, String> worker = front.refreshes().refreshes("worker-pinned").get(0).preferences;
        assertAll("worker-pinned preferences from its tags",
                () -> assertEquals("75", worker.get("MinHealthyPercentage")),
                () -> assertEquals("120", worker.get("InstanceWarmup")),
                () -> assertEquals("20", worker.get("CheckpointPercentages.member.1")),
                () -> assertEquals("50", worker.get("CheckpointPercentages.member.2")),
                () -> assertEquals("100", worker.get("CheckpointPercentages.member.3")),
                () -> assertEquals("worker-errors", worker.get("AlarmSpecification.Alarms.member.1")),
                () -> assertEquals("worker-latency", worker.get("AlarmSpecification.Alarms.member.2")));
        assertEquals("90", front.refreshes().refreshes("web-latest").get(0).preferences.get("MinHealthyPercentage"));

        // State for rollback-on-alarm, in moto's group tags.
        Map<String, String> webTags = workload.tags("web-latest");
        assertEquals("3", webTags.get("ami-rollout:previous-version"));
        assertEquals(byGroup.get("web-latest").get("newVersion").asText(), webTags.get("ami-rollout:current-version"));
        assertEquals(workload.templates.get("web"), webTags.get("ami-rollout:launch-template-id"));

        // Outside its window: version made, recorded as pending, no refresh.
        Map<String, String> reportsTags = workload.tags(Workload.DEFERRED);
        assertEquals(Workload.NEW_AMI, reportsTags.get("ami-rollout:pending-image"));
        assertEquals(byGroup.get(Workload.DEFERRED).get("newVersion").asText(), reportsTags.get("ami-rollout:pending-version"));
        assertTrue(front.refreshes().refreshes(Workload.DEFERRED).isEmpty());

        // Untagged and launch-configuration groups untouched, in moto and in what was asked of AWS.
        assertEquals(untouchedBefore.get(Workload.UNTAGGED), workload.group(Workload.UNTAGGED));
        assertEquals(untouchedBefore.get(Workload.LAUNCH_CONFIGURATION), workload.group(Workload.LAUNCH_CONFIGURATION));
        assertEquals(legacyVersions, workload.versions("legacy").size());
        assertNoMutationNames(Workload.UNTAGGED, Workload.LAUNCH_CONFIGURATION, workload.templates.get("legacy"));

        // The look-alike AMI never appears in any launch template version.
        assertLookalikeNeverUsed();

        // Notices reached the topic (moto SNS → SQS).
        List<String> kinds = notices.drainMessages().stream().map(n -> n.get("kind").asText()).toList();
        assertEquals(4, kinds.stream().filter("REFRESH_STARTED"::equals).count(), kinds.toString());
        assertTrue(kinds.contains("REFRESH_DEFERRED"), kinds.toString());

        // --- the same event again: nothing changes -------------------------------------------------
        Map<String, List<LaunchTemplateVersion>> versionsBefore = allVersions();
        Map<String, AutoScalingGroup> groupsBefore = allGroups();
        int callsBefore = front.queryActions().size();

        JsonNode second = invoke(release(Workload.NEW_AMI));

        Map<String, JsonNode> again = byGroup(second);
        for (String name : Workload.STARTING) {
            assertEquals("ALREADY_IN_PROGRESS", again.get(name).get("outcome").asText(), name + ": " + again.get(name));
            assertEquals(1, front.refreshes().refreshes(name).size(), name + ": no second refresh");
        }
        assertEquals(versionsBefore, allVersions(), "no new launch-template version");
        assertEquals(groupsBefore, allGroups(), "no group changed (configuration or tags)");
        List<String> secondRun = front.queryActions().subList(callsBefore, front.queryActions().size());
        assertTrue(secondRun.stream().noneMatch(a -> a.matches("Create.*|Update.*|Start.*|Delete.*|Modify.*")),
                "the second delivery only read: " + secondRun.stream().distinct().collect(Collectors.joining(", ")));
    }

    @Test
    void aDryRunDecidesEverythingAndOnlyReads() {
        Map<String, List<LaunchTemplateVersion>> versionsBefore = allVersions();
        Map<String, AutoScalingGroup> groupsBefore = allGroups();
        int seeding = front.queryActions().size();

        JsonNode result = invoke(release(Workload.NEW_AMI).replace("\"dryRun\":false", "\"dryRun\":true"));

        assertTrue(result.get("dryRun").asBoolean(), result.toString());
        Map<String, JsonNode> byGroup = byGroup(result);
        for (String name : Workload.STARTING) {
            assertEquals("STARTED", byGroup.get(name).get("outcome").asText(), name + ": " + byGroup.get(name));
            assertTrue(byGroup.get(name).get("reason").asText().startsWith("dry run"), byGroup.get(name).toString());
        }
        assertEquals(versionsBefore, allVersions());
        assertEquals(groupsBefore, allGroups());
        List<String> all = front.queryActions();
        List<String> calls = all.subList(seeding, all.size()).stream().distinct().toList();
        assertTrue(calls.stream().allMatch(a -> a.startsWith("Describe") || a.equals("Publish")),
                "a dry run only reads (and tells): " + calls);
        assertTrue(front.refreshes().refreshes("web-latest").isEmpty());
    }

    @Test
    void aReleaseNamingTheLookalikeAmiChangesNothing() {
        Map<String, List<LaunchTemplateVersion>> versionsBefore = allVersions();
        Map<String, AutoScalingGroup> groupsBefore = allGroups();

        JsonNode result = invoke(release(Workload.LOOKALIKE_AMI));

        for (JsonNode group : result.get("groups")) {
            assertEquals("SKIPPED", group.get("outcome").asText(), group.toString());
        }
        assertEquals(versionsBefore, allVersions());
        assertEquals(groupsBefore, allGroups());
        assertTrue(front.queryCalls("StartInstanceRefresh").isEmpty());
        assertOwnersOnEveryDescribeImages();
    }

    @Test
    void aScheduledTickNeverPicksTheNewerPublicLookalike() {
        invoke(newestByNameHandler(), scheduledTick());

        assertLookalikeNeverUsed();
        assertOwnersOnEveryDescribeImages();
        assertTrue(front.queryCalls("StartInstanceRefresh").stream().noneMatch(c -> c.containsValue(Workload.LOOKALIKE_AMI)));
    }

    /**
     * The single-account mode (NEWEST_AMI_BY_NAME_ON_TICK, one listed group): the newest trusted AMI whose name
     * starts with the group's image name is chosen. The catalogue also holds "golden-al2023-arm64 …", built the
     * same day a little later: it must not stop the x86_64 group from getting the x86_64 build.
     */
    @Test
    void aScheduledTickInTheNewestByNameModeRollsTheGroupToTheNewestTrustedAmiItCanRun() {
        JsonNode result = invoke(newestByNameHandler(), scheduledTick());

        JsonNode web = byGroup(result).get("web-latest");
        assertEquals(Workload.NEW_AMI, web.path("imageId").asText(), web.toString());
        assertEquals("STARTED", web.get("outcome").asText(), web.toString());
    }

    /** Without the single-account mode a tick only resumes recorded work: with nothing recorded, it changes nothing. */
    @Test
    void aScheduledTickWithNothingRecordedChangesNothing() {
        int seeding = front.queryActions().size();

        JsonNode result = invoke(scheduledTick());

        for (JsonNode group : result.get("groups")) {
            assertTrue(List.of("UP_TO_DATE", "SKIPPED").contains(group.get("outcome").asText()), group.toString());
        }
        List<String> all = front.queryActions();
        assertTrue(all.subList(seeding, all.size()).stream().allMatch(a -> a.startsWith("Describe")), all.subList(seeding, all.size()).toString());
    }

    private InstanceRefreshHandler newestByNameHandler() {
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT,
                "TARGET_AUTO_SCALING_GROUPS", "web-latest", "NEWEST_AMI_BY_NAME_ON_TICK", "true", "STATE_TABLE_NAME", table)));
        return new InstanceRefreshHandler(new InstanceRefreshService(config, "eu-west-1",
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                io.amirollout.shared.NotificationPublisher.logOnly(), ledger(), CLOCK));
    }

    /** The seed setup: one listed group, no ami-rollout tags at all, takes every release. */
    @Test
    void anExplicitlyListedUntaggedGroupIsRolledLikeTheSeedSetup() {
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT,
                "TARGET_AUTO_SCALING_GROUPS", Workload.UNTAGGED, "STATE_TABLE_NAME", table)));
        InstanceRefreshHandler listed = new InstanceRefreshHandler(new InstanceRefreshService(config, "eu-west-1",
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                io.amirollout.shared.NotificationPublisher.logOnly(), ledger(), CLOCK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        listed.handleRequest(new ByteArrayInputStream(release(Workload.NEW_AMI).getBytes(StandardCharsets.UTF_8)), out, new FakeContext());
        JsonNode result = Json.readTree(out.toString(StandardCharsets.UTF_8));

        assertEquals(java.util.Set.of(Workload.UNTAGGED), byGroup(result).keySet(), result.toString());
        // The seeded group has no maintenance-window tags: the default window (every day 00:00 for 120 min) is closed at 10:30.
        assertEquals("DEFERRED", byGroup(result).get(Workload.UNTAGGED).get("outcome").asText(), result.toString());
        assertEquals("1", launchTemplateVersion(workload.group(Workload.UNTAGGED)), "pinned from $Latest before the new version exists");
        assertEquals(Workload.NEW_AMI, workload.version("legacy", 2).launchTemplateData().imageId());
        assertTrue(front.refreshes().refreshes("web-latest").isEmpty(), "tagged groups are not targets when a list is configured");
    }

    /** Deferred on Saturday (outside its Wednesday 15:00 window), started by the scheduled tick inside the window. */
    @Test
    void aRefreshDeferredToTheWindowIsStartedByATickInsideIt() {
        JsonNode release = invoke(release(Workload.NEW_AMI));
        String pendingVersion = byGroup(release).get(Workload.DEFERRED).get("newVersion").asText();
        int versions = workload.versions("reports").size();

        java.time.Clock wednesday = java.time.Clock.fixed(java.time.Instant.parse("2026-11-25T15:30:00Z"), java.time.ZoneOffset.UTC);
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT, "STATE_TABLE_NAME", table)));
        InstanceRefreshHandler inWindow = new InstanceRefreshHandler(new InstanceRefreshService(config, "eu-west-1",
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                io.amirollout.shared.NotificationPublisher.logOnly(), ledger(), wednesday));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        inWindow.handleRequest(new ByteArrayInputStream(scheduledTick().getBytes(StandardCharsets.UTF_8)), out, new FakeContext());
        JsonNode reports = byGroup(Json.readTree(out.toString(StandardCharsets.UTF_8))).get(Workload.DEFERRED);

        assertEquals("STARTED", reports.get("outcome").asText(), reports.toString());
        assertEquals(pendingVersion, front.refreshes().refreshes(Workload.DEFERRED).get(0).desiredVersion(), "the pending version");
        assertEquals(versions, workload.versions("reports").size(), "no second version");
        Map<String, String> tags = workload.tags(Workload.DEFERRED);
        assertFalse(tags.containsKey("ami-rollout:pending-version"), tags.toString());
        assertEquals(pendingVersion, tags.get("ami-rollout:current-version"));
    }

    /**
     * Two groups share one launch template: one on version 1, one on $Latest (also version 1). The
     * version made for the first group must not silently become what the $Latest group launches:
     * that group too has to be pinned to what it ran and refreshed inside its window, with rollback.
     */
    @Test
    void aGroupOnLatestSharingItsTemplateIsPinnedAndRefreshedNotLeftFloating() {
        String shared = workload.ec2.createLaunchTemplate(r -> r.launchTemplateName("shared")
                .launchTemplateData(workload.data("shared", "t3.micro", "echo shared").build())).launchTemplate().launchTemplateId();
        for (String[] g : new String[][] {{"shared-1-pinned", "1"}, {"shared-2-latest", "$Latest"}}) {
            workload.autoScaling.createAutoScalingGroup(r -> r.autoScalingGroupName(g[0]).minSize(0).maxSize(2).desiredCapacity(0)
                    .vpcZoneIdentifier(String.join(",", workload.subnetIds))
                    .launchTemplate(t -> t.launchTemplateId(shared).version(g[1]))
                    .tags(Map.of("ami-rollout:enabled", "true", "ami-rollout:image", Workload.IMAGE_NAME, "AMI_update_day", "*",
                            "AMI_update_time", "00:00", "ami-rollout:window", "1440").entrySet().stream()
                            .map(e -> software.amazon.awssdk.services.autoscaling.model.Tag.builder().resourceId(g[0])
                                    .resourceType("auto-scaling-group").key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build())
                            .toList()));
        }

        JsonNode result = invoke(release(Workload.NEW_AMI));

        JsonNode floating = byGroup(result).get("shared-2-latest");
        assertEquals("1", launchTemplateVersion(workload.group("shared-2-latest")),
                "the $Latest group is pinned to the version it ran, so the new version is not launched outside a refresh: " + floating);
        assertEquals(1, front.refreshes().refreshes("shared-2-latest").size(), "and it gets its own refresh: " + floating);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void assertLookalikeNeverUsed() {
        allVersions().forEach((template, versions) -> versions.forEach(v ->
                assertFalse(Workload.LOOKALIKE_AMI.equals(v.launchTemplateData().imageId()), template + " v" + v.versionNumber())));
        assertTrue(front.queryCalls("CreateLaunchTemplateVersion").stream().noneMatch(c -> c.containsValue(Workload.LOOKALIKE_AMI)));
    }

    /** Every DescribeImages the function made named the trusted owner (EC2 query parameter Owner.N). */
    private void assertOwnersOnEveryDescribeImages() {
        List<Map<String, String>> calls = front.queryCalls("DescribeImages");
        assertFalse(calls.isEmpty());
        for (Map<String, String> call : calls) {
            assertEquals(Moto.IMAGE_ACCOUNT, call.get("Owner.1"), "DescribeImages without the trusted owner: " + call);
            assertFalse(call.containsKey("Owner.2"), call.toString());
        }
    }

    private void assertNoMutationNames(String... names) {
        for (String action : List.of("UpdateAutoScalingGroup", "StartInstanceRefresh", "CreateOrUpdateTags", "DeleteTags",
                "CreateLaunchTemplateVersion")) {
            for (Map<String, String> call : front.queryCalls(action)) {
                for (String name : names) {
                    assertFalse(call.containsValue(name), action + " touched " + name + ": " + call);
                }
            }
        }
    }

    private Map<String, List<LaunchTemplateVersion>> allVersions() {
        Map<String, List<LaunchTemplateVersion>> all = new HashMap<>();
        workload.templates.keySet().forEach(t -> all.put(t, workload.versions(t)));
        return all;
    }

    private Map<String, AutoScalingGroup> allGroups() {
        Map<String, AutoScalingGroup> all = new HashMap<>();
        workload.autoScaling.describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)).autoScalingGroups()
                .forEach(g -> all.put(g.autoScalingGroupName(), g.toBuilder().instances(List.of()).build()));
        return all;
    }

    private static ResponseLaunchTemplateData withoutImage(ResponseLaunchTemplateData data) {
        return data.toBuilder().imageId(null).build();
    }

    private static String launchTemplateVersion(AutoScalingGroup group) {
        LaunchTemplateSpecification spec = group.launchTemplate();
        return spec.version();
    }

    private static Map<String, JsonNode> byGroup(JsonNode result) {
        Map<String, JsonNode> groups = new HashMap<>();
        result.get("groups").forEach(g -> groups.put(g.get("autoScalingGroup").asText(), g));
        return groups;
    }

    static String release(String euWest1Ami) {
        return """
                {"version":"1","correlationId":"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1",
                 "image":{"name":"golden-al2023","version":"1.0.3/1","arn":"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1"},
                 "amis":[{"region":"eu-west-1","imageId":"%s","name":"golden-al2023 2026-11-21T10-00-00Z","accountId":"111122223333"},
                         {"region":"eu-central-1","imageId":"%s","name":"golden-al2023 2026-11-21T10-00-00Z","accountId":"111122223333"}],
                 "dryRun":false}
                """.formatted(euWest1Ami, Workload.NEW_AMI_EU_CENTRAL);
    }

    static String scheduledTick() {
        return """
                {"version":"0","id":"5d1f0c1e-aaaa-bbbb-cccc-1234567890ab","detail-type":"Scheduled Event","source":"aws.events",
                 "account":"123456789012","time":"2026-11-21T10:30:00Z","region":"eu-west-1",
                 "resources":["arn:aws:events:eu-west-1:123456789012:rule/ami-rollout-tick"],"detail":{}}
                """;
    }

    private JsonNode invoke(String event) {
        return invoke(handler, event);
    }

    private static JsonNode invoke(InstanceRefreshHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("instance-refresh", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
