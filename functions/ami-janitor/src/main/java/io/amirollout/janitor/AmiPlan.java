package io.amirollout.janitor;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.List;

/**
 * The whole decision for one AMI: what to do and why. A value: the decider makes it without side
 * effects, the applier carries it out, a dry run returns it.
 *
 * @param reasons           why, in the words the table and the notices show
 * @param deregisterAfter   MARK: the date written to the mark; WAIT/DEREGISTER: the recorded date
 * @param snapshotsToDelete DEREGISTER: snapshots no other AMI uses
 * @param snapshotsKept     DEREGISTER: snapshots another AMI also uses (kept)
 */
public record AmiPlan(String region, String imageId, String name, String imageName, long ageDays, Action action,
                      List<String> reasons,
                      @JsonSerialize(using = ToStringSerializer.class) Instant deregisterAfter, List<String> snapshotsToDelete,
                      List<String> snapshotsKept) {

    public AmiPlan {
        reasons = List.copyOf(reasons);
        snapshotsToDelete = List.copyOf(snapshotsToDelete);
        snapshotsKept = List.copyOf(snapshotsKept);
    }

    public enum Action {
        /** Nothing to do: in use, protected, newest, or young. */
        KEEP,
        /** Older than the threshold and not in use: tag, deprecate at the deregistration date, record, announce. */
        MARK,
        /** Marked and waiting for its date (or for usage data): nothing to do. */
        WAIT,
        /** Marked, date reached, still not in use: deregister and delete its unshared snapshots. */
        DEREGISTER,
        /** Marked, but used again or protected since: remove the mark and the deprecation, announce. */
        UNMARK
    }

    boolean changes() {
        return action == Action.MARK || action == Action.DEREGISTER || action == Action.UNMARK;
    }

    AmiPlan withSnapshots(List<String> toDelete, List<String> kept) {
        return new AmiPlan(region, imageId, name, imageName, ageDays, action, reasons, deregisterAfter, toDelete, kept);
    }
}
