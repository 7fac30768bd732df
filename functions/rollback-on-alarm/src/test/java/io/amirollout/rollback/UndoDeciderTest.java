package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.amirollout.rollback.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** The undo decision as plain values: given what was read, this plan (no AWS, no table, no clock but NOW). */
class UndoDeciderTest {

    private static final Instant STARTED = NOW.minus(Duration.ofMinutes(40));
    private static final Instant ENDED = NOW.minus(Duration.ofMinutes(10));
    private static final GroupHead HEAD = new GroupHead("web-asg", BAD_AMI, ReleaseSource.RELEASE, BAD_AMI, STARTED, 3);

    private static GroupRelease release(String refreshId, ReleaseState state) {
        GroupRelease started = GroupRelease.received("web-asg", BAD_AMI, "golden", "c", ReleaseSource.RELEASE, false, STARTED)
                .started(TEMPLATE, "7", "8", refreshId, STARTED).withRevision(2);
        return state == ReleaseState.STARTED ? started : started.ended(state, "x", ENDED);
    }

    private static GroupFacts facts(AutoScalingGroup group, GroupRelease release, boolean rejected, InstanceRefresh... newestFirst) {
        return new GroupFacts(group, List.of(newestFirst), HEAD, Optional.ofNullable(release), rejected);
    }

    private static GroupPlan decide(GroupFacts facts) {
        return UndoDecider.decide(firing(), facts, NOW, config());
    }

    private static List<Class<?>> steps(GroupPlan plan) {
        return plan.changes().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void ourActiveRefreshIsRolledBackAndItsAmiRecordedRejected() {
        GroupPlan plan = decide(facts(group("web-asg"), release("rf-1", ReleaseState.STARTED), false,
                refresh("rf-1", "InProgress", "8", STARTED, null)));

        assertEquals(GroupOutcome.ROLLBACK_STARTED, plan.outcome());
        assertEquals(List.of(Change.ClaimGroup.class, Change.RollBackRefresh.class, Change.MarkRelease.class, Change.RejectAmi.class),
                steps(plan));
        Change.ClaimGroup claim = (Change.ClaimGroup) plan.changes().get(0);
        assertEquals(3, claim.head().revision(), "conditional on the revision read");
        Change.MarkRelease mark = (Change.MarkRelease) plan.changes().get(2);
        assertEquals(ReleaseState.ROLLED_BACK, mark.state());
        Change.RejectAmi reject = (Change.RejectAmi) plan.changes().get(3);
        assertEquals(BAD_AMI, reject.rejection().imageId());
        assertEquals("rollback-on-alarm", reject.rejection().by());
        assertEquals("rf-1", reject.rejection().refreshId());
        plan.changes().forEach(c -> assertFalse(c.reason().isBlank(), c + " says why"));
    }

    @Test
    void aForeignActiveRefreshIsRolledBackWithoutRecords() {
        GroupPlan plan = decide(facts(group("web-asg"), release("rf-ours-earlier", ReleaseState.SUCCEEDED), true,
                refresh("rf-theirs", "InProgress", "9", NOW.minusSeconds(60), null),
                refresh("rf-ours-earlier", "Successful", "8", STARTED, ENDED)));

        assertEquals(GroupOutcome.ROLLBACK_STARTED, plan.outcome());
        assertEquals(List.of(Change.ClaimGroup.class, Change.RollBackRefresh.class), steps(plan));
    }

    @Test
    void ourRecentSuccessIsRolledForwardToTheRecordedVersionWithTheGroupsPreferences() {
        AutoScalingGroup group = group("web-asg", Map.of(RolloutTags.INSTANCE_WARMUP, "5400", RolloutTags.MIN_HEALTHY_PERCENTAGE, "75",
                RolloutTags.PREVIOUS_VERSION, "3"));
        RollbackOnAlarmConfig config = new RollbackOnAlarmConfig(List.of(), List.of(), Duration.ofMinutes(60), "Refresh", "Terminate",
                "t", "", false);

        GroupPlan plan = UndoDecider.decide(firing(), facts(group, release("rf-1", ReleaseState.SUCCEEDED), false,
                refresh("rf-1", "Successful", "8", STARTED, ENDED)), NOW, config);

        assertEquals(GroupOutcome.ROLL_FORWARD_STARTED, plan.outcome());
        assertEquals(List.of(Change.ClaimGroup.class, Change.StartRollForward.class, Change.MarkRelease.class,
                Change.RejectAmi.class, Change.MirrorTags.class), steps(plan));
        Change.StartRollForward start = (Change.StartRollForward) plan.changes().get(1);
        assertEquals("7", start.version(), "the record's fromVersion, not the (stale) tag's 3");
        assertEquals(TEMPLATE, start.launchTemplateId());
        assertEquals("7", start.desired().launchTemplate().version());
        RefreshPreferences preferences = start.preferences();
        assertEquals(5400, preferences.instanceWarmup(), "no 3600 s cap");
        assertEquals(75, preferences.minHealthyPercentage());
        assertEquals("Refresh", preferences.scaleInProtectedInstancesAsString());
        assertEquals("Terminate", preferences.standbyInstancesAsString());
        assertTrue(preferences.skipMatching());
        assertFalse(preferences.autoRollback());
        assertNull(preferences.alarmSpecification());
        Change.MirrorTags tags = (Change.MirrorTags) plan.changes().get(4);
        assertEquals(Map.of(RolloutTags.CURRENT_VERSION, "7"), tags.set());
        assertEquals(List.of(RolloutTags.PREVIOUS_VERSION), tags.delete());
        assertEquals("8", plan.fromVersion());
        assertEquals("7", plan.toVersion());
    }

    @Test
    void aSuccessSomeoneElseStartedAfterOursIsRefusedSayingWhatWasFound() {
        GroupPlan plan = decide(facts(group("web-asg"), release("rf-ours", ReleaseState.SUCCEEDED), false,
                refresh("rf-person", "Successful", "9", NOW.minusSeconds(900), ENDED),
                refresh("rf-ours", "Successful", "8", STARTED, NOW.minusSeconds(1200))));

        assertEquals(GroupOutcome.FAILED, plan.outcome());
        assertEquals(List.of(), plan.changes());
        assertTrue(plan.reason().contains("rf-person") && plan.reason().contains("rf-ours") && plan.reason().contains("version 9"),
                plan.reason());
    }

    @Test
    void aSuccessWithNothingRecordedIsRefused() {
        GroupPlan plan = decide(facts(group("web-asg"), null, false, refresh("rf-x", "Successful", "8", STARTED, ENDED)));

        assertEquals(GroupOutcome.FAILED, plan.outcome());
        assertTrue(plan.reason().contains("holds no refresh started by ami-rollout"), plan.reason());
    }

    @Test
    void aSuccessOlderThanTheGraceIsTheBaseline() {
        GroupPlan plan = decide(facts(group("web-asg"), release("rf-1", ReleaseState.SUCCEEDED), false,
                refresh("rf-1", "Successful", "8", NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(61)))));

        assertEquals(GroupOutcome.NOTHING_TO_UNDO, plan.outcome());
        assertEquals(List.of(), plan.changes());
    }

    @Test
    void ourRollForwardWithEverythingRecordedIsADuplicateThatChangesNothing() {
        AutoScalingGroup mirrored = group("web-asg", mapOf(RolloutTags.PREVIOUS_VERSION, null, RolloutTags.CURRENT_VERSION, "7"));

        GroupPlan plan = decide(facts(mirrored, release("rf-1", ReleaseState.ROLLED_FORWARD), true,
                refresh("rf-forward", "InProgress", "7", NOW.minusSeconds(60), null),
                refresh("rf-1", "Successful", "8", STARTED, ENDED)));

        assertEquals(GroupOutcome.ALREADY_UNDOING, plan.outcome());
        assertEquals(List.of(), plan.changes());
    }

    @Test
    void aRetryAfterTheRollForwardStartedButBeforeItWasRecordedOnlyRecords() {
        GroupPlan plan = decide(facts(group("web-asg"), release("rf-1", ReleaseState.SUCCEEDED), false,
                refresh("rf-forward", "InProgress", "7", NOW.minusSeconds(60), null),
                refresh("rf-1", "Successful", "8", STARTED, ENDED)));

        assertEquals(GroupOutcome.ALREADY_UNDOING, plan.outcome());
        assertEquals(List.of(Change.MarkRelease.class, Change.RejectAmi.class, Change.MirrorTags.class), steps(plan),
                "no second StartInstanceRefresh");
    }

    @Test
    void aRollbackUnderWayOfOurRefreshCompletesTheRecordOnce() {
        GroupPlan first = decide(facts(group("web-asg"), release("rf-1", ReleaseState.STARTED), false,
                refresh("rf-1", "RollbackInProgress", "8", STARTED, null)));
        GroupPlan done = decide(facts(group("web-asg"), release("rf-1", ReleaseState.ROLLED_BACK), true,
                refresh("rf-1", "RollbackInProgress", "8", STARTED, null)));

        assertEquals(List.of(Change.MarkRelease.class, Change.RejectAmi.class), steps(first));
        assertEquals(GroupOutcome.ALREADY_UNDOING, done.outcome());
        assertEquals(List.of(), done.changes());
    }

    @Test
    void theSameFactsGiveTheSamePlan() {
        GroupFacts facts = facts(group("web-asg"), release("rf-1", ReleaseState.SUCCEEDED), false,
                refresh("rf-1", "Successful", "8", STARTED, ENDED));

        assertEquals(decide(facts), decide(facts));
    }

    @Test
    void aMalformedTuningTagDoesNotBlockTheUndo() {
        AutoScalingGroup group = group("web-asg", Map.of(RolloutTags.MIN_HEALTHY_PERCENTAGE, "ninety"));

        RefreshPreferences preferences = RollForwardDecider.preferences(group, config());

        assertEquals(90, preferences.minHealthyPercentage());
        assertEquals("Ignore", preferences.scaleInProtectedInstancesAsString());
    }

    private static Map<String, String> mapOf(String k1, String v1, String k2, String v2) {
        Map<String, String> map = new java.util.HashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
