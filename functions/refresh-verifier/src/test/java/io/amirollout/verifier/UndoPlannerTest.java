package io.amirollout.verifier;

import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The undo decision as plain values: given the release and the refreshes read, this plan. */
class UndoPlannerTest {

    static final Instant T = Instant.parse("2026-11-25T15:00:00Z");
    static final GroupRelease RELEASE = GroupRelease.received("web-asg", "ami-new", "golden", "c", ReleaseSource.RELEASE, false, T)
            .started("lt-1", "7", "8", "r-ours", T);
    static final RefreshSettings SETTINGS = RefreshSettings.from(Map.of("ami-rollout:checkpoints", "10,50",
            "ami-rollout:alarms", "web-5xx", "ami-rollout:instance-warmup", "120"), "Ignore", "Terminate");

    static InstanceRefresh refresh(String id, String status, String version) {
        return InstanceRefresh.builder().instanceRefreshId(id).status(status).desiredConfiguration(DesiredConfiguration.builder()
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId("lt-1").version(version).build()).build()).build();
    }

    static List<UndoPlan.Kind> kinds(UndoPlan plan) {
        return plan.steps().stream().map(UndoPlan.Step::kind).toList();
    }

    @Test
    void anInProgressRefreshIsRolledBackThenRejectedThenRecorded() {
        UndoPlan plan = UndoPlanner.plan(Phase.CHECKPOINT, RELEASE, List.of(refresh("r-ours", "InProgress", "8")), SETTINGS, "ssm-document: exit 1");
        assertEquals(UndoPlan.Outcome.ROLLBACK, plan.outcome());
        assertEquals(List.of(UndoPlan.Kind.ROLLBACK_REFRESH, UndoPlan.Kind.REJECT_AMI, UndoPlan.Kind.RECORD_RELEASE), kinds(plan));
        assertEquals(ReleaseState.ROLLED_BACK, plan.steps().get(2).releaseState());
        assertTrue(plan.steps().get(1).reason().contains("ssm-document: exit 1"));
    }

    @Test
    void aRollbackAlreadyRunningIsOnlyRecorded() {
        for (String status : List.of("RollbackInProgress", "RollbackSuccessful")) {
            UndoPlan plan = UndoPlanner.plan(Phase.CHECKPOINT, RELEASE, List.of(refresh("r-ours", status, "8")), SETTINGS, "x");
            assertEquals(UndoPlan.Outcome.ALREADY_UNDONE, plan.outcome(), status);
            assertEquals(List.of(UndoPlan.Kind.REJECT_AMI, UndoPlan.Kind.RECORD_RELEASE), kinds(plan));
        }
    }

    @Test
    void aRefreshThatFailedOrWasCancelledHasNothingToUndoButTheAmiIsRejected() {
        for (String status : List.of("Failed", "Cancelled", "RollbackFailed")) {
            UndoPlan plan = UndoPlanner.plan(Phase.CHECKPOINT, RELEASE, List.of(refresh("r-ours", status, "8")), SETTINGS, "x");
            assertEquals(UndoPlan.Outcome.NOTHING_TO_UNDO, plan.outcome(), status);
            assertEquals(List.of(UndoPlan.Kind.REJECT_AMI), kinds(plan));
        }
    }

    @Test
    void aCheckpointTestThatOutlastedTheRefreshRollsForwardInstead() {
        UndoPlan plan = UndoPlanner.plan(Phase.CHECKPOINT, RELEASE, List.of(refresh("r-ours", "Successful", "8")), SETTINGS, "x");
        assertEquals(UndoPlan.Outcome.ROLL_FORWARD, plan.outcome());
    }

    @Test
    void afterSuccessItRollsForwardToFromVersionWithoutAutoRollbackCheckpointsOrAlarms() {
        UndoPlan plan = UndoPlanner.plan(Phase.SUCCEEDED, RELEASE, List.of(refresh("r-ours", "Successful", "8"),
                refresh("r-older", "Successful", "7")), SETTINGS, "x");
        assertEquals(UndoPlan.Outcome.ROLL_FORWARD, plan.outcome());
        UndoPlan.Step start = plan.steps().get(0);
        assertEquals(UndoPlan.Kind.START_ROLL_FORWARD, start.kind());
        assertEquals("lt-1", start.launchTemplateId());
        assertEquals("7", start.version());
        assertFalse(start.preferences().autoRollback());
        assertTrue(start.preferences().checkpointPercentages().isEmpty());
        assertNull(start.preferences().alarmSpecification());
        assertEquals(120, start.preferences().instanceWarmup());
        assertEquals("Terminate", start.preferences().standbyInstancesAsString());
        assertEquals(ReleaseState.ROLLED_FORWARD, plan.steps().get(2).releaseState());
    }

    @Test
    void aRollForwardAlreadyStartedIsOnlyRecorded() {
        UndoPlan plan = UndoPlanner.plan(Phase.SUCCEEDED, RELEASE, List.of(refresh("r-back", "InProgress", "7"),
                refresh("r-ours", "Successful", "8")), SETTINGS, "x");
        assertEquals(UndoPlan.Outcome.ALREADY_UNDONE, plan.outcome());
        assertEquals(ReleaseState.ROLLED_FORWARD, plan.steps().get(1).releaseState());
    }

    @Test
    void anotherRefreshSinceMeansAPersonMustDecide() {
        UndoPlan plan = UndoPlanner.plan(Phase.SUCCEEDED, RELEASE, List.of(refresh("r-someone", "Successful", "9"),
                refresh("r-ours", "Successful", "8")), SETTINGS, "x");
        assertEquals(UndoPlan.Outcome.CANNOT_UNDO, plan.outcome());
        assertTrue(plan.summary().contains("r-someone") && plan.summary().contains("version 9"), plan.summary());
        assertEquals(List.of(UndoPlan.Kind.REJECT_AMI), kinds(plan));
    }

    @Test
    void noPreviousVersionMeansNothingToRollForwardTo() {
        GroupRelease noFrom = GroupRelease.received("web-asg", "ami-new", "golden", "c", ReleaseSource.RELEASE, false, T)
                .started("lt-1", null, "8", "r-ours", T);
        UndoPlan plan = UndoPlanner.plan(Phase.SUCCEEDED, noFrom, List.of(refresh("r-ours", "Successful", "8")), SETTINGS, "x");
        assertEquals(UndoPlan.Outcome.CANNOT_UNDO, plan.outcome());
    }
}
