package io.amirollout.refresh;

import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.Severity;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ImageState;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.amirollout.refresh.FakeAws.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.*;

class InstanceRefreshServiceTest {

    /** Sunday 00:30 UTC: inside the default window (every day 00:00 UTC for 120 minutes). */
    static final Instant SUNDAY_0030 = Instant.parse("2026-11-22T00:30:00Z");
    static final String LT = "lt-0abc1234def567890";

    private final FakeAws aws = new FakeAws().standardImages();
    private final RecordingPublisher notices = new RecordingPublisher();
    private final io.amirollout.shared.testing.InMemoryStateTable table = new io.amirollout.shared.testing.InMemoryStateTable();
    private final io.amirollout.shared.state.GroupLedger ledger = new io.amirollout.shared.state.GroupLedger(table);

    /** Whatever path a test took, every AWS action it called is in iam-actions.txt. */
    @AfterEach
    void everyCallIsAListedIamAction() {
        IamActions.assertListed("iam-actions.txt", Map.of("ec2", aws.ec2, "autoscaling", aws.autoScaling));
    }

    private InstanceRefreshService service(Instant now, String... env) {
        Map<String, String> vars = new HashMap<>();
        vars.put("TRUSTED_IMAGE_OWNERS", TRUSTED);
        vars.put("STATE_TABLE_NAME", "state");
        for (int i = 0; i + 1 < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(vars)), REGION, aws.ec2, aws.autoScaling,
                notices, ledger, Clock.fixed(now, ZoneOffset.UTC));
    }

    private InstanceRefreshService service(String... env) {
        return service(SUNDAY_0030, env);
    }

    /** The single-account mode: one listed group, and every tick looks for the newest trusted AMI by name. */
    private InstanceRefreshService byName(String group, String... env) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("NEWEST_AMI_BY_NAME_ON_TICK", "true",
                "TARGET_AUTO_SCALING_GROUPS", group), java.util.Arrays.stream(env)).toArray(String[]::new);
        return service(SUNDAY_0030, all);
    }

    static ImageReleased release(String ami, boolean dryRun) {
        return ImageReleased.from(Json.readTree("""
                {"version":"1","image":{"name":"golden-al2023","version":"1.0.3/1"},
                 "amis":[{"region":"eu-west-1","imageId":"%s","name":"golden-al2023 2026-11-21T10-00-00Z","accountId":"111122223333"},
                         {"region":"us-east-1","imageId":"ami-09f8e7d6c5b4a3921"}],
                 "dryRun":%s}""".formatted(ami, dryRun)));
    }

    private GroupResult only(RefreshResult result) {
        assertEquals(1, result.groups().size(), () -> "groups: " + result.groups());
        return result.groups().get(0);
    }

    // ----- the main path -----

    @Test
    void releaseOnNumberedVersionCreatesAVersionAndStartsARefreshWithRollback() {
        aws.template(LT, OLD_AMI, OLD_AMI, OLD_AMI).group("web-asg", LT, "3", enabled());

        RefreshResult result = service().release(release(NEW_AMI, false));

        GroupResult group = only(result);
        assertEquals("SUCCEEDED", result.outcome());
        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals("3", group.previousVersion());
        assertEquals("4", group.newVersion());
        assertEquals(LT, group.launchTemplateId());
        assertEquals("ir-1", group.instanceRefreshId());
        assertFalse(group.pinned());

        ArgumentCaptor<CreateLaunchTemplateVersionRequest> create = ArgumentCaptor.forClass(CreateLaunchTemplateVersionRequest.class);
        verify(aws.ec2).createLaunchTemplateVersion(create.capture());
        assertEquals("3", create.getValue().sourceVersion(), "the new version keeps everything else from the numbered source");
        assertEquals(NEW_AMI, create.getValue().launchTemplateData().imageId());
        assertTrue(create.getValue().versionDescription().contains(NEW_AMI));
        assertTrue(create.getValue().versionDescription().length() <= 255);
        assertEquals(LaunchTemplateUpdater.clientToken(LT, 3, NEW_AMI), create.getValue().clientToken());
        assertTrue(create.getValue().clientToken().length() <= 64);

        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        assertEquals("4", start.getValue().desiredConfiguration().launchTemplate().version());
        assertEquals(LT, start.getValue().desiredConfiguration().launchTemplate().launchTemplateId());
        RefreshPreferences prefs = start.getValue().preferences();
        assertTrue(prefs.autoRollback());
        assertTrue(prefs.skipMatching());
        assertEquals(90, prefs.minHealthyPercentage());
        assertEquals("Ignore", prefs.scaleInProtectedInstancesAsString());
        assertEquals("Ignore", prefs.standbyInstancesAsString());
        assertTrue(prefs.checkpointPercentages().isEmpty());
        assertNull(prefs.alarmSpecification());
        verify(aws.autoScaling, never()).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));

        Map<String, String> tags = aws.tagsOf("web-asg");
        assertEquals("3", tags.get(RolloutTags.PREVIOUS_VERSION));
        assertEquals("4", tags.get(RolloutTags.CURRENT_VERSION));
        assertEquals(LT, tags.get(RolloutTags.LAUNCH_TEMPLATE_ID));

        Notification notice = notices.only();
        assertEquals(NotificationKind.REFRESH_STARTED, notice.kind());
        assertEquals(ACCOUNT, notice.accountId());
        assertEquals("web-asg", notice.details().get("autoScalingGroup"));
        assertEquals(NEW_AMI, notice.details().get("imageId"));
        assertEquals("4", notice.details().get("launchTemplateVersion"));
        assertEquals("3", notice.details().get("previousVersion"));
        assertEquals("ir-1", notice.details().get("instanceRefreshId"));
        assertEquals("2026-11-22T00:30:00Z", notice.time());

        IamActions.assertListed("iam-actions.txt", Map.of("ec2", aws.ec2, "autoscaling", aws.autoScaling));
    }

    @Test
    void groupOnLatestIsPinnedToWhatItRunsBeforeTheNewVersionExists() {
        aws.template(LT, OLD_AMI, OLD_AMI).group("web-asg", LT, "$Latest", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertTrue(group.pinned());
        assertEquals("2", group.previousVersion());
        assertEquals("3", group.newVersion());
        InOrder order = inOrder(aws.autoScaling, aws.ec2);
        order.verify(aws.autoScaling).updateAutoScalingGroup(argThat((UpdateAutoScalingGroupRequest r) ->
                "2".equals(r.launchTemplate().version()) && LT.equals(r.launchTemplate().launchTemplateId())));
        order.verify(aws.ec2).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        order.verify(aws.autoScaling).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        assertEquals("2", aws.groups.get("web-asg").launchTemplate().version());
        assertTrue(group.reason().contains("$Latest"), group.reason());
        assertEquals(true, notices.only().details().get("pinned"));
    }

    @Test
    void groupOnDefaultIsPinnedToTheDefaultVersionNotTheLatest() {
        aws.template(LT, OLD_AMI, OLD_AMI, "ami-0000000000000bbbb").group("web-asg", LT, "$Default", enabled());
        aws.defaultVersions.put(LT, 2L);

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertTrue(group.pinned());
        assertEquals("2", group.previousVersion());
        verify(aws.ec2).createLaunchTemplateVersion(argThat((CreateLaunchTemplateVersionRequest r) -> "2".equals(r.sourceVersion())));
        assertEquals("2", aws.groups.get("web-asg").launchTemplate().version());
    }

    @Test
    void mixedInstancesGroupKeepsItsPolicyInThePinAndTheDesiredConfiguration() {
        aws.template(LT, OLD_AMI).mixedGroup("spot-asg", LT, "$Latest", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        ArgumentCaptor<UpdateAutoScalingGroupRequest> pin = ArgumentCaptor.forClass(UpdateAutoScalingGroupRequest.class);
        verify(aws.autoScaling).updateAutoScalingGroup(pin.capture());
        assertNull(pin.getValue().launchTemplate());
        assertEquals("1", pin.getValue().mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().version());
        assertEquals(2, pin.getValue().mixedInstancesPolicy().launchTemplate().overrides().size());

        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        var desired = start.getValue().desiredConfiguration();
        assertNull(desired.launchTemplate());
        assertEquals("2", desired.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().version());
        assertEquals(LT, desired.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().launchTemplateId());
        assertEquals(2, desired.mixedInstancesPolicy().launchTemplate().overrides().size());
        assertEquals(25, desired.mixedInstancesPolicy().instancesDistribution().onDemandPercentageAboveBaseCapacity());
    }

    @Test
    void launchConfigurationGroupIsSkippedWithAClearReason() {
        aws.launchConfigurationGroup("legacy-asg", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("launch configuration old-lc"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
        assertEquals(Severity.WARNING, notices.only().severity());
    }

    @Test
    void groupAlreadyOnTheAmiIsUpToDateAndNothingChanges() {
        aws.template(LT, NEW_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.UP_TO_DATE, group.outcome());
        assertEquals(List.of(), aws.mutatingCalls());
        assertEquals(NotificationKind.REFRESH_SKIPPED, notices.only().kind());
        assertEquals(Severity.INFO, notices.only().severity());
    }

    @Test
    void theSameEventTwiceMakesOneVersionAndOneRefresh() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled());
        InstanceRefreshService service = service();

        GroupResult first = only(service.release(release(NEW_AMI, false)));
        GroupResult second = only(service.release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, first.outcome());
        assertEquals(GroupOutcome.ALREADY_IN_PROGRESS, second.outcome(), second.reason());
        assertEquals("2", second.newVersion());
        assertEquals("ir-1", second.instanceRefreshId());
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        verify(aws.autoScaling, times(1)).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        verify(aws.autoScaling, times(1)).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));
        assertEquals(2, aws.versionsOf(LT).size());
    }

    @Test
    void aDuplicateOutsideTheWindowReusesThePendingVersion() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed", RolloutTags.UPDATE_TIME, "15:00"));
        InstanceRefreshService service = service();

        GroupResult first = only(service.release(release(NEW_AMI, false)));
        GroupResult second = only(service.release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.DEFERRED, first.outcome());
        assertEquals(GroupOutcome.DEFERRED, second.outcome());
        assertEquals("2", second.newVersion());
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        verify(aws.autoScaling, never()).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        assertEquals(2, aws.versionsOf(LT).size());
    }

    // ----- issue 12 -----

    /** Item 1: EC2 drops the source's snapshots from block device mappings unless they are given again. */
    @Test
    void newVersionKeepsSnapshotBlockDeviceMappings() {
        var root = software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping.builder().deviceName("/dev/xvda")
                .ebs(e -> e.volumeSize(30).volumeType("gp3").encrypted(true).deleteOnTermination(true)).build();
        var data = software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping.builder().deviceName("/dev/sdf")
                .ebs(e -> e.snapshotId("snap-0123456789abcdef0").volumeSize(100).volumeType("gp3").iops(3000).throughput(250)
                        .encrypted(true).kmsKeyId("arn:aws:kms:eu-west-1:444455556666:key/1111").deleteOnTermination(false)).build();
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        var v1 = aws.versionsOf(LT).get(0);
        aws.versionsOf(LT).set(0, v1.toBuilder().launchTemplateData(v1.launchTemplateData().toBuilder()
                .blockDeviceMappings(root, data).userData("IyEvYmluL2Jhc2gK").keyName("ops").build()).build());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        var source = aws.versionsOf(LT).get(0).launchTemplateData();
        var made = aws.versionsOf(LT).get(1).launchTemplateData();
        assertEquals(NEW_AMI, made.imageId());
        assertEquals(source.toBuilder().imageId(null).build(), made.toBuilder().imageId(null).build(),
                "the new version equals the source except for ImageId, snapshot of the data volume included");
    }

    /** Item 10: a new version changes $Latest, never the default version: $Default siblings are left alone. */
    @Test
    void defaultGroupsSharingTheTemplateAreNotPinned() {
        aws.template(LT, OLD_AMI).group("a-pinned", LT, "1", enabled())
                .group("d-default", LT, "$Default", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, "golden-ubuntu"))
                .group("l-latest", LT, "$Latest", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, "golden-ubuntu"));

        RefreshResult result = service().release(release(NEW_AMI, false));

        assertEquals(GroupOutcome.STARTED, only(result).outcome());
        assertEquals("$Default", aws.groups.get("d-default").launchTemplate().version(), "untouched: its version did not change");
        assertEquals("1", aws.groups.get("l-latest").launchTemplate().version(), "a $Latest sibling is pinned before the version exists");
        verify(aws.autoScaling, times(1)).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));
    }

    /** Item 2: a deprecated (even the owner's own, which EC2 always lists) or disabled AMI is refused on every path. */
    @Test
    void deprecatedOrDisabledAmisAreNeverChosen() {
        String deprecated = "ami-0dddddddddddddd01";
        String disabled = "ami-0dddddddddddddd02";
        aws.images.add(software.amazon.awssdk.services.ec2.model.Image.builder().imageId(deprecated).ownerId(TRUSTED)
                .name(IMAGE + " 2026-11-28T10-00-00Z").creationDate("2026-11-28T10:00:00.000Z").architecture(ArchitectureValues.X86_64)
                .state(ImageState.AVAILABLE).deprecationTime("2026-11-21T12:00:00.000Z").build());
        aws.image(disabled, TRUSTED, IMAGE + " 2026-11-29T10-00-00Z", "2026-11-29T10:00:00.000Z", ArchitectureValues.X86_64,
                ImageState.DISABLED);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult released = only(service().release(release(deprecated, false)));
        assertEquals(GroupOutcome.SKIPPED, released.outcome());
        assertTrue(released.reason().contains("deprecated since 2026-11-21T12:00:00.000Z"), released.reason());
        GroupResult manual = only(service().manual(new ManualRequest("web-asg", disabled, false, true)));
        assertEquals(GroupOutcome.SKIPPED, manual.outcome());
        assertTrue(manual.reason().contains("disabled"), manual.reason());

        GroupResult byName = only(byName("web-asg").tick());
        assertEquals(NEW_AMI, byName.imageId(), "the newest usable one, not the newer deprecated or disabled builds: " + byName.reason());
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
    }

    /** Item 3: a tag-discovered group without ami-rollout:image is skipped, never given any AMI of its architecture. */
    @Test
    void aGroupNamesItsImageOrItIsSkipped() {
        aws.template(LT, OLD_AMI).group("nameless-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true"));

        GroupResult released = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, released.outcome());
        assertTrue(released.reason().contains(RolloutTags.IMAGE), released.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    /** Item 3: the AMI's real name decides which groups a release reaches, not the payload's image.name. */
    @Test
    void aReleaseIsMatchedByTheAmisRealNameNotThePayloadsImageName() {
        String ubuntu = "ami-0eeeeeeeeeeeeee01";
        aws.image(ubuntu, TRUSTED, "golden-ubuntu 2026-11-21T10-00-00Z", "2026-11-21T10:00:00.000Z", ArchitectureValues.X86_64,
                ImageState.AVAILABLE);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        RefreshResult result = service().release(release(ubuntu, false)); // payload says image "golden-al2023"

        assertEquals(List.of(), result.groups(), "golden-al2023 groups are not reached by a golden-ubuntu AMI: " + result);
        assertEquals(List.of(), aws.mutatingCalls());
    }

    /** Item 3: platform as well as architecture: a Windows AMI never reaches a group running Linux. */
    @Test
    void aWindowsAmiNeverReachesALinuxGroup() {
        String windows = "ami-0eeeeeeeeeeeeee02";
        aws.images.add(software.amazon.awssdk.services.ec2.model.Image.builder().imageId(windows).ownerId(TRUSTED)
                .name(IMAGE + " 2026-11-29T10-00-00Z").creationDate("2026-11-29T10:00:00.000Z").architecture(ArchitectureValues.X86_64)
                .platform(software.amazon.awssdk.services.ec2.model.PlatformValues.WINDOWS).state(ImageState.AVAILABLE).build());
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult released = only(service().release(release(windows, false)));
        assertEquals(GroupOutcome.SKIPPED, released.outcome());
        assertTrue(released.reason().contains("windows") && released.reason().contains("linux"), released.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    /** Item 7: ami-rollout:alarms holds at most 10 names (no ARNs) of alarms that exist, checked before anything changes. */
    @Test
    void alarmsThatAwsWillNotAcceptSkipTheGroupBeforeAnythingChanges() {
        software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch = mock(
                software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
        doAnswer(inv -> {
            var request = (software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest) inv.getArgument(0);
            return software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse.builder().metricAlarms(
                    request.alarmNames().stream().filter(n -> n.startsWith("web-"))
                            .map(n -> software.amazon.awssdk.services.cloudwatch.model.MetricAlarm.builder().alarmName(n).build()).toList())
                    .build();
        }).when(cloudWatch).describeAlarms(any(software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest.class));
        String eleven = String.join(",", java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "web-" + i).toList());
        aws.template(LT, OLD_AMI)
                .group("missing-asg", LT, "1", enabled(RolloutTags.ALARMS, "web-errors,typo-latency"))
                .group("arn-asg", LT, "1", enabled(RolloutTags.ALARMS, "arn:aws:cloudwatch:eu-west-1:444455556666:alarm:web-errors"))
                .group("many-asg", LT, "1", enabled(RolloutTags.ALARMS, eleven))
                .group("good-asg", LT, "1", enabled(RolloutTags.ALARMS, "web-errors,web-latency"));
        Map<String, String> vars = Map.of("TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state");
        InstanceRefreshService service = new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(vars)), REGION, aws.ec2,
                aws.autoScaling, cloudWatch, notices, ledger, Clock.fixed(SUNDAY_0030, ZoneOffset.UTC));

        Map<String, GroupResult> byGroup = new HashMap<>();
        service.release(release(NEW_AMI, false)).groups().forEach(g -> byGroup.put(g.autoScalingGroup(), g));

        assertTrue(byGroup.get("missing-asg").reason().contains("no such CloudWatch alarm") && byGroup.get("missing-asg").reason()
                .contains("typo-latency") && byGroup.get("missing-asg").reason().contains(RolloutTags.ALARMS), byGroup.get("missing-asg").reason());
        assertTrue(byGroup.get("arn-asg").reason().contains("names only, not ARNs"), byGroup.get("arn-asg").reason());
        assertTrue(byGroup.get("many-asg").reason().contains("at most 10"), byGroup.get("many-asg").reason());
        for (String bad : List.of("missing-asg", "arn-asg", "many-asg")) {
            assertEquals(GroupOutcome.SKIPPED, byGroup.get(bad).outcome(), bad);
        }
        assertEquals(GroupOutcome.STARTED, byGroup.get("good-asg").outcome(), byGroup.get("good-asg").reason());
        verify(aws.autoScaling, times(1)).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
    }

    /** Item 6: a window shorter than the tick interval may never contain a tick: refused with the reason. */
    @Test
    void aWindowShorterThanTheTickIntervalIsRefused() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.WINDOW_MINUTES, "10"));

        GroupResult group = only(service("TICK_INTERVAL_MINUTES", "15").release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("shorter than the tick interval (15 min"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    /** Item 6: the AMI_refresh_day / AMI_refresh_time spelling teams use in their overrides works like AMI_update_*. */
    @Test
    void theRefreshDaySpellingTeamsUseIsAccepted() {
        // Sunday 00:30 UTC: a Wednesday 15:00 window is closed, a Sunday 00:00 one open.
        aws.template(LT, OLD_AMI)
                .group("wed-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, IMAGE,
                        RolloutTags.REFRESH_DAY, "wed", RolloutTags.REFRESH_TIME, "15:00"))
                .group("both-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, IMAGE,
                        RolloutTags.REFRESH_DAY, "wed", RolloutTags.UPDATE_DAY, "sun"));

        Map<String, GroupResult> byGroup = new HashMap<>();
        service().release(release(NEW_AMI, false)).groups().forEach(g -> byGroup.put(g.autoScalingGroup(), g));

        assertEquals(GroupOutcome.DEFERRED, byGroup.get("wed-asg").outcome(), byGroup.get("wed-asg").reason());
        assertTrue(byGroup.get("wed-asg").reason().contains("wed 15:00"), byGroup.get("wed-asg").reason());
        assertEquals(GroupOutcome.SKIPPED, byGroup.get("both-asg").outcome());
        assertTrue(byGroup.get("both-asg").reason().contains("disagree"), byGroup.get("both-asg").reason());
    }

    /** Item 6: a group without schedule tags uses the stack's default window (parameters DefaultUpdate*), not a silent 00:00 UTC. */
    @Test
    void aGroupWithoutScheduleTagsUsesTheStackDefaultWindow() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, IMAGE));

        GroupResult group = only(service("DEFAULT_UPDATE_DAY", "wed", "DEFAULT_UPDATE_TIME", "15:00", "DEFAULT_WINDOW_MINUTES", "90")
                .release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.DEFERRED, group.outcome(), "Sunday 00:30 is outside Wednesday 15:00: " + group.reason());
        assertTrue(group.reason().contains("wed 15:00 for 90 min"), group.reason());
    }

    private RefreshPreferences startedPreferences() {
        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        return start.getValue().preferences();
    }

    /** Item 5: without a min-healthy tag, the group's own instance maintenance policy decides (nothing sent over it). */
    @Test
    void theGroupsOwnInstanceMaintenancePolicyWins() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        aws.groups.put("web-asg", aws.groups.get("web-asg").toBuilder().instanceMaintenancePolicy(p -> p.minHealthyPercentage(100)
                .maxHealthyPercentage(110)).build());

        assertEquals(GroupOutcome.STARTED, only(service().release(release(NEW_AMI, false))).outcome());

        assertNull(startedPreferences().minHealthyPercentage(), "the group's policy (100-110) applies");
    }

    /** Item 5: MaxHealthyPercentage (launch before terminate) and BakeTime as tags; the tag's min wins over the policy. */
    @Test
    void maxHealthyPercentageAndBakeTimeTagsReachTheRefresh() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.MAX_HEALTHY_PERCENTAGE, "150",
                RolloutTags.BAKE_TIME, "600", RolloutTags.MIN_HEALTHY_PERCENTAGE, "100"));
        aws.groups.put("web-asg", aws.groups.get("web-asg").toBuilder().instanceMaintenancePolicy(p -> p.minHealthyPercentage(90)
                .maxHealthyPercentage(100)).build());

        assertEquals(GroupOutcome.STARTED, only(service().release(release(NEW_AMI, false))).outcome());

        RefreshPreferences prefs = startedPreferences();
        assertEquals(100, prefs.minHealthyPercentage());
        assertEquals(150, prefs.maxHealthyPercentage());
        assertEquals(600, prefs.bakeTime());
    }

    @Test
    void aMaxHealthyPercentageMoreThan100AboveTheMinimumIsRefusedBeforeAnythingChanges() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.MAX_HEALTHY_PERCENTAGE, "200",
                RolloutTags.MIN_HEALTHY_PERCENTAGE, "50"));

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains(RolloutTags.MAX_HEALTHY_PERCENTAGE), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    /** Item 4: what happens to protected instances is an explicit choice per group (tag) over the stack's. */
    @Test
    void protectedAndStandbyInstanceHandlingIsAChoicePerGroup() {
        aws.template(LT, OLD_AMI).group("ecs-asg", LT, "1", enabled(RolloutTags.SCALE_IN_PROTECTED_INSTANCES, "refresh",
                RolloutTags.STANDBY_INSTANCES, "Terminate"));

        assertEquals(GroupOutcome.STARTED, only(service().release(release(NEW_AMI, false))).outcome());

        RefreshPreferences prefs = startedPreferences();
        assertEquals("Refresh", prefs.scaleInProtectedInstancesAsString());
        assertEquals("Terminate", prefs.standbyInstancesAsString());
    }

    private static io.amirollout.shared.EventBridgeEvent refreshEvent(String what, String refreshId) {
        return io.amirollout.shared.EventBridgeEvent.from(Json.readTree("""
                {"version":"0","id":"e1","detail-type":"EC2 Auto Scaling Instance Refresh %s","source":"aws.autoscaling",
                 "account":"444455556666","time":"2026-11-22T01:10:00Z","region":"eu-west-1","resources":[],
                 "detail":{"InstanceRefreshId":"%s","AutoScalingGroupName":"web-asg"}}""".formatted(what, refreshId)));
    }

    /** Item 9 (and 4's report): Successful is not enough; instances left on the old version or AMI are listed, with why. */
    @Test
    void aRefreshThatEndsWithInstancesLeftBehindIsNotConverged() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        GroupResult started = only(service().release(release(NEW_AMI, false)));
        aws.instance("web-asg", "i-0new0000000000001", "2", NEW_AMI, "InService", false)
                .instance("web-asg", "i-0old0000000000002", "1", OLD_AMI, "InService", true)
                .instance("web-asg", "i-0old0000000000003", "1", OLD_AMI, "Standby", false)
                .instance("web-asg", "i-0old0000000000004", "1", OLD_AMI, "Terminating", false);

        GroupResult ended = only(service().refreshEvent(refreshEvent("Succeeded", started.instanceRefreshId())));

        assertEquals(GroupOutcome.NOT_CONVERGED, ended.outcome(), ended.reason());
        assertTrue(ended.reason().contains("i-0old0000000000002") && ended.reason().contains("protected from scale-in"), ended.reason());
        assertTrue(ended.reason().contains("i-0old0000000000003") && ended.reason().contains("in Standby"), ended.reason());
        assertFalse(ended.reason().contains("i-0new0000000000001") || ended.reason().contains("i-0old0000000000004"), ended.reason());
        assertEquals(io.amirollout.shared.state.ReleaseState.NOT_CONVERGED, ledger.release("web-asg", NEW_AMI).orElseThrow().state());
        assertEquals(1, notices.ofKind(NotificationKind.REFRESH_NOT_CONVERGED).size());
        assertEquals(Severity.WARNING, notices.ofKind(NotificationKind.REFRESH_NOT_CONVERGED).get(0).severity());
    }

    @Test
    void aRefreshThatEndsWithEveryInstanceOnTheTargetSucceeded() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        GroupResult started = only(service().release(release(NEW_AMI, false)));
        aws.instance("web-asg", "i-0new0000000000001", "2", NEW_AMI, "InService", true);

        GroupResult ended = only(service().refreshEvent(refreshEvent("Succeeded", started.instanceRefreshId())));

        assertEquals(GroupOutcome.SUCCEEDED, ended.outcome(), ended.reason());
        assertEquals(io.amirollout.shared.state.ReleaseState.SUCCEEDED, ledger.release("web-asg", NEW_AMI).orElseThrow().state());
    }

    /** Item 12: versions this function made that nothing uses, older than the retention, are deleted; never default or latest. */
    @Test
    void unusedVersionsThisFunctionMadeAreDeletedAfterTheRetentionNeverTheDefaultOrLatest() {
        java.time.Instant old = Instant.parse("2026-09-01T00:00:00Z");
        java.time.Instant young = Instant.parse("2026-11-20T00:00:00Z");
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled())
                .group("other-team-asg", LT, "3", Map.of("team", "other"));
        List<software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion> versions = aws.versionsOf(LT);
        versions.set(0, versions.get(0).toBuilder().createTime(old).defaultVersion(true).build());
        for (long n = 2; n <= 7; n++) {
            versions.add(FakeAws.version(LT, n, NEW_AMI, "m5.large", "ami-rollout: " + NEW_AMI + " from version 1").toBuilder()
                    .createTime(n == 6 ? young : old).build());
        }
        aws.instance("web-asg", "i-0000000000000005", "5", NEW_AMI, "InService", false);
        ledger.writeRelease(io.amirollout.shared.state.GroupRelease.received("web-asg", "ami-0123456789abcdef0", "golden", "c",
                io.amirollout.shared.state.ReleaseSource.RELEASE, false, old).started(LT, "4", "1", "ir-old", old));

        RefreshResult tick = service().tick();

        assertEquals(java.util.Set.of(2L), aws.deletedVersions.get(LT),
                "3 (a group), 4 (recorded roll-forward target), 5 (an instance), 6 (young), 7 (latest) and 1 (default, not ours) stay");
        assertTrue(tick.housekeeping().get(0).contains("[2]"), tick.housekeeping().toString());
        service().tick();
        verify(aws.ec2, times(1)).deleteLaunchTemplateVersions(any(software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateVersionsRequest.class));
    }

    /** Item 11: groups the invocation has no time left for are recorded and left to the next tick, never dropped. */
    @Test
    void manyGroupsOneTimeoutTheGroupsNotReachedAreLeftToTheNextTick() {
        aws.template(LT, OLD_AMI).group("a-asg", LT, "1", enabled()).group("b-asg", LT, "1", enabled()).group("c-asg", LT, "1", enabled());
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        Budget budget = new Budget(() -> checks.getAndIncrement() == 0 ? java.time.Duration.ofSeconds(60) : java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(20));

        RefreshResult result = service().release(release(NEW_AMI, false), budget);

        Map<String, GroupResult> byGroup = new HashMap<>();
        result.groups().forEach(g -> byGroup.put(g.autoScalingGroup(), g));
        assertEquals(GroupOutcome.STARTED, byGroup.get("a-asg").outcome());
        for (String later : List.of("b-asg", "c-asg")) {
            assertEquals(GroupOutcome.DEFERRED, byGroup.get(later).outcome(), later);
            assertTrue(byGroup.get(later).reason().startsWith("not reached"), byGroup.get(later).reason());
            assertEquals(NEW_AMI, ledger.head(later).desiredImageId(), later + ": recorded for the next tick");
        }
        verify(aws.autoScaling, times(1)).startInstanceRefresh(any(StartInstanceRefreshRequest.class));

        RefreshResult tick = service().tick();

        assertEquals(3, aws.refreshes.values().stream().mapToInt(List::size).sum(), "the next tick started the two left over: " + tick);
    }

    @Test
    void clientTokenIsDeterministicAndSpecific() {
        String token = LaunchTemplateUpdater.clientToken(LT, 3, NEW_AMI);
        assertEquals(token, LaunchTemplateUpdater.clientToken(LT, 3, NEW_AMI));
        assertNotEquals(token, LaunchTemplateUpdater.clientToken(LT, 4, NEW_AMI));
        assertNotEquals(token, LaunchTemplateUpdater.clientToken(LT, 3, OLD_AMI));
        assertNotEquals(token, LaunchTemplateUpdater.clientToken("lt-other", 3, NEW_AMI));
        assertTrue(token.matches("[0-9a-f]{64}"));
    }

    // ----- the window -----

    @Test
    void outsideTheWindowTheVersionIsCreatedAndRecordedAsPending() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled(RolloutTags.UPDATE_DAY, "wed",
                RolloutTags.UPDATE_TIME, "15:00", RolloutTags.TIMEZONE, "Europe/London"));

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.DEFERRED, group.outcome());
        assertEquals("2", group.newVersion());
        assertTrue(group.pinned(), "pinned even when deferred: the new version must not reach a $Latest group by scale-out");
        assertTrue(group.reason().contains("2026-11-25T15:00Z"), group.reason());
        verify(aws.autoScaling, never()).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        Map<String, String> tags = aws.tagsOf("web-asg");
        assertEquals("2", tags.get(RolloutTags.PENDING_VERSION));
        assertEquals(NEW_AMI, tags.get(RolloutTags.PENDING_IMAGE));
        assertEquals(LT, tags.get(RolloutTags.LAUNCH_TEMPLATE_ID));
        assertEquals(NotificationKind.REFRESH_DEFERRED, notices.only().kind());
    }

    @Test
    void aTickInsideTheWindowStartsThePendingVersionAndClearsThePendingTags() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed", RolloutTags.UPDATE_TIME, "15:00"));
        only(service().release(release(NEW_AMI, false)));

        Instant wednesday = Instant.parse("2026-11-25T15:10:00Z");
        GroupResult group = only(service(wednesday).tick());

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals("2", group.newVersion());
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        Map<String, String> tags = aws.tagsOf("web-asg");
        assertFalse(tags.containsKey(RolloutTags.PENDING_VERSION));
        assertFalse(tags.containsKey(RolloutTags.PENDING_IMAGE));
        assertEquals("1", tags.get(RolloutTags.PREVIOUS_VERSION));
        assertEquals("2", tags.get(RolloutTags.CURRENT_VERSION));
        assertEquals(List.of(NotificationKind.REFRESH_DEFERRED, NotificationKind.REFRESH_STARTED),
                notices.all().stream().map(Notification::kind).toList());
    }

    @Test
    void aTickStillOutsideTheWindowKeepsQuietAndChangesNothing() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed", RolloutTags.UPDATE_TIME, "15:00"));
        only(service().release(release(NEW_AMI, false)));
        int callsBefore = aws.mutatingCalls().size();

        GroupResult group = only(service(Instant.parse("2026-11-23T15:10:00Z")).tick());

        assertEquals(GroupOutcome.DEFERRED, group.outcome());
        assertEquals(callsBefore, aws.mutatingCalls().size());
        assertEquals(1, notices.all().size(), "only the first deferral is announced");
    }

    @Test
    void windowAcrossMidnightInItsTimeZone() {
        // Saturday 23:00 in New York for 180 minutes = Sunday 04:00-07:00 UTC.
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "sat",
                RolloutTags.UPDATE_TIME, "23:00", RolloutTags.WINDOW_MINUTES, "180", RolloutTags.TIMEZONE, "America/New_York"));

        assertEquals(GroupOutcome.DEFERRED, only(service(Instant.parse("2026-11-22T03:30:00Z")).release(release(NEW_AMI, false))).outcome());
        assertEquals(GroupOutcome.STARTED, only(service(Instant.parse("2026-11-22T06:30:00Z")).tick()).outcome());
    }

    @Test
    void manualRequestRespectsTheWindowUnlessToldToIgnoreIt() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed", RolloutTags.UPDATE_TIME, "15:00"));

        assertEquals(GroupOutcome.DEFERRED, only(service().manual(new ManualRequest("web-asg", NEW_AMI, false, false))).outcome());
        GroupResult forced = only(service().manual(new ManualRequest("web-asg", NEW_AMI, false, true)));

        assertEquals(GroupOutcome.STARTED, forced.outcome(), forced.reason());
        assertEquals("2", forced.newVersion());
    }

    @Test
    void manualRequestWithoutAmiTakesTheNewestTrustedAmiByName() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().manual(new ManualRequest("web-asg", null, false, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals(NEW_AMI, group.imageId());
    }

    @Test
    void manualRequestForAGroupThatIsNotATargetIsSkipped() {
        aws.template(LT, OLD_AMI).group("other-asg", LT, "1", Map.of("team", "x"));

        GroupResult group = only(service().manual(new ManualRequest("other-asg", NEW_AMI, false, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("not a target"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    // ----- trusted AMIs only -----

    @Test
    void aLookAlikePublicAmiWithANewerDateIsNeverChosen() {
        aws.image("ami-0badbadbadbadbad0", UNTRUSTED, IMAGE + " 2026-11-30T10-00-00Z", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.AVAILABLE);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(byName("web-asg").tick());

        assertEquals(NEW_AMI, group.imageId());
        assertEquals(GroupOutcome.STARTED, group.outcome());
        ArgumentCaptor<DescribeImagesRequest> calls = ArgumentCaptor.forClass(DescribeImagesRequest.class);
        verify(aws.ec2, atLeastOnce()).describeImages(calls.capture());
        calls.getAllValues().forEach(r -> assertEquals(List.of(TRUSTED), r.owners(), "every DescribeImages names Owners"));
    }

    @Test
    void anUntrustedImageIsIgnoredEvenWhenAwsReturnsIt() {
        aws.ignoreOwners = true;
        aws.image("ami-0badbadbadbadbad0", UNTRUSTED, IMAGE + " 2026-11-30T10-00-00Z", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.AVAILABLE);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        assertEquals(NEW_AMI, only(byName("web-asg").tick()).imageId());
    }

    @Test
    void anUntrustedAmiInThePayloadIsRefused() {
        aws.image("ami-0badbadbadbadbad0", UNTRUSTED, IMAGE + " 2026-11-30", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.AVAILABLE);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled());

        GroupResult group = only(service().release(release("ami-0badbadbadbadbad0", false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("not owned by a trusted account"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void anAmiThatDoesNotExistIsRefusedNotFailed() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().release(release("ami-0ffffffffffffffff", false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("does not exist in eu-west-1"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void anAmiThatIsNotAvailableIsRefused() {
        aws.image("ami-0ccccccccccccccc0", TRUSTED, IMAGE + " 2026-11-30", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.PENDING);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().release(release("ami-0ccccccccccccccc0", false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("pending, not available"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void anAmiOfAnotherArchitectureIsRefused() {
        aws.image("ami-0a4a4a4a4a4a4a4a0", TRUSTED, IMAGE + " 2026-11-30T10-00-00Z", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.ARM64, ImageState.AVAILABLE);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().release(release("ami-0a4a4a4a4a4a4a4a0", false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("arm64") && group.reason().contains("x86_64"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void whenTheCurrentAmiIsNotTrustedTheInstanceTypesDecideTheArchitecture() {
        aws.image("ami-0s0s0s0s0s0s0s0s0", UNTRUSTED, "al2023-ami-2023.6", "2026-10-01T00:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.AVAILABLE);
        aws.template(LT, "ami-0s0s0s0s0s0s0s0s0").group("web-asg", LT, "1", enabled());

        assertEquals(GroupOutcome.STARTED, only(service().release(release(NEW_AMI, false))).outcome());

        FakeAws graviton = new FakeAws().standardImages();
        graviton.templates.put(LT, new java.util.ArrayList<>(List.of(FakeAws.version(LT, 1, "ami-0deregistered000", "m7g.large", "x"))));
        graviton.defaultVersions.put(LT, 1L);
        graviton.group("arm-asg", LT, "1", enabled());
        GroupResult refused = only(new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state"))),
                REGION, graviton.ec2, graviton.autoScaling, notices, ledger, Clock.fixed(SUNDAY_0030, ZoneOffset.UTC))
                .release(release(NEW_AMI, false)));
        assertEquals(GroupOutcome.SKIPPED, refused.outcome());
        assertTrue(refused.reason().contains("m7g.large"), refused.reason());
        assertEquals(List.of(), graviton.mutatingCalls());
    }

    // ----- refreshes already running -----

    @Test
    void anActiveRefreshForAnotherTargetIsNotTrampled() {
        aws.template(LT, OLD_AMI, OLD_AMI).group("web-asg", LT, "1", enabled()).activeRefresh("web-asg", "2", LT);

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.DEFERRED, group.outcome());
        assertEquals("ir-existing", group.instanceRefreshId());
        assertEquals(List.of(), aws.mutatingCalls(), "the group is not touched while another refresh runs");
        assertEquals(io.amirollout.shared.state.ReleaseState.PENDING, ledger.release("web-asg", NEW_AMI).orElseThrow().state(),
                "only the pending AMI is remembered, in the state of record");
        assertEquals(NotificationKind.REFRESH_DEFERRED, notices.only().kind());
    }

    @Test
    void aRolledBackRefreshFoundByTheTickRejectsTheAmiAndOnlyAForcedRequestStartsItAgain() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        assertEquals(GroupOutcome.STARTED, only(service().release(release(NEW_AMI, false))).outcome());
        // The alarm fired and AWS rolled the group back to version 1; the event was missed.
        var refresh = aws.refreshes.get("web-asg").get(0);
        aws.refreshes.get("web-asg").set(0, refresh.toBuilder()
                .status(software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus.ROLLBACK_SUCCESSFUL).build());

        GroupResult tick = only(service().tick());

        assertEquals(GroupOutcome.SKIPPED, tick.outcome());
        assertTrue(tick.reason().contains("RollbackSuccessful") && tick.reason().contains("rejected"), tick.reason());
        assertEquals("aws-auto-rollback", ledger.rejection("web-asg", NEW_AMI).orElseThrow().by());
        assertNotEquals(GroupOutcome.STARTED, only(service().tick()).outcome(), "the next tick");
        assertEquals(GroupOutcome.SKIPPED, only(service().release(release(NEW_AMI, false))).outcome(), "a duplicate release");
        assertNotEquals(GroupOutcome.STARTED, only(service().manual(new ManualRequest("web-asg", null, false, false))).outcome(),
                "newest by name never takes a rejected AMI");
        verify(aws.autoScaling, times(1)).startInstanceRefresh(any(StartInstanceRefreshRequest.class));

        GroupResult forced = only(service().manual(new ManualRequest("web-asg", NEW_AMI, false, false, true, null, null)));

        assertEquals(GroupOutcome.STARTED, forced.outcome(), forced.reason());
        assertEquals("2", forced.newVersion(), "the same version, not a new one");
        assertTrue(ledger.release("web-asg", NEW_AMI).orElseThrow().forced());
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
    }

    @Test
    void aRefreshStartedByAnotherCallerMeanwhileDefersTheGroup() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        doThrow(InstanceRefreshInProgressException.builder().message("An Instance Refresh is already in progress").build())
                .when(aws.autoScaling).startInstanceRefresh(any(StartInstanceRefreshRequest.class));

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.DEFERRED, group.outcome());
        assertTrue(group.reason().contains("InstanceRefreshInProgress"), group.reason());
        assertEquals("2", aws.tagsOf("web-asg").get(RolloutTags.PENDING_VERSION));
    }

    // ----- isolation, dry run, preferences -----

    @Test
    void oneGroupFailingDoesNotStopTheOthers() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled()).group("broken-asg", "lt-0missing000000000", "1", enabled())
                .group("api-asg", LT, "1", enabled());

        RefreshResult result = service().release(release(NEW_AMI, false));

        assertEquals("PARTIALLY_FAILED", result.outcome());
        assertTrue(result.reason().contains("broken-asg"), result.reason());
        assertEquals(List.of(GroupOutcome.STARTED, GroupOutcome.FAILED, GroupOutcome.STARTED),
                result.groups().stream().map(GroupResult::outcome).toList());
        assertTrue(result.groups().get(1).reason().contains("does not exist"), result.groups().get(1).reason());
        assertEquals(1, notices.ofKind(NotificationKind.REFRESH_FAILED).size());
        assertEquals(Severity.ERROR, notices.ofKind(NotificationKind.REFRESH_FAILED).get(0).severity());
    }

    @Test
    void aTransientAwsErrorFailsTheInvocationAfterTheOtherGroupsSoLambdaRetries() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled())
                .template("lt-0other00000000000", OLD_AMI).group("api-asg", "lt-0other00000000000", "1", enabled());
        doThrow(Ec2Exception.builder().message("Request limit exceeded.").statusCode(503)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("RequestLimitExceeded").build())
                .build())
                .when(aws.ec2).describeLaunchTemplateVersions(argThat((DescribeLaunchTemplateVersionsRequest r) -> LT.equals(r.launchTemplateId())));

        TransientFailure thrown = assertThrows(TransientFailure.class, () -> service().release(release(NEW_AMI, false)));

        assertTrue(thrown.getMessage().contains("web-asg") && !thrown.getMessage().contains("api-asg"), thrown.getMessage());
        assertEquals(1, aws.refreshes.getOrDefault("api-asg", List.of()).size(), "the other group was still handled");
        assertFalse(aws.refreshes.containsKey("web-asg"));
    }

    /** Another invocation winning the head write every time: nothing is done twice, and the invocation is retried. */
    @Test
    void headWritesLostOverAndOverFailTheInvocationWithoutActing() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        io.amirollout.shared.state.StateTable alwaysLoses = new io.amirollout.shared.state.StateTable() {
            public java.util.Optional<io.amirollout.shared.state.StateItem> get(String pk, String sk) { return table.get(pk, sk); }
            public List<io.amirollout.shared.state.StateItem> query(String pk, String prefix) { return table.query(pk, prefix); }
            public boolean putIfAbsent(io.amirollout.shared.state.StateItem item) { return table.putIfAbsent(item); }
            public boolean replace(io.amirollout.shared.state.StateItem item) { return !"head".equals(item.sk()) && table.replace(item); }
            public void put(io.amirollout.shared.state.StateItem item) { table.put(item); }
            public void delete(String pk, String sk) { table.delete(pk, sk); }
        };
        InstanceRefreshService service = new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state"))), REGION, aws.ec2, aws.autoScaling, notices,
                new io.amirollout.shared.state.GroupLedger(alwaysLoses), Clock.fixed(SUNDAY_0030, ZoneOffset.UTC));

        TransientFailure thrown = assertThrows(TransientFailure.class, () -> service.release(release(NEW_AMI, false)));

        assertTrue(thrown.getMessage().contains("web-asg"), thrown.getMessage());
        assertEquals(List.of(), aws.mutatingCalls(), "no AWS change without winning the head write");
    }

    @Test
    void dryRunDecidesEverythingAndChangesNothing() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled())
                .group("later-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed"));

        RefreshResult result = service().release(release(NEW_AMI, true));

        assertTrue(result.dryRun());
        assertEquals(GroupOutcome.STARTED, result.groups().get(0).outcome());
        assertTrue(result.groups().get(0).reason().startsWith("dry run: "), result.groups().get(0).reason());
        assertTrue(result.groups().get(0).plan().stream().anyMatch(c -> c.startsWith("pin web-asg from $Latest to version 1")),
                result.groups().get(0).plan()::toString);
        assertEquals(0, table.writes(), "a dry run writes nothing to the state of record either");
        assertEquals(GroupOutcome.DEFERRED, result.groups().get(1).outcome());
        assertEquals(List.of(), aws.mutatingCalls());
        verify(aws.ec2, never()).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        verify(aws.autoScaling, never()).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        verify(aws.autoScaling, never()).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));
        assertTrue(notices.all().stream().allMatch(n -> n.title().startsWith("[dry run]") && Boolean.TRUE.equals(n.details().get("dryRun"))));
    }

    @Test
    void dryRunFromTheEnvironmentToo() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.PENDING_IMAGE, NEW_AMI));

        RefreshResult result = service("DRY_RUN", "true").tick();

        assertTrue(result.dryRun());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void preferencesComeFromTheGroupsTags() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.MIN_HEALTHY_PERCENTAGE, "75",
                RolloutTags.INSTANCE_WARMUP, "300", RolloutTags.CHECKPOINTS, "20,50", RolloutTags.CHECKPOINT_DELAY, "600",
                RolloutTags.ALARMS, "web-5xx, web-latency"));

        only(service("SCALE_IN_PROTECTED_INSTANCES", "Refresh", "STANDBY_INSTANCES", "terminate").release(release(NEW_AMI, false)));

        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        RefreshPreferences prefs = start.getValue().preferences();
        assertEquals(75, prefs.minHealthyPercentage());
        assertEquals(300, prefs.instanceWarmup());
        assertEquals(List.of(20, 50, 100), prefs.checkpointPercentages(), "a checkpoint list always ends at 100");
        assertEquals(600, prefs.checkpointDelay());
        assertEquals(List.of("web-5xx", "web-latency"), prefs.alarmSpecification().alarms());
        assertEquals("Refresh", prefs.scaleInProtectedInstancesAsString());
        assertEquals("Terminate", prefs.standbyInstancesAsString());
    }

    @Test
    void aGroupWithTestsConfiguredGetsAnEarlyCheckpointForRefreshVerifier() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.TEST_DOCUMENT, "web-health-check",
                RolloutTags.CHECKPOINTS, "50"));

        only(service().release(release(NEW_AMI, false)));

        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        RefreshPreferences prefs = start.getValue().preferences();
        assertEquals(List.of(10, 50, 100), prefs.checkpointPercentages(), "refresh-verifier tests at 10 % before half the group is replaced");
        assertEquals(900, prefs.checkpointDelay(), "the delay the tests run in, when the group sets none");
    }

    @Test
    void earlyCheckpointNoneKeepsTheGroupsOwnCheckpoints() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.TEST_DOCUMENT, "web-health-check",
                RolloutTags.EARLY_CHECKPOINT, "none"));

        only(service().release(release(NEW_AMI, false)));

        ArgumentCaptor<StartInstanceRefreshRequest> start = ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(aws.autoScaling).startInstanceRefresh(start.capture());
        assertTrue(start.getValue().preferences().checkpointPercentages().isEmpty());
    }

    @Test
    void malformedTagsAreRefusedBeforeAnythingChanges() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled(RolloutTags.CHECKPOINTS, "50,20",
                RolloutTags.UPDATE_DAY, "someday"));

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("ascending"), group.reason());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void aTemplateThatReadsItsAmiFromSsmIsSkipped() {
        aws.template(LT, "resolve:ssm:/golden/al2023").group("web-asg", LT, "1", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("SSM"), group.reason());
    }

    // ----- which groups -----

    @Test
    void aReleaseOnlyReachesGroupsThatRunThatImage() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled())
                .group("ubuntu-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, "golden-ubuntu"))
                .group("off-asg", LT, "1", Map.of(RolloutTags.ENABLED, "false", RolloutTags.IMAGE, IMAGE));

        RefreshResult result = service().release(release(NEW_AMI, false));

        assertEquals(List.of("web-asg"), result.groups().stream().map(GroupResult::autoScalingGroup).toList());
    }

    @Test
    void anExplicitGroupListNeedsNoTags() {
        aws.template(LT, OLD_AMI).group("seed-asg", LT, "$Latest", Map.of()).group("web-asg", LT, "1", enabled());

        RefreshResult result = byName("seed-asg", "DEFAULT_IMAGE_NAME", IMAGE).tick();

        assertEquals(List.of("seed-asg"), result.groups().stream().map(GroupResult::autoScalingGroup).toList());
        assertEquals(GroupOutcome.STARTED, only(result).outcome(), only(result).reason());
        assertEquals(NEW_AMI, only(result).imageId());
    }

    @Test
    void aReleaseWithoutAnAmiForThisRegionIsSkipped() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        ImageReleased elsewhere = ImageReleased.from(Json.readTree("""
                {"image":{"name":"golden-al2023"},"amis":[{"region":"us-east-1","imageId":"ami-09f8e7d6c5b4a3921"}]}"""));

        RefreshResult result = service().release(elsewhere);

        assertEquals("SKIPPED", result.outcome());
        assertTrue(result.reason().contains("eu-west-1"));
        assertEquals(List.of(), aws.calls());
    }

    // ----- the group's own image and architecture (an arm64 build of a longer name never stands in) -----

    static final String ARM_AMI = "ami-0a11a11a11a11a0a9";

    /** "golden-al2023-arm64 …", trusted, built after NEW_AMI: a prefix match and a newer date, but not this image. */
    private void armBuildOfALongerName() {
        aws.image(ARM_AMI, TRUSTED, IMAGE + "-arm64 2026-11-21T10-00-00Z", "2026-11-21T10:30:00.000Z",
                ArchitectureValues.ARM64, ImageState.AVAILABLE);
    }

    static ImageReleased armRelease() {
        return ImageReleased.from(Json.readTree("""
                {"version":"1","image":{"name":"golden-al2023-arm64","version":"1.0.3/1"},
                 "amis":[{"region":"eu-west-1","imageId":"%s","name":"golden-al2023-arm64 2026-11-21T10-00-00Z","accountId":"111122223333"}],
                 "dryRun":false}""".formatted(ARM_AMI)));
    }

    @Test
    void aTickTakesTheNewestAmiOfTheGroupsImageAndArchitectureNotANewerArmBuildOfALongerName() {
        armBuildOfALongerName();
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        GroupResult group = only(byName("web-asg").tick());

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals(NEW_AMI, group.imageId());
        ArgumentCaptor<DescribeImagesRequest> calls = ArgumentCaptor.forClass(DescribeImagesRequest.class);
        verify(aws.ec2, atLeastOnce()).describeImages(calls.capture());
        assertTrue(calls.getAllValues().stream().anyMatch(r -> r.filters().stream().anyMatch(f -> f.name().equals("architecture")
                && f.values().equals(List.of("x86_64")))), "the name search asks EC2 for the group's architecture");
        calls.getAllValues().forEach(r -> assertEquals(List.of(TRUSTED), r.owners(), "every DescribeImages names Owners"));
    }

    @Test
    void aManualRequestWithoutAmiIsNotBlockedByANewerArmBuild() {
        armBuildOfALongerName();
        aws.template(LT, OLD_AMI).group("web-asg", LT, "$Latest", enabled());

        GroupResult group = only(service().manual(new ManualRequest("web-asg", null, false, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals(NEW_AMI, group.imageId());
    }

    @Test
    void aRefreshDeferredToTheWindowIsStartedByATickEvenWhenANewerArmBuildExists() {
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled(RolloutTags.UPDATE_DAY, "wed", RolloutTags.UPDATE_TIME, "15:00"));
        assertEquals(GroupOutcome.DEFERRED, only(service().release(release(NEW_AMI, false))).outcome());
        armBuildOfALongerName();

        GroupResult group = only(service(Instant.parse("2026-11-25T15:10:00Z")).tick());

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals(NEW_AMI, group.imageId());
        assertEquals("2", group.newVersion(), "the pending version");
        verify(aws.ec2, times(1)).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
    }

    @Test
    void aDesiredAmiThatCannotBeUsedDoesNotBlockTheNewestByName() {
        // The recorded desired AMI is newer but no longer available: the next usable candidate wins.
        aws.image("ami-0ccccccccccccccc0", TRUSTED, IMAGE + " 2026-11-30T10-00-00Z", "2026-11-30T10:00:00.000Z",
                ArchitectureValues.X86_64, ImageState.DEREGISTERED);
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());
        ledger.writeHead(ledger.head("web-asg").desire("ami-0ccccccccccccccc0", io.amirollout.shared.state.ReleaseSource.RELEASE,
                SUNDAY_0030));

        GroupResult group = only(byName("web-asg").tick());

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertEquals(NEW_AMI, group.imageId());
    }

    @Test
    void anArmReleaseDoesNotReachGroupsOfTheX86ImageAtAllNoNotices() {
        armBuildOfALongerName();
        aws.template(LT, OLD_AMI).group("web-asg", LT, "1", enabled());

        RefreshResult result = service().release(armRelease());

        assertEquals(List.of(), result.groups(), "golden-al2023-arm64 is another image: " + result.groups());
        assertEquals(List.of(), notices.all());
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void aGroupThatNamesTheReleasedImageButCannotRunItsArchitectureIsToldSo() {
        armBuildOfALongerName();
        aws.template(LT, OLD_AMI).group("arm-named-asg", LT, "1", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, "golden-al2023-arm64"));

        GroupResult group = only(service().release(armRelease()));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("arm64") && group.reason().contains("x86_64"), group.reason());
        assertEquals(Severity.WARNING, notices.only().severity(), "the group asked for this image: a person should know");
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void aListedGroupWithoutImageNameSkipsAnotherArchitectureQuietly() {
        armBuildOfALongerName();
        aws.template(LT, OLD_AMI).group("seed-asg", LT, "1", Map.of());

        GroupResult group = only(service("TARGET_AUTO_SCALING_GROUPS", "seed-asg").release(armRelease()));

        assertEquals(GroupOutcome.SKIPPED, group.outcome());
        assertTrue(group.reason().contains("arm64"), group.reason());
        assertEquals(List.of(), notices.all(), "it did not name this image: logged, not announced");
        assertEquals(List.of(), aws.mutatingCalls());
    }

    // ----- groups sharing a launch template -----

    @Test
    void aGroupOnLatestSharingItsTemplateIsPinnedBeforeAnotherGroupsVersionIsCreated() {
        aws.template(LT, OLD_AMI).group("a-pinned", LT, "1", enabled()).group("b-latest", LT, "$Latest", enabled());

        RefreshResult result = service().release(release(NEW_AMI, false));

        GroupResult floating = result.groups().get(1);
        assertEquals("b-latest", floating.autoScalingGroup());
        assertEquals(GroupOutcome.STARTED, floating.outcome(), floating.reason());
        assertTrue(floating.pinned());
        assertEquals("1", floating.previousVersion(), "what it ran, not the version made for a-pinned");
        assertEquals("2", floating.newVersion(), "the same version as a-pinned: one version per source and AMI");
        assertEquals("1", aws.groups.get("b-latest").launchTemplate().version());
        assertEquals(2, aws.refreshes.get("b-latest").size() + aws.refreshes.get("a-pinned").size());
        assertEquals(2, aws.versionsOf(LT).size());
        InOrder order = inOrder(aws.autoScaling, aws.ec2);
        order.verify(aws.autoScaling).updateAutoScalingGroup(argThat((UpdateAutoScalingGroupRequest r) ->
                "b-latest".equals(r.autoScalingGroupName()) && "1".equals(r.launchTemplate().version())));
        order.verify(aws.ec2).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        verify(aws.autoScaling, times(1)).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));
        assertTrue(result.groups().get(0).reason().contains("b-latest"), result.groups().get(0).reason());
    }

    @Test
    void aFloatingGroupOfAnotherImageOnTheSameTemplateIsPinnedButNotRefreshed() {
        aws.template(LT, OLD_AMI).group("a-pinned", LT, "1", enabled())
                .group("c-latest", LT, "$Latest", Map.of(RolloutTags.ENABLED, "true", RolloutTags.IMAGE, "golden-ubuntu"));

        RefreshResult result = service().release(release(NEW_AMI, false));

        assertEquals(List.of("a-pinned"), result.groups().stream().map(GroupResult::autoScalingGroup).toList());
        assertEquals("1", aws.groups.get("c-latest").launchTemplate().version(), "the new version never reaches it by scale-out");
        assertFalse(aws.refreshes.containsKey("c-latest"));
    }

    @Test
    void aSharedTemplateInADryRunIsOnlyDescribed() {
        aws.template(LT, OLD_AMI).group("a-pinned", LT, "1", enabled()).group("b-latest", LT, "$Latest", enabled());

        RefreshResult result = service().release(release(NEW_AMI, true));

        assertTrue(result.groups().get(0).plan().stream().anyMatch(c -> c.startsWith("pin b-latest")), result.groups().get(0).plan()::toString);
        assertEquals(List.of(), aws.mutatingCalls());
    }

    @Test
    void aGroupThatFloatedOntoAVersionMadeEarlierForAnotherGroupIsPinnedBackAndRefreshed() {
        // A previous invocation made version 2 for another group; this $Latest group was not a target then.
        aws.template(LT, OLD_AMI);
        aws.versionsOf(LT).add(FakeAws.version(LT, 2, NEW_AMI, "m5.large", LaunchTemplateUpdater.description(
                software.amazon.awssdk.services.ec2.model.Image.builder().imageId(NEW_AMI).build(), 1)));
        aws.group("late-latest", LT, "$Latest", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.STARTED, group.outcome(), group.reason());
        assertTrue(group.pinned());
        assertEquals("1", group.previousVersion(), "rollback goes to what it ran before it floated");
        assertEquals("2", group.newVersion());
        assertEquals(2, aws.versionsOf(LT).size(), "the existing version is reused");
        assertEquals("1", aws.tagsOf("late-latest").get(RolloutTags.PREVIOUS_VERSION));
    }

    @Test
    void aFloatingGroupWhoseTemplateAlreadyHasTheAmiIsPinnedAndReportedUpToDate() {
        aws.template(LT, OLD_AMI, NEW_AMI).group("web-asg", LT, "$Latest", enabled());

        GroupResult group = only(service().release(release(NEW_AMI, false)));

        assertEquals(GroupOutcome.UP_TO_DATE, group.outcome(), group.reason());
        assertTrue(group.pinned());
        assertEquals("2", aws.groups.get("web-asg").launchTemplate().version());
        assertEquals(List.of("updateAutoScalingGroup"), aws.mutatingCalls());
    }
}
