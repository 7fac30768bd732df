package io.amirollout.janitor;

import io.amirollout.shared.Log;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only code that changes anything: carries out one {@link AmiPlan}. Each change is recorded first
 * with a conditional write (the decision), then mirrored on the AMI (tag, deprecation) or carried out
 * (deregistration, snapshots). Every step is safe to repeat: a retry or a later run finds the record and
 * finishes what is left.
 *
 * <p>Transient AWS errors (throttling, 5xx after the SDK's retries, no answer) are thrown, so the
 * invocation fails and is retried; permanent refusals become a FAILED outcome with the reason.
 */
final class JanitorApplier {

    /** EC2 error codes that mean "already gone": the step is done. */
    private static final Set<String> GONE = Set.of("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable",
            "InvalidSnapshot.NotFound");

    private final JanitorLedger ledger;
    private final AmiCatalog catalog;

    JanitorApplier(JanitorLedger ledger, AmiCatalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    AmiOutcome apply(Ec2Client ec2, AmiPlan plan, Ami ami, AmiMark mark, Instant now) {
        try {
            return switch (plan.action()) {
                case MARK -> mark(ec2, plan, ami, mark, now);
                case UNMARK -> unmark(ec2, plan, ami, mark, now);
                case DEREGISTER -> deregister(ec2, plan, mark, now);
                case WAIT -> repairMirror(ec2, plan, ami);
                case KEEP -> new AmiOutcome(plan, AmiOutcome.Status.PLANNED, null);
            };
        } catch (AwsServiceException e) {
            if (transient_(e)) {
                throw e;
            }
            Log.error("AMI change refused: " + code(e), "imageId", plan.imageId(), "region", plan.region(),
                    "action", plan.action(), "error", message(e));
            return new AmiOutcome(plan, AmiOutcome.Status.FAILED, code(e) + ": " + message(e));
        }
    }

    private AmiOutcome mark(Ec2Client ec2, AmiPlan plan, Ami ami, AmiMark previous, Instant now) {
        if (!ledger.mark(plan, now, previous, ami.snapshotIds())) {
            return lostRace(plan);
        }
        ec2.createTags(r -> r.resources(plan.imageId()).tags(Tag.builder().key(JanitorTags.DEREGISTER_AFTER)
                .value(plan.deregisterAfter().toString()).build()));
        // "If you specify a value for seconds, Amazon EC2 rounds the seconds to the nearest minute"
        // (EnableImageDeprecation); whole minutes keep the tag and the deprecation time equal.
        ec2.enableImageDeprecation(r -> r.imageId(plan.imageId()).deprecateAt(plan.deregisterAfter().truncatedTo(ChronoUnit.MINUTES)));
        Log.info("AMI marked for deregistration", "imageId", plan.imageId(), "region", plan.region(),
                "deregisterAfter", plan.deregisterAfter().toString());
        return new AmiOutcome(plan, AmiOutcome.Status.DONE, null);
    }

    private AmiOutcome unmark(Ec2Client ec2, AmiPlan plan, Ami ami, AmiMark mark, Instant now) {
        if (mark != null && mark.marked() && !ledger.unmark(mark, plan, now)) {
            return lostRace(plan);
        }
        ec2.deleteTags(r -> r.resources(plan.imageId()).tags(Tag.builder().key(JanitorTags.DEREGISTER_AFTER).build()));
        // Our mark set a deprecation time; an AMI showing one is deprecated whoever set it on a marked AMI.
        if (ami.deprecationTime() != null || mark != null && mark.marked()) {
            ec2.disableImageDeprecation(r -> r.imageId(plan.imageId()));
        }
        Log.info("AMI mark removed", "imageId", plan.imageId(), "region", plan.region(), "reason", String.join("; ", plan.reasons()));
        return new AmiOutcome(plan, AmiOutcome.Status.DONE, null);
    }

    private AmiOutcome deregister(Ec2Client ec2, AmiPlan plan, AmiMark mark, Instant now) {
        AmiMark begun = mark.state() == AmiMark.State.DEREGISTERING ? mark
                : ledger.deregistering(mark, plan.snapshotsToDelete(), now);
        if (begun == null) {
            return lostRace(plan);
        }
        return finish(ec2, plan, begun, now);
    }

    /** Deregisters (if still registered) and deletes the recorded snapshots no other AMI uses; records the end. */
    AmiOutcome finish(Ec2Client ec2, AmiPlan plan, AmiMark begun, Instant now) {
        try {
            ec2.deregisterImage(r -> r.imageId(begun.imageId()));
        } catch (AwsServiceException e) {
            if (!GONE.contains(code(e))) {
                throw e;
            }
        }
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>(plan.snapshotsKept());
        // Checked again right before deleting: an AMI registered from a snapshot since the plan keeps it.
        Map<String, List<String>> users = begun.snapshotIds().isEmpty() ? Map.of() : catalog.snapshotUsers(ec2);
        for (String snapshot : begun.snapshotIds()) {
            List<String> others = AmiCatalog.othersUsing(users, snapshot, begun.imageId());
            if (!others.isEmpty()) {
                kept.add(snapshot);
                continue;
            }
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snapshot));
                deleted.add(snapshot);
            } catch (AwsServiceException e) {
                if ("InvalidSnapshot.NotFound".equals(code(e))) {
                    deleted.add(snapshot);
                } else if ("InvalidSnapshot.InUse".equals(code(e))) {
                    kept.add(snapshot);
                } else {
                    throw e;
                }
            }
        }
        if (!ledger.deregistered(begun, deleted, kept, now)) {
            return lostRace(plan);
        }
        Log.info("AMI deregistered", "imageId", begun.imageId(), "region", begun.region(), "deletedSnapshots", deleted,
                "keptSnapshots", kept);
        return new AmiOutcome(plan.withSnapshots(deleted, kept), AmiOutcome.Status.DONE, null);
    }

    /** A marked AMI whose tag went missing (a failed step, a person): the record wins, the mirror is put back. */
    private AmiOutcome repairMirror(Ec2Client ec2, AmiPlan plan, Ami ami) {
        String expected = plan.deregisterAfter() == null ? null : plan.deregisterAfter().toString();
        if (expected != null && !expected.equals(ami.tag(JanitorTags.DEREGISTER_AFTER))) {
            ec2.createTags(r -> r.resources(plan.imageId()).tags(Tag.builder().key(JanitorTags.DEREGISTER_AFTER).value(expected).build()));
        }
        return new AmiOutcome(plan, AmiOutcome.Status.PLANNED, null);
    }

    private static AmiOutcome lostRace(AmiPlan plan) {
        Log.info("another invocation changed this AMI's record first: nothing done", "imageId", plan.imageId());
        return new AmiOutcome(plan, AmiOutcome.Status.LOST_RACE, "another invocation changed the record first");
    }

    static boolean transient_(SdkException e) {
        if (!(e instanceof AwsServiceException service)) {
            return true;
        }
        return service.isThrottlingException() || service.statusCode() >= 500;
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
