package io.amirollout.invoker;

import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The release's fan-out record in the infra state table: its header ({@link ReleaseHeader}) and one
 * {@link TargetRecord} per account × region. Every write that decides (claiming an attempt, settling
 * it, redriving) is conditional on the revision read, so two invocations working on the same release
 * (a duplicate notice, a continuation, a redrive) never both invoke one target.
 */
final class FanOutLedger {

    private final StateTable table;

    FanOutLedger(StateTable table) {
        this.table = table;
    }

    Optional<ReleaseHeader> header(String arn) {
        return table.get(TargetRecord.partition(arn), ReleaseHeader.SORT_KEY).map(item -> ReleaseHeader.from(arn, item));
    }

    /** First writer wins; false when a header exists already (another delivery of the same notice). */
    boolean createHeader(ReleaseHeader header) {
        return table.putIfAbsent(header.toItem());
    }

    /** Conditional on the header's revision; false when another invocation changed it first. */
    boolean replaceHeader(ReleaseHeader header) {
        return table.replace(header.toItem());
    }

    /** Writes the target's PENDING record unless one exists (a resumed seeding keeps what is there). */
    void seed(TargetRecord target) {
        table.putIfAbsent(target.toItem());
    }

    List<TargetRecord> targets(String arn) {
        return table.query(TargetRecord.partition(arn), TargetRecord.TARGET_PREFIX).stream()
                .map(item -> TargetRecord.from(arn, item)).toList();
    }

    /** Takes the target for one attempt (attempts + 1, a lease); empty when another invocation was first. */
    Optional<TargetRecord> claim(TargetRecord target, Instant now, Instant leaseUntil) {
        TargetRecord claimed = target.claimed(now, leaseUntil);
        return table.replace(claimed.toItem()) ? Optional.of(withRevision(claimed, claimed.revision() + 1)) : Optional.empty();
    }

    /** Records the attempt's outcome; only the claim's holder can (the revision it wrote). */
    boolean settle(TargetRecord settled) {
        return table.replace(settled.toItem());
    }

    static TargetRecord withRevision(TargetRecord r, long revision) {
        return new TargetRecord(r.releaseArn(), r.accountId(), r.region(), r.state(), r.attempts(), r.imageId(), r.error(),
                r.errorCode(), r.nextAttemptAt(), r.leaseUntil(), r.updatedAt(), revision);
    }

    static StateItem item(TargetRecord r) {
        return r.toItem();
    }
}
