package io.amirollout.janitor;

import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The janitor's items in the infra state table (shared-lib/README.md, "Infra stack"):
 * <ul>
 *   <li>{@code janitor#<region>} / {@code ami#<imageId>}: one AMI's mark ({@link AmiMark}); every state change
 *       is a conditional write on the item's revision, so two invocations never both mark, unmark or
 *       deregister; DEREGISTERED and UNMARKED items expire after {@link #KEEP_FINISHED};</li>
 *   <li>{@code janitor#pass} / {@code live} or {@code dry-run}: where the current pass over
 *       (region, image name) units has got to, so a large estate continues where it left off.</li>
 * </ul>
 */
final class JanitorLedger {

    static final Duration KEEP_FINISHED = Duration.ofDays(90);
    static final String PASS = "janitor#pass";

    private final StateTable table;

    JanitorLedger(StateTable table) {
        this.table = table;
    }

    /** Every mark recorded in the region, by image id. */
    Map<String, AmiMark> marks(String region) {
        Map<String, AmiMark> marks = new LinkedHashMap<>();
        for (StateItem item : table.query(AmiMark.partition(region), "ami#")) {
            AmiMark mark = AmiMark.from(item);
            marks.put(mark.imageId(), mark);
        }
        return marks;
    }

    /** Records the mark; false when another writer changed the item first (then nothing is done). */
    boolean mark(AmiPlan plan, Instant now, AmiMark previous, List<String> snapshots) {
        StateItem base = previous != null ? previous.item().expiringAt(null)
                : StateItem.of(AmiMark.partition(plan.region()), AmiMark.sortKey(plan.imageId()));
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("state", AmiMark.State.MARKED.name());
        changes.put("name", plan.name());
        changes.put("imageName", plan.imageName());
        changes.put("markedAt", now.toString());
        changes.put("deregisterAfter", plan.deregisterAfter().toString());
        changes.put("snapshots", String.join(",", snapshots));
        changes.put("reason", String.join("; ", plan.reasons()));
        changes.put("updatedAt", now.toString());
        changes.put("deregisteredAt", null);
        changes.put("unmarkedAt", null);
        return table.replace(base.with(changes));
    }

    boolean unmark(AmiMark mark, AmiPlan plan, Instant now) {
        return table.replace(mark.item().with(Map.of("state", AmiMark.State.UNMARKED.name(), "unmarkedAt", now.toString(),
                "reason", String.join("; ", plan.reasons()), "updatedAt", now.toString())).expiringAt(now.plus(KEEP_FINISHED)));
    }

    /** The step before DeregisterImage: from here a retry finishes the snapshots even when the AMI is gone. */
    AmiMark deregistering(AmiMark mark, List<String> snapshotsToDelete, Instant now) {
        StateItem item = mark.item().with(Map.of("state", AmiMark.State.DEREGISTERING.name(),
                "snapshots", String.join(",", snapshotsToDelete), "updatedAt", now.toString()));
        return table.replace(item) ? AmiMark.from(table.get(item.pk(), item.sk()).orElseThrow()) : null;
    }

    boolean deregistered(AmiMark mark, List<String> deleted, List<String> kept, Instant now) {
        return table.replace(mark.item().with(Map.of("state", AmiMark.State.DEREGISTERED.name(),
                "deregisteredAt", now.toString(), "deletedSnapshots", String.join(",", deleted),
                "keptSnapshots", String.join(",", kept), "updatedAt", now.toString())).expiringAt(now.plus(KEEP_FINISHED)));
    }

    /** Where the pass has got to. */
    record Cursor(Instant passStartedAt, int nextUnit, Instant completedAt, StateItem item) {
        boolean inProgress(int units) {
            return passStartedAt != null && completedAt == null && nextUnit < units;
        }
    }

    Cursor cursor(boolean dryRun) {
        StateItem item = table.get(PASS, mode(dryRun)).orElse(StateItem.of(PASS, mode(dryRun)));
        String started = item.getOrNull("passStartedAt");
        String next = item.getOrNull("nextUnit");
        String completed = item.getOrNull("completedAt");
        return new Cursor(started == null ? null : Instant.parse(started), next == null ? 0 : Integer.parseInt(next),
                completed == null ? null : Instant.parse(completed), item);
    }

    /** Moves the cursor; false when another invocation moved it first. */
    boolean advance(Cursor cursor, Instant passStartedAt, int nextUnit, Instant completedAt, Instant now) {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("passStartedAt", passStartedAt.toString());
        changes.put("nextUnit", Integer.toString(nextUnit));
        changes.put("completedAt", completedAt == null ? null : completedAt.toString());
        changes.put("updatedAt", now.toString());
        return table.replace(cursor.item().with(changes));
    }

    private static String mode(boolean dryRun) {
        return dryRun ? "dry-run" : "live";
    }
}
