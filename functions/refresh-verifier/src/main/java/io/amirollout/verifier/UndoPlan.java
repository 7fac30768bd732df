package io.amirollout.verifier;

import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.util.List;

/**
 * What undoing a failed verification takes, in order, each step with its reason: a value computed without side
 * effects ({@link UndoPlanner}); {@link UndoApplier} is the only code that carries it out. A dry run returns it.
 */
public record UndoPlan(Outcome outcome, String summary, List<Step> steps) {

    public enum Outcome {
        /** RollbackInstanceRefresh on the refresh at its checkpoint. */
        ROLLBACK,
        /** StartInstanceRefresh back to the version the group ran before (the refresh had already succeeded). */
        ROLL_FORWARD,
        /** Someone (AWS auto rollback, rollback-on-alarm, an earlier attempt of ours) already undid it: record only. */
        ALREADY_UNDONE,
        /** The refresh ended without being rolled out (failed, cancelled): nothing to undo, the AMI is still rejected. */
        NOTHING_TO_UNDO,
        /** Undoing is not safe or not possible (another refresh since, no previous version): a person must act. */
        CANNOT_UNDO
    }

    public enum Kind { ROLLBACK_REFRESH, START_ROLL_FORWARD, REJECT_AMI, RECORD_RELEASE }

    /**
     * @param launchTemplateId  roll forward: the template
     * @param version           roll forward: the numbered version to go back to
     * @param preferences       roll forward: the refresh preferences
     * @param releaseState      record: the release's new state
     */
    public record Step(Kind kind, String reason, String launchTemplateId, String version, RefreshPreferences preferences,
                       ReleaseState releaseState) {

        static Step of(Kind kind, String reason) {
            return new Step(kind, reason, null, null, null, null);
        }

        /** For results and notices: the step as a person reads it. */
        public String describe() {
            return switch (kind) {
                case ROLLBACK_REFRESH -> "roll the refresh back (RollbackInstanceRefresh): " + reason;
                case START_ROLL_FORWARD -> "start a refresh to launch template " + launchTemplateId + " version " + version
                        + " (no auto rollback, no checkpoints): " + reason;
                case REJECT_AMI -> "record the AMI as rejected for the group: " + reason;
                case RECORD_RELEASE -> "record the release as " + releaseState + ": " + reason;
            };
        }
    }

    public UndoPlan {
        steps = List.copyOf(steps);
    }

    public List<String> described() {
        return steps.stream().map(Step::describe).toList();
    }
}
