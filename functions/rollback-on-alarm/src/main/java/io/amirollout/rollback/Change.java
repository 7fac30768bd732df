package io.amirollout.rollback;

import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.util.List;
import java.util.Map;

/**
 * One step of a {@link GroupPlan}: a value saying what to change and why. Only {@link PlanApplier} turns
 * it into AWS calls and state-table writes.
 */
sealed interface Change {

    /** Why this step is in the plan, for people (results, notices, dry runs). */
    String reason();

    /** "ACTION target: reason", one line. */
    String describe();

    /**
     * Take the group's decision lock: a conditional write of the group head at the revision that was read.
     * If another invocation wrote it since, it decided first; the applier stops and the group is read again.
     */
    record ClaimGroup(GroupHead head, String reason) implements Change {
        public String describe() {
            return "CLAIM group head " + head.group() + " at revision " + head.revision() + ": " + reason;
        }
    }

    /** RollbackInstanceRefresh on the group; if AWS refuses (irreversible refresh), CancelInstanceRefresh instead. */
    record RollBackRefresh(String group, String refreshId, String reason) implements Change {
        public String describe() {
            return "ROLL BACK refresh " + refreshId + " of " + group + ": " + reason;
        }
    }

    /** StartInstanceRefresh back to {@code version} with these preferences. */
    record StartRollForward(String group, String launchTemplateId, String version, DesiredConfiguration desired,
                            RefreshPreferences preferences, String reason) implements Change {
        public String describe() {
            return "START refresh of " + group + " to " + launchTemplateId + " version " + version + " with " + preferences
                    + ": " + reason;
        }
    }

    /** Record what became of the release (conditional on the revision read). */
    record MarkRelease(GroupRelease release, ReleaseState state, String reason) implements Change {
        public String describe() {
            return "RECORD release " + release.imageId() + " of " + release.group() + " as " + state + ": " + reason;
        }
    }

    /** Record the AMI as rejected for the group (first rejection wins; written once). */
    record RejectAmi(RejectedAmi rejection, String reason) implements Change {
        public String describe() {
            return "REJECT " + rejection.imageId() + " for " + rejection.group() + ": " + reason;
        }
    }

    /** Bring the group's ami-rollout:* state tags (a mirror for people, not the truth) in line with the record. */
    record MirrorTags(String group, Map<String, String> set, List<String> delete, String reason) implements Change {
        public MirrorTags {
            set = Map.copyOf(set);
            delete = List.copyOf(delete);
        }

        public String describe() {
            return "TAG " + group + " set " + new java.util.TreeMap<>(set) + (delete.isEmpty() ? "" : " delete " + delete)
                    + ": " + reason;
        }
    }
}
