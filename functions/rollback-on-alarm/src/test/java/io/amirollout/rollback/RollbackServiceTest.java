package io.amirollout.rollback;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.Severity;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.CancelInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.CancelInstanceRefreshResponse;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsResponse;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesResponse;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.IrreversibleInstanceRefreshException;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.RollbackInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.RollbackInstanceRefreshResponse;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.amirollout.rollback.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

class RollbackServiceTest {

    private static final Instant STARTED = NOW.minus(Duration.ofMinutes(30));
    private static final Instant ENDED_RECENTLY = NOW.minus(Duration.ofMinutes(10));

    private AutoScalingClient autoScaling;
    private RecordingPublisher notices;
    private InMemoryStateTable table;
    private final Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
    private final Map<String, List<InstanceRefresh>> refreshes = new HashMap<>();

    @BeforeEach
    void setUp() {
        autoScaling = autoScalingMock();
        notices = new RecordingPublisher();
        table = new InMemoryStateTable();
        // The tag mirror: what CreateOrUpdateTags / DeleteTags do to the group.
        when(autoScaling.createOrUpdateTags(any(CreateOrUpdateTagsRequest.class))).thenAnswer(inv -> {
            CreateOrUpdateTagsRequest request = inv.getArgument(0);
            request.tags().forEach(t -> groups.computeIfPresent(t.resourceId(), (k, g) -> withTag(g, t.key(), t.value())));
            return CreateOrUpdateTagsResponse.builder().build();
        });
        when(autoScaling.deleteTags(any(DeleteTagsRequest.class))).thenAnswer(inv -> {
            DeleteTagsRequest request = inv.getArgument(0);
            request.tags().forEach(t -> groups.computeIfPresent(t.resourceId(), (k, g) -> withTag(g, t.key(), null)));
            return DeleteTagsResponse.builder().build();
        });
        when(autoScaling.describeAutoScalingGroups(any(DescribeAutoScalingGroupsRequest.class))).thenAnswer(inv -> {
            DescribeAutoScalingGroupsRequest request = inv.getArgument(0);
            List<AutoScalingGroup> found = new ArrayList<>();
            for (AutoScalingGroup group : groups.values()) {
                boolean named = request.hasAutoScalingGroupNames()
                        && request.autoScalingGroupNames().contains(group.autoScalingGroupName());
                boolean tagged = request.hasFilters() && group.tags().stream().anyMatch(t -> t.key().equals(RolloutTags.ALARMS));
                if (named || tagged) {
                    found.add(group);
                }
            }
            return DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(found).build();
        });
        when(autoScaling.describeInstanceRefreshes(any(DescribeInstanceRefreshesRequest.class))).thenAnswer(inv -> {
            DescribeInstanceRefreshesRequest request = inv.getArgument(0);
            return DescribeInstanceRefreshesResponse.builder()
                    .instanceRefreshes(refreshes.getOrDefault(request.autoScalingGroupName(), List.of())).build();
        });
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class)))
                .thenReturn(RollbackInstanceRefreshResponse.builder().instanceRefreshId("rf-active").build());
        when(autoScaling.startInstanceRefresh(any(StartInstanceRefreshRequest.class)))
                .thenReturn(StartInstanceRefreshResponse.builder().instanceRefreshId("rf-forward").build());
        when(autoScaling.cancelInstanceRefresh(any(CancelInstanceRefreshRequest.class)))
                .thenReturn(CancelInstanceRefreshResponse.builder().instanceRefreshId("rf-active").build());
    }

    private RollbackService service(RollbackOnAlarmConfig config) {
        return new RollbackService(autoScaling, table, notices, config, CLOCK);
    }

    private static AutoScalingGroup withTag(AutoScalingGroup group, String key, String value) {
        List<software.amazon.awssdk.services.autoscaling.model.TagDescription> tags = new ArrayList<>(group.tags());
        tags.removeIf(t -> t.key().equals(key));
        if (value != null) {
            tags.add(tag(group.autoScalingGroupName(), key, value));
        }
        return group.toBuilder().tags(tags).build();
    }

    private GroupLedger ledger() {
        return new GroupLedger(table);
    }

    private RollbackService service() {
        return service(config());
    }

    /**
     * The group and its refreshes; the newest refresh to version 8 is recorded as ours (as instance-refresh records
     * its starts: {@link Fixtures#BAD_AMI}, version 7 -> 8).
     */
    private void given(AutoScalingGroup group, InstanceRefresh... history) {
        givenForeign(group, history);
        java.util.Arrays.stream(history).filter(r -> r.desiredConfiguration() != null
                        && "8".equals(r.desiredConfiguration().launchTemplate().version()))
                .max(java.util.Comparator.comparing((InstanceRefresh r) -> r.startTime() == null ? Instant.MAX : r.startTime()))
                .ifPresent(r -> ours(table, group.autoScalingGroupName(), r.instanceRefreshId(),
                        "Successful".equals(r.statusAsString()) ? ReleaseState.SUCCEEDED : ReleaseState.STARTED));
    }

    /** The group and its refreshes, with nothing recorded: none of them was started by ami-rollout. */
    private void givenForeign(AutoScalingGroup group, InstanceRefresh... history) {
        groups.put(group.autoScalingGroupName(), group);
        refreshes.put(group.autoScalingGroupName(), List.of(history));
    }

    /** Our release as the test needs it recorded (version before it, template). */
    private void recorded(String group, String refreshId, String fromVersion, String templateId) {
        Instant at = STARTED;
        GroupLedger ledger = ledger();
        assertTrue(ledger.writeHead(ledger.head(group).desire(BAD_AMI, ReleaseSource.RELEASE, at).started(BAD_AMI, at)));
        assertTrue(ledger.writeRelease(GroupRelease.received(group, BAD_AMI, "golden", "c", ReleaseSource.RELEASE, false, at)
                .started(templateId, fromVersion, "8", refreshId, at)));
    }

    private void verifyNothingChanged() {
        verify(autoScaling, never()).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
        verify(autoScaling, never()).cancelInstanceRefresh(any(CancelInstanceRefreshRequest.class));
        verify(autoScaling, never()).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
    }

    private static AutoScalingException awsError(AutoScalingException.Builder builder, String code, String message) {
        return (AutoScalingException) builder.statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).build();
    }

    // --- active refresh -> RollbackInstanceRefresh ----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"Pending", "InProgress", "Baking"})
    void anActiveRefreshIsRolledBack(String status) {
        given(group("web-asg"), refresh("rf-active", status, "8", "Pending".equals(status) ? null : STARTED, null));

        RollbackResult result = service().handle(firing(), false);

        verify(autoScaling).rollbackInstanceRefresh(RollbackInstanceRefreshRequest.builder().autoScalingGroupName("web-asg").build());
        verify(autoScaling, never()).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        assertEquals("ACTED", result.outcome());
        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.ROLLBACK_STARTED, group.outcome());
        assertEquals("8", group.fromVersion());
        assertEquals("8", group.toVersion(), "the group's own version while the refresh runs");
        Notification notice = notices.only();
        assertEquals(NotificationKind.ROLLBACK_STARTED, notice.kind());
        assertEquals(Severity.WARNING, notice.severity());
        assertEquals(ALARM, notice.details().get("alarmName"));
        assertEquals("web-asg", notice.details().get("autoScalingGroup"));
        assertEquals("rf-active", notice.details().get("instanceRefreshId"));
        assertEquals("Threshold Crossed", notice.details().get("alarmReason"));
        assertTrue(notice.title().contains("web-asg") && notice.title().contains(ALARM), notice.title());
        assertEquals("444455556666", notice.accountId());
        assertEquals(ReleaseState.ROLLED_BACK, ledger().release("web-asg", BAD_AMI).orElseThrow().state());
        assertEquals("rollback-on-alarm", ledger().rejection("web-asg", BAD_AMI).orElseThrow().by());
        assertTrue(String.valueOf(notice.details().get("plan")).contains("REJECT " + BAD_AMI), String.valueOf(notice.details().get("plan")));
    }

    @Test
    void aRefreshThisProjectDidNotStartIsStillRolledBackButNothingIsRecordedRejected() {
        givenForeign(group("web-asg"), refresh("rf-theirs", "InProgress", "8", STARTED, null));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals(GroupOutcome.ROLLBACK_STARTED, group.outcome());
        verify(autoScaling).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
        assertTrue(ledger().rejected("web-asg").isEmpty(), "its AMI is unknown to the record");
        assertTrue(group.reason().contains("did not record"), group.reason());
    }

    @Test
    void toVersionIsTheGroupsSavedConfigurationDuringTheRefresh() {
        AutoScalingGroup group = group("web-asg").toBuilder().launchTemplate(LaunchTemplateSpecification.builder()
                .launchTemplateId(TEMPLATE).version("7").build()).build();
        given(group, refresh("rf-active", "InProgress", "8", STARTED, null));

        GroupResult result = service().handle(firing(), false).groups().get(0);

        assertEquals("8", result.fromVersion());
        assertEquals("7", result.toVersion());
    }

    @Test
    void anIrreversibleRefreshIsCancelledAndSaidLoudly() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "$Latest", STARTED, null));
        ours(table, "web-asg", "rf-active", ReleaseState.STARTED);
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenThrow(awsError(
                IrreversibleInstanceRefreshException.builder(), "IrreversibleInstanceRefresh",
                "The instance refresh can't be rolled back because the group uses $Latest"));

        RollbackResult result = service().handle(firing(), false);

        verify(autoScaling).cancelInstanceRefresh(CancelInstanceRefreshRequest.builder().autoScalingGroupName("web-asg").build());
        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.CANCELLED_NOT_ROLLED_BACK, group.outcome());
        assertTrue(group.reason().contains("CANCELLED, NOT rolled back"), group.reason());
        assertEquals(ReleaseState.FAILED, ledger().release("web-asg", BAD_AMI).orElseThrow().state(), "cancelled is not rolled back");
        assertTrue(ledger().rejection("web-asg", BAD_AMI).isPresent(), "the alarm fired during it: rejected all the same");
        assertTrue(group.reason().contains("IrreversibleInstanceRefresh"), group.reason());
        assertEquals("FAILED", result.outcome());
        assertEquals(List.of("web-asg"), result.failed());
        Notification notice = notices.only();
        assertEquals(NotificationKind.ROLLBACK_FAILED, notice.kind());
        assertEquals(Severity.ERROR, notice.severity());
        assertTrue(notice.title().contains("CANCELLED, NOT rolled back"), notice.title());
    }

    @Test
    void whenCancellingAnIrreversibleRefreshFailsTooTheGroupFails() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "$Latest", STARTED, null));
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenThrow(awsError(
                IrreversibleInstanceRefreshException.builder(), "IrreversibleInstanceRefresh", "no desired configuration"));
        when(autoScaling.cancelInstanceRefresh(any(CancelInstanceRefreshRequest.class))).thenThrow(awsError(
                ActiveInstanceRefreshNotFoundException.builder(), "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found"));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals(GroupOutcome.FAILED, group.outcome());
        assertTrue(group.reason().contains("cancelling it failed too"), group.reason());
        assertEquals(NotificationKind.ROLLBACK_FAILED, notices.only().kind());
    }

    @Test
    void aRefreshThatEndedJustBeforeTheRollbackIsDecidedAgain() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenAnswer(inv -> {
            refreshes.put("web-asg", List.of(refresh("rf-active", "Successful", "8", STARTED, NOW.minusSeconds(5))));
            throw awsError(ActiveInstanceRefreshNotFoundException.builder(), "ActiveInstanceRefreshNotFound",
                    "No in progress or pending Instance Refresh found for Auto Scaling group web-asg");
        });

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals(GroupOutcome.ROLL_FORWARD_STARTED, group.outcome());
        verify(autoScaling).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RollbackInProgress", "Cancelling"})
    void aRollbackAlreadyUnderWayIsLeftAlone(String status) {
        given(group("web-asg"), refresh("rf-active", status, "8", STARTED, null));

        RollbackResult result = service().handle(firing(), false);

        verifyNothingChanged();
        assertEquals(GroupOutcome.ALREADY_UNDOING, result.groups().get(0).outcome());
        assertEquals("ACTED", result.outcome());
        assertTrue(notices.all().isEmpty(), "duplicate alarms are normal: no second notice");
        if (status.equals("RollbackInProgress")) {
            // A previous attempt started the rollback but failed before recording it: the duplicate finishes the record.
            assertEquals(ReleaseState.ROLLED_BACK, ledger().release("web-asg", BAD_AMI).orElseThrow().state());
            assertTrue(ledger().rejection("web-asg", BAD_AMI).isPresent());
        }
        int writes = table.writes();
        service().handle(firing(), false);
        assertEquals(writes, table.writes(), "a second duplicate writes nothing");
    }

    // --- finished Successful -> roll forward ------------------------------------------------------------------

    @Test
    void aRecentSuccessIsRolledForwardToThePreviousVersion() {
        given(group("web-asg", Map.of(RolloutTags.MIN_HEALTHY_PERCENTAGE, "75", RolloutTags.INSTANCE_WARMUP, "120")),
                refresh("rf-old", "Successful", "6", STARTED.minus(Duration.ofDays(14)), NOW.minus(Duration.ofDays(14))),
                refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));

        RollbackResult result = service().handle(firing(), false);

        StartInstanceRefreshRequest start = captureStart();
        assertEquals("web-asg", start.autoScalingGroupName());
        assertEquals("Rolling", start.strategyAsString());
        assertEquals(TEMPLATE, start.desiredConfiguration().launchTemplate().launchTemplateId());
        assertEquals("7", start.desiredConfiguration().launchTemplate().version());
        assertTrue(start.preferences().skipMatching());
        assertFalse(start.preferences().autoRollback());
        assertEquals(75, start.preferences().minHealthyPercentage());
        assertEquals(120, start.preferences().instanceWarmup());
        assertNull(start.preferences().alarmSpecification(), "the firing alarm must not guard its own undo");
        verify(autoScaling, never()).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));

        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.ROLL_FORWARD_STARTED, group.outcome());
        assertEquals("rf-done", group.instanceRefreshId());
        assertEquals("rf-forward", group.newInstanceRefreshId());
        assertEquals("8", group.fromVersion());
        assertEquals("7", group.toVersion());
        Notification notice = notices.only();
        assertEquals(NotificationKind.ROLLBACK_STARTED, notice.kind());
        assertEquals("7", notice.details().get("toVersion"));
        assertEquals("8", notice.details().get("fromVersion"));
        assertEquals("rf-forward", notice.details().get("newInstanceRefreshId"));
        assertEquals(ReleaseState.ROLLED_FORWARD, ledger().release("web-asg", BAD_AMI).orElseThrow().state());
        assertEquals("rf-done", ledger().rejection("web-asg", BAD_AMI).orElseThrow().refreshId());
        AutoScalingGroup mirrored = groups.get("web-asg");
        assertEquals("7", AutoScalingGroups.tag(mirrored, RolloutTags.CURRENT_VERSION).orElseThrow());
        assertTrue(AutoScalingGroups.tag(mirrored, RolloutTags.PREVIOUS_VERSION).isEmpty());
    }

    @Test
    void theRollForwardTargetIsTheRecordedVersionNotTheTag() {
        givenForeign(group("web-asg", Map.of(RolloutTags.PREVIOUS_VERSION, "3")), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        recorded("web-asg", "rf-done", "7", TEMPLATE);

        service().handle(firing(), false);

        assertEquals("7", captureStart().desiredConfiguration().launchTemplate().version());
    }

    @Test
    void aSuccessfulRefreshSomeoneElseStartedSinceOursIsNotRolledForward() {
        givenForeign(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, NOW.minus(Duration.ofMinutes(25))),
                refresh("rf-person", "Successful", "9", NOW.minus(Duration.ofMinutes(20)), ENDED_RECENTLY));
        recorded("web-asg", "rf-done", "7", TEMPLATE);

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.FAILED, group.outcome());
        assertTrue(group.reason().contains("rf-person") && group.reason().contains("rf-done"), group.reason());
        assertEquals(Severity.ERROR, notices.only().severity());
        assertTrue(ledger().rejected("web-asg").isEmpty());
    }

    @Test
    void warmupAboveAnHourAndTheStacksProtectedAndStandbySettingsAreUsed() {
        given(group("web-asg", Map.of(RolloutTags.INSTANCE_WARMUP, "5400", RolloutTags.CHECKPOINTS, "20,50")),
                refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        RollbackOnAlarmConfig config = new RollbackOnAlarmConfig(List.of(), List.of(), Duration.ofMinutes(60), "Refresh",
                "Terminate", "t", "", false);

        service(config).handle(firing(), false);

        StartInstanceRefreshRequest start = captureStart();
        assertEquals(5400, start.preferences().instanceWarmup());
        assertEquals("Refresh", start.preferences().scaleInProtectedInstancesAsString());
        assertEquals("Terminate", start.preferences().standbyInstancesAsString());
        assertFalse(start.preferences().hasCheckpointPercentages(), "an undo does not pause to vet the known-good version");
    }

    @Test
    void rollForwardUsesTheGroupsTemplateWhenTheRecordNamesNoneAndKeepsAMixedInstancesPolicy() {
        MixedInstancesPolicy mixed = MixedInstancesPolicy.builder().launchTemplate(LaunchTemplate.builder()
                .launchTemplateSpecification(LaunchTemplateSpecification.builder().launchTemplateId("lt-mixed").version("8").build())
                .overrides(LaunchTemplateOverrides.builder().instanceType("m7i.large").build(),
                        LaunchTemplateOverrides.builder().instanceType("m6i.large").build())
                .build()).build();
        AutoScalingGroup group = group("web-asg", java.util.Collections.singletonMap(RolloutTags.LAUNCH_TEMPLATE_ID, null))
                .toBuilder().launchTemplate((LaunchTemplateSpecification) null).mixedInstancesPolicy(mixed).build();
        givenForeign(group, refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        recorded("web-asg", "rf-done", "7", null);

        service().handle(firing(), false);

        StartInstanceRefreshRequest start = captureStart();
        assertNull(start.desiredConfiguration().launchTemplate());
        LaunchTemplate template = start.desiredConfiguration().mixedInstancesPolicy().launchTemplate();
        assertEquals("lt-mixed", template.launchTemplateSpecification().launchTemplateId());
        assertEquals("7", template.launchTemplateSpecification().version());
        assertEquals(2, template.overrides().size());
        assertEquals(90, start.preferences().minHealthyPercentage(), "default when the tag is absent");
    }

    @Test
    void aSuccessOlderThanTheGraceIsTheBaselineNow() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(61))));

        RollbackResult result = service().handle(firing(), false);

        verifyNothingChanged();
        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.NOTHING_TO_UNDO, group.outcome());
        assertTrue(group.reason().contains("more than 60 minutes ago"), group.reason());
        assertEquals(NotificationKind.ROLLBACK_SKIPPED, notices.only().kind());
        assertEquals(Severity.INFO, notices.only().severity());
    }

    @Test
    void theGracePeriodIsConfigurable() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(61))));

        service(new RollbackOnAlarmConfig(List.of(), List.of(), Duration.ofMinutes(120), "Ignore", "Ignore", "t", "", false))
                .handle(firing(), false);

        assertEquals("7", captureStart().desiredConfiguration().launchTemplate().version());
    }

    @Test
    void aMissingRecordedVersionFailsWithTheReason() {
        givenForeign(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        recorded("web-asg", "rf-done", null, TEMPLATE);

        RollbackResult result = service().handle(firing(), false);

        verifyNothingChanged();
        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.FAILED, group.outcome());
        assertTrue(group.reason().contains("version before it is missing"), group.reason());
        assertEquals(NotificationKind.ROLLBACK_FAILED, notices.only().kind());
        assertEquals(Severity.ERROR, notices.only().severity());
    }

    @Test
    void aSymbolicRecordedVersionIsRefused() {
        givenForeign(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        recorded("web-asg", "rf-done", "$Latest", TEMPLATE);

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.FAILED, group.outcome());
        assertTrue(group.reason().contains("not a version number"), group.reason());
    }

    @Test
    void aGroupWithoutLaunchTemplateCannotBeRolledForward() {
        AutoScalingGroup group = group("web-asg", java.util.Collections.singletonMap(RolloutTags.LAUNCH_TEMPLATE_ID, null))
                .toBuilder().launchTemplate((LaunchTemplateSpecification) null).launchConfigurationName("web-lc").build();
        givenForeign(group, refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        recorded("web-asg", "rf-done", "7", null);

        GroupResult result = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.FAILED, result.outcome());
        assertTrue(result.reason().contains("names a launch template"), result.reason());
    }

    @Test
    void aGroupAlreadyBackOnThePreviousVersionNeedsNothing() {
        AutoScalingGroup group = group("web-asg").toBuilder().launchTemplate(LaunchTemplateSpecification.builder()
                .launchTemplateId(TEMPLATE).version("7").build()).build();
        given(group, refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));

        assertEquals(GroupOutcome.NOTHING_TO_UNDO, service().handle(firing(), false).groups().get(0).outcome());
        verifyNothingChanged();
    }

    // --- duplicates and idempotency ------------------------------------------------------------------------

    @Test
    void aSecondIdenticalAlarmAfterARollForwardChangesNothing() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        when(autoScaling.startInstanceRefresh(any(StartInstanceRefreshRequest.class))).thenAnswer(inv -> {
            // AWS now lists our roll-forward as the newest refresh, still running.
            refreshes.put("web-asg", List.of(refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY),
                    refresh("rf-forward", "Pending", "7", null, null)));
            return StartInstanceRefreshResponse.builder().instanceRefreshId("rf-forward").build();
        });

        RollbackResult first = service().handle(firing(), false);
        RollbackResult second = service().handle(firing(), false);

        assertEquals(GroupOutcome.ROLL_FORWARD_STARTED, first.groups().get(0).outcome());
        assertEquals(GroupOutcome.ALREADY_UNDOING, second.groups().get(0).outcome());
        assertTrue(second.groups().get(0).reason().contains("roll-forward"), second.groups().get(0).reason());
        verify(autoScaling, times(1)).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        verify(autoScaling, never()).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
        assertEquals(1, notices.all().size(), "one notice for one undo");
    }

    @Test
    void aFinishedRollForwardIsNotRolledForwardAgain() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY),
                refresh("rf-forward", "Successful", "7", NOW.minusSeconds(300), NOW.minusSeconds(60)));

        assertEquals(GroupOutcome.ALREADY_UNDOING, service().handle(firing(), false).groups().get(0).outcome());
        verifyNothingChanged();
    }

    @Test
    void aConcurrentDuplicateThatLosesTheStartRaceRecognisesTheWinner() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        when(autoScaling.startInstanceRefresh(any(StartInstanceRefreshRequest.class))).thenAnswer(inv -> {
            refreshes.put("web-asg", List.of(refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY),
                    refresh("rf-forward", "InProgress", "7", NOW, null)));
            throw awsError(InstanceRefreshInProgressException.builder(), "InstanceRefreshInProgress",
                    "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
        });

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals(GroupOutcome.ALREADY_UNDOING, group.outcome());
        assertTrue(notices.all().isEmpty());
    }

    @Test
    void anActiveRefreshThatIsOurRollForwardIsNotRolledBack() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY),
                refresh("rf-forward", "InProgress", "7", NOW.minusSeconds(60), null));

        assertEquals(GroupOutcome.ALREADY_UNDOING, service().handle(firing(), false).groups().get(0).outcome());
        verifyNothingChanged();
    }

    @Test
    void theNewestRefreshIsChosenWhateverOrderAwsListsThemIn() {
        given(group("web-asg"),
                refresh("rf-oldest", "Successful", "6", NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(20))),
                refresh("rf-pending", "Pending", "8", null, null),
                refresh("rf-old", "Cancelled", "8", NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2))));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals("rf-pending", group.instanceRefreshId());
        assertEquals(GroupOutcome.ROLLBACK_STARTED, group.outcome());
    }

    // --- nothing to undo ---------------------------------------------------------------------------------

    @Test
    void noRefreshMeansNothingToUndo() {
        given(group("web-asg"));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.NOTHING_TO_UNDO, group.outcome());
        assertTrue(group.reason().contains("no instance refresh"), group.reason());
        assertEquals(NotificationKind.ROLLBACK_SKIPPED, notices.only().kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Failed", "Cancelled", "RollbackSuccessful"})
    void aRefreshThatEndedWithoutChangingTheGroupNeedsNothing(String status) {
        given(group("web-asg"), refresh("rf-x", status, "8", STARTED, ENDED_RECENTLY));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.NOTHING_TO_UNDO, group.outcome());
        assertEquals(status, group.refreshStatus());
        assertEquals(Severity.INFO, notices.only().severity());
    }

    @Test
    void aFailedRollbackIsReportedAsAWarning() {
        given(group("web-asg"), refresh("rf-x", "RollbackFailed", "8", STARTED, ENDED_RECENTLY));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.NOTHING_TO_UNDO, group.outcome());
        assertEquals(Severity.WARNING, notices.only().severity());
        assertTrue(group.reason().contains("check it by hand"), group.reason());
    }

    @Test
    void anUnknownStatusIsNotActedOn() {
        given(group("web-asg"), refresh("rf-x", "Rebalancing", "8", STARTED, null));

        GroupResult group = service().handle(firing(), false).groups().get(0);

        verifyNothingChanged();
        assertEquals(GroupOutcome.FAILED, group.outcome());
        assertTrue(group.reason().contains("Rebalancing"), group.reason());
    }

    // --- which transitions act -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"OK", "INSUFFICIENT_DATA"})
    void onlyATransitionIntoAlarmActs(String state) {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));

        RollbackResult result = service().handle(alarm(state, "ALARM"), false);

        verifyNoInteractions(autoScaling);
        assertEquals("IGNORED", result.outcome());
        assertTrue(notices.all().isEmpty());
    }

    @Test
    void anAlarmToAlarmReNotificationIsADuplicate() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));

        RollbackResult result = service().handle(alarm("ALARM", "ALARM"), false);

        verifyNoInteractions(autoScaling);
        assertEquals("IGNORED", result.outcome());
        assertTrue(result.reason().contains("re-notification"), result.reason());
    }

    @Test
    void alarmToAlarmAfterASuppressionEndsActs() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));
        AlarmStateChange change = new AlarmStateChange(ALARM, ALARM_ARN, AlarmKind.COMPOSITE, "ALARM", "ALARM", "r",
                null, "WaitPeriod", null, "444455556666", "eu-west-1", "t", AlarmStateChange.Via.ALARM_ACTION, null);

        assertEquals("ACTED", service().handle(change, false).outcome());
        verify(autoScaling).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
    }

    @Test
    void suppressedOrMutedActionsAreHonoured() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));
        AlarmStateChange suppressed = new AlarmStateChange(ALARM, ALARM_ARN, AlarmKind.COMPOSITE, "ALARM", "OK", "r",
                "Alarm", null, null, "1", null, "t", AlarmStateChange.Via.EVENTBRIDGE, null);
        AlarmStateChange muted = new AlarmStateChange(ALARM, ALARM_ARN, AlarmKind.METRIC, "ALARM", "OK", "r",
                null, null, "arn:aws:cloudwatch:eu-west-1:1:alarm-mute-rule:deploys", "1", null, "t",
                AlarmStateChange.Via.EVENTBRIDGE, null);

        assertEquals("IGNORED", service().handle(suppressed, false).outcome());
        RollbackResult mutedResult = service().handle(muted, false);
        assertEquals("IGNORED", mutedResult.outcome());
        assertTrue(mutedResult.reason().contains("alarm-mute-rule:deploys"), mutedResult.reason());
        verifyNoInteractions(autoScaling);
    }

    @Test
    void aMissingPreviousStateStillActs() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));
        assertEquals("ACTED", service().handle(alarm("ALARM", null), false).outcome());
    }

    // --- dry run -------------------------------------------------------------------------------------------

    @Test
    void dryRunFromTheEventDecidesAndReportsButChangesNothing() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "$Latest", STARTED, null));
        given(group("api-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));

        RollbackResult result = service().handle(firing(), true);

        verifyNothingChanged();
        assertTrue(result.dryRun());
        assertEquals(GroupOutcome.WOULD_ROLL_BACK, result.groups().get(0).outcome());
        assertTrue(String.join(" ", result.groups().get(0).plan()).contains("AWS will refuse the rollback"), result.groups().get(0).plan().toString());
        assertTrue(result.groups().get(1).plan().get(1).startsWith("START refresh of api-asg to " + TEMPLATE + " version 7"),
                result.groups().get(1).plan().toString());
        assertTrue(result.groups().get(1).plan().stream().anyMatch(l -> l.startsWith("REJECT " + BAD_AMI)));
        assertEquals(GroupOutcome.WOULD_ROLL_FORWARD, result.groups().get(1).outcome());
        assertEquals("7", result.groups().get(1).toVersion());
        assertEquals(2, notices.all().size());
        assertTrue(ledger().rejected("api-asg").isEmpty(), "a dry run records nothing");
        assertEquals(ReleaseState.SUCCEEDED, ledger().release("api-asg", BAD_AMI).orElseThrow().state());
        for (Notification notice : notices.all()) {
            assertTrue(notice.title().startsWith("[dry run]"), notice.title());
            assertEquals(Boolean.TRUE, notice.details().get("dryRun"));
            assertEquals(Severity.INFO, notice.severity());
        }
    }

    @Test
    void dryRunFromConfiguration() {
        given(group("web-asg"), refresh("rf-active", "InProgress", "8", STARTED, null));

        RollbackResult result = service(new RollbackOnAlarmConfig(List.of(), List.of(), Duration.ofMinutes(60), "Ignore", "Ignore",
                "t", "", true)).handle(firing(), false);

        verifyNothingChanged();
        assertTrue(result.dryRun());
        assertEquals(GroupOutcome.WOULD_ROLL_BACK, result.groups().get(0).outcome());
    }

    // --- which groups --------------------------------------------------------------------------------------

    @Test
    void groupsAreThoseWhoseTagNamesTheAlarmByNameOrArnPlusTheTargetGroupsForAStackGuardAlarm() {
        given(group("web-asg"), refresh("rf-1", "InProgress", "8", STARTED, null));
        given(group("arn-asg", Map.of(RolloutTags.ALARMS, ALARM_ARN)), refresh("rf-2", "InProgress", "8", STARTED, null));
        given(group("other-asg", Map.of(RolloutTags.ALARMS, ALARM + "-2, " + "web-ecs-task")), refresh("rf-3", "InProgress", "8", STARTED, null));
        AutoScalingGroup untagged = group("seed-asg", java.util.Collections.singletonMap(RolloutTags.ALARMS, null));
        given(untagged, refresh("rf-4", "InProgress", "8", STARTED, null));
        RollbackOnAlarmConfig config = config(List.of("seed-asg", "web-asg", "gone-asg"), List.of(ALARM));

        RollbackResult result = service(config).handle(firing(), false);

        List<String> names = result.groups().stream().map(GroupResult::autoScalingGroup).toList();
        assertEquals(List.of("gone-asg", "web-asg", "arn-asg", "seed-asg"), names);
        assertEquals(GroupOutcome.FAILED, result.groups().get(0).outcome());
        assertTrue(result.groups().get(0).reason().contains("does not exist"), result.groups().get(0).reason());
        verify(autoScaling, times(3)).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
        assertEquals("PARTIAL", result.outcome());
        assertEquals(List.of("gone-asg"), result.failed());
        // The paginator adds its own override configuration, so compare the filter only.
        verify(autoScaling).describeAutoScalingGroups(org.mockito.ArgumentMatchers.<DescribeAutoScalingGroupsRequest>argThat(
                r -> r.filters().equals(List.of(software.amazon.awssdk.services.autoscaling.model.Filter.builder()
                        .name("tag-key").values(RolloutTags.ALARMS).build()))));
    }

    @Test
    void targetGroupsAreNotGuardedByAnAlarmThatIsNotAStackGuardAlarm() {
        given(group("seed-asg", java.util.Collections.singletonMap(RolloutTags.ALARMS, null)), refresh("rf-4", "InProgress", "8", STARTED, null));

        RollbackResult result = service(config(List.of("seed-asg"), List.of("ami-rollout-ecs-errors"))).handle(firing(), false);

        assertEquals("IGNORED", result.outcome(), result.reason());
        verifyNothingChanged();
        assertTrue(notices.all().isEmpty());
        verify(autoScaling, never()).describeAutoScalingGroups(org.mockito.ArgumentMatchers.<DescribeAutoScalingGroupsRequest>argThat(
                DescribeAutoScalingGroupsRequest::hasAutoScalingGroupNames));
    }

    @Test
    void alarmNamesWithSpacesMatch() {
        given(group("web-asg", Map.of(RolloutTags.ALARMS, "EC2 CPU Utilization Anomaly ,web-5xx-rate")),
                refresh("rf-1", "InProgress", "8", STARTED, null));
        AlarmStateChange change = new AlarmStateChange("EC2 CPU Utilization Anomaly", null, AlarmKind.METRIC_MATH,
                "ALARM", "OK", "r", null, null, null, "1", null, "t", AlarmStateChange.Via.SNS, null);

        assertEquals(GroupOutcome.ROLLBACK_STARTED, service().handle(change, false).groups().get(0).outcome());
    }

    @Test
    void anAlarmThatGuardsNothingIsIgnoredQuietly() {
        given(group("api-asg", Map.of(RolloutTags.ALARMS, "api-errors")), refresh("rf-1", "InProgress", "8", STARTED, null));

        RollbackResult result = service().handle(firing(), false);

        verifyNothingChanged();
        assertEquals("IGNORED", result.outcome());
        assertTrue(result.reason().contains("guards no Auto Scaling group"), result.reason());
        assertTrue(notices.all().isEmpty(), "no WARNING notice for an unrelated alarm");
    }

    @Test
    void oneGroupFailingDoesNotStopTheOthers() {
        given(group("broken-asg"), refresh("rf-1", "InProgress", "8", STARTED, null));
        given(group("web-asg"), refresh("rf-2", "InProgress", "8", STARTED, null));
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenAnswer(inv -> {
            RollbackInstanceRefreshRequest request = inv.getArgument(0);
            if (request.autoScalingGroupName().equals("broken-asg")) {
                throw awsError(AutoScalingException.builder(), "AccessDenied", "User is not authorized to perform autoscaling:RollbackInstanceRefresh");
            }
            return RollbackInstanceRefreshResponse.builder().instanceRefreshId("rf-2").build();
        });

        RollbackResult result = service().handle(firing(), false);

        assertEquals("PARTIAL", result.outcome());
        assertEquals(GroupOutcome.FAILED, result.groups().get(0).outcome());
        assertTrue(result.groups().get(0).reason().contains("-> AccessDenied: "), result.groups().get(0).reason());
        assertEquals(GroupOutcome.ROLLBACK_STARTED, result.groups().get(1).outcome());
        assertEquals(List.of("broken-asg"), result.failed());
        assertTrue(result.reason().contains("not undone: broken-asg"), result.reason());
        assertEquals(1, notices.ofKind(NotificationKind.ROLLBACK_FAILED).size());
        assertEquals(1, notices.ofKind(NotificationKind.ROLLBACK_STARTED).size());
    }

    @Test
    void groupsThatCannotBeListedFailTheWholeAlarmWithANotice() {
        reset(autoScaling);
        autoScaling = autoScalingMock();
        when(autoScaling.describeAutoScalingGroups(any(DescribeAutoScalingGroupsRequest.class))).thenThrow(
                awsError(AutoScalingException.builder(), "AccessDenied", "not authorized"));

        RollbackResult result = service().handle(firing(), false);

        assertEquals("FAILED", result.outcome());
        assertTrue(result.reason().contains("AccessDenied"), result.reason());
        assertEquals(NotificationKind.ROLLBACK_FAILED, notices.only().kind());
        verifyNothingChanged();
    }

    @Test
    void aTransientErrorInOneGroupFailsTheInvocationAfterTheOthersWereHandled() {
        given(group("busy-asg"), refresh("rf-1", "InProgress", "8", STARTED, null));
        given(group("web-asg"), refresh("rf-2", "InProgress", "8", STARTED, null));
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenAnswer(inv -> {
            RollbackInstanceRefreshRequest request = inv.getArgument(0);
            if (request.autoScalingGroupName().equals("busy-asg")) {
                throw (AutoScalingException) AutoScalingException.builder().statusCode(500)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceContention").errorMessage("pending update").build())
                        .message("pending update").build();
            }
            return RollbackInstanceRefreshResponse.builder().instanceRefreshId("rf-2").build();
        });

        RetryableFailure e = assertThrows(RetryableFailure.class, () -> service().handle(firing(), false));

        assertTrue(e.getMessage().contains("busy-asg") && e.getMessage().contains("ResourceContention"), e.getMessage());
        assertEquals(ReleaseState.ROLLED_BACK, ledger().release("web-asg", BAD_AMI).orElseThrow().state(), "the other group was handled");
        assertEquals(ReleaseState.STARTED, ledger().release("busy-asg", BAD_AMI).orElseThrow().state());
        assertEquals(1, notices.ofKind(NotificationKind.ROLLBACK_STARTED).size());
        assertTrue(notices.ofKind(NotificationKind.ROLLBACK_FAILED).isEmpty(), "a retried failure is not announced");
    }

    @Test
    void aTransientErrorListingTheGroupsFailsTheInvocation() {
        when(autoScaling.describeAutoScalingGroups(any(DescribeAutoScalingGroupsRequest.class))).thenThrow(
                AutoScalingException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("Throttling").errorMessage("Rate exceeded").build()).message("Rate exceeded").build());

        assertThrows(RetryableFailure.class, () -> service().handle(firing(), false));
        verifyNothingChanged();
    }

    @Test
    void aDecisionLostToAConcurrentInvocationIsDecidedAgainFromFreshState() {
        given(group("web-asg"), refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY));
        // The other invocation claims the head and starts the roll-forward between our read and our claim.
        GroupLedger ledger = ledger();
        when(autoScaling.describeInstanceRefreshes(any(DescribeInstanceRefreshesRequest.class))).thenAnswer(new org.mockito.stubbing.Answer<>() {
            int calls;
            public Object answer(org.mockito.invocation.InvocationOnMock inv) {
                if (calls++ == 0) {
                    assertTrue(ledger.writeHead(ledger.head("web-asg").touched(NOW)));
                    refreshes.put("web-asg", List.of(refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY),
                            refresh("rf-forward", "InProgress", "7", NOW, null)));
                    return DescribeInstanceRefreshesResponse.builder().instanceRefreshes(refresh("rf-done", "Successful", "8", STARTED, ENDED_RECENTLY)).build();
                }
                return DescribeInstanceRefreshesResponse.builder().instanceRefreshes(refreshes.get("web-asg")).build();
            }
        });

        GroupResult group = service().handle(firing(), false).groups().get(0);

        assertEquals(GroupOutcome.ALREADY_UNDOING, group.outcome(), group.reason());
        verifyNothingChanged();
    }

    // --- IAM -----------------------------------------------------------------------------------------------

    @Test
    void everyActionCalledIsListedInIamActions() {
        given(group("active-asg"), refresh("rf-1", "InProgress", "$Latest", STARTED, null));
        given(group("done-asg"), refresh("rf-2", "Successful", "8", STARTED, ENDED_RECENTLY));
        given(group("web-asg"), refresh("rf-3", "InProgress", "8", STARTED, null));
        when(autoScaling.rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class))).thenAnswer(inv -> {
            RollbackInstanceRefreshRequest request = inv.getArgument(0);
            if (request.autoScalingGroupName().equals("active-asg")) {
                throw awsError(IrreversibleInstanceRefreshException.builder(), "IrreversibleInstanceRefresh", "$Latest");
            }
            return RollbackInstanceRefreshResponse.builder().instanceRefreshId("rf-3").build();
        });
        RollbackOnAlarmConfig config = config(List.of("web-asg"), List.of(ALARM));

        service(config).handle(firing(), false);

        verify(autoScaling).cancelInstanceRefresh(any(CancelInstanceRefreshRequest.class));
        verify(autoScaling).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        verify(autoScaling, times(2)).rollbackInstanceRefresh(any(RollbackInstanceRefreshRequest.class));
        verify(autoScaling).createOrUpdateTags(any(CreateOrUpdateTagsRequest.class));
        verify(autoScaling).deleteTags(any(DeleteTagsRequest.class));
        IamActions.assertListed("iam-actions.txt", Map.of("autoscaling", autoScaling));
        assertTrue(IamActions.listed("iam-actions.txt").containsAll(IamActions.called(Map.of("autoscaling", autoScaling))));
        assertTrue(IamActions.listed("iam-actions.txt").contains("sns:Publish"));
    }

    private StartInstanceRefreshRequest captureStart() {
        var captor = org.mockito.ArgumentCaptor.forClass(StartInstanceRefreshRequest.class);
        verify(autoScaling).startInstanceRefresh(captor.capture());
        return captor.getValue();
    }
}
