package io.amirollout.rollback;

import io.amirollout.shared.Log;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.IrreversibleInstanceRefreshException;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;
import software.amazon.awssdk.services.autoscaling.model.Tag;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The only code that changes anything: executes a {@link GroupPlan}'s changes in order.
 *
 * <p>When the world moved between the read and the write (another invocation claimed the group first, the
 * refresh ended just before the rollback, a refresh started just before ours) it stops and asks for the group
 * to be read and decided again ({@link Applied#redecide}). Transient AWS errors are thrown as they are, so the
 * invocation fails and Lambda retries; the retry's plan holds only what is still missing. Permanent errors end
 * the plan with a FAILED result saying which step failed and what was already done.
 */
final class PlanApplier {

    /** Either a result, or why the group must be read and decided again. */
    record Applied(GroupResult result, String redecide) {
        static Applied again(String why) {
            return new Applied(null, why);
        }
    }

    /** A step AWS refused for good, with the whole story in the message. */
    private static final class StepRefused extends RuntimeException {
        StepRefused(String message) {
            super(message);
        }
    }

    private final AutoScalingClient autoScaling;
    private final GroupLedger ledger;
    private final Clock clock;

    PlanApplier(AutoScalingClient autoScaling, GroupLedger ledger, Clock clock) {
        this.autoScaling = autoScaling;
        this.ledger = ledger;
        this.clock = clock;
    }

    Applied apply(GroupPlan plan) {
        String newRefreshId = null;
        String cancelled = null;
        List<String> done = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Change change : plan.changes()) {
            try {
                if (change instanceof Change.ClaimGroup claim) {
                    if (!ledger.writeHead(claim.head())) {
                        return Applied.again("another invocation decided for " + plan.group() + " first");
                    }
                } else if (change instanceof Change.RollBackRefresh rollBack) {
                    try {
                        newRefreshId = autoScaling.rollbackInstanceRefresh(r -> r.autoScalingGroupName(rollBack.group()))
                                .instanceRefreshId();
                        Log.info("instance refresh rollback started", "autoScalingGroup", rollBack.group(),
                                "instanceRefreshId", newRefreshId);
                    } catch (IrreversibleInstanceRefreshException e) {
                        cancelled = cancelInstead(rollBack, e);
                    } catch (ActiveInstanceRefreshNotFoundException e) {
                        return Applied.again("the refresh is no longer active (" + AwsErrors.describe(e) + ")");
                    }
                } else if (change instanceof Change.StartRollForward start) {
                    try {
                        newRefreshId = autoScaling.startInstanceRefresh(r -> r.autoScalingGroupName(start.group())
                                .strategy(RefreshStrategy.ROLLING).desiredConfiguration(start.desired())
                                .preferences(start.preferences())).instanceRefreshId();
                        Log.info("roll-forward refresh started", "autoScalingGroup", start.group(),
                                "instanceRefreshId", newRefreshId, "launchTemplateVersion", start.version());
                    } catch (InstanceRefreshInProgressException e) {
                        // Perhaps a concurrent delivery of this same alarm started it: the next read tells.
                        return Applied.again("a refresh started meanwhile (" + AwsErrors.describe(e) + ")");
                    }
                } else if (change instanceof Change.MarkRelease mark) {
                    markRelease(mark, cancelled);
                } else if (change instanceof Change.RejectAmi reject) {
                    if (!ledger.reject(reject.rejection())) {
                        Log.info("AMI already rejected for the group", "autoScalingGroup", plan.group(),
                                "imageId", reject.rejection().imageId());
                    }
                } else if (change instanceof Change.MirrorTags tags) {
                    mirror(tags, notes);
                }
                done.add(change.describe());
            } catch (RuntimeException e) {
                if (AwsErrors.isTransient(e) || e instanceof RetryableFailure) {
                    throw e;
                }
                String reason = (e instanceof StepRefused ? e.getMessage()
                        : "step failed: " + change.describe() + " -> " + AwsErrors.describe(e))
                        + (done.isEmpty() ? "; nothing was changed" : "; already done: " + String.join(" | ", done));
                return new Applied(GroupResult.of(plan, GroupOutcome.FAILED, reason, newRefreshId), null);
            }
        }
        if (cancelled != null) {
            return new Applied(GroupResult.of(plan, GroupOutcome.CANCELLED_NOT_ROLLED_BACK, cancelled, null), null);
        }
        String reason = plan.reason() + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new Applied(GroupResult.of(plan, plan.outcome(), reason, newRefreshId), null);
    }

    /** AWS cannot roll this refresh back: stop it so no more instances get the bad version, and say so loudly. */
    private String cancelInstead(Change.RollBackRefresh rollBack, IrreversibleInstanceRefreshException e) {
        String why = AwsErrors.describe(e);
        Log.error("AWS cannot roll this refresh back; cancelling it instead", e, "autoScalingGroup", rollBack.group(),
                "instanceRefreshId", rollBack.refreshId());
        try {
            autoScaling.cancelInstanceRefresh(r -> r.autoScalingGroupName(rollBack.group()));
        } catch (RuntimeException cancelError) {
            if (AwsErrors.isTransient(cancelError)) {
                throw cancelError;
            }
            throw new StepRefused("AWS refused to roll back refresh " + rollBack.refreshId() + " (" + why
                    + ") and cancelling it failed too (" + AwsErrors.describe(cancelError)
                    + "): the refresh may still be replacing instances");
        }
        return "refresh " + rollBack.refreshId() + " was CANCELLED, NOT rolled back: AWS refused the rollback (" + why
                + "). Instances already replaced keep the new launch-template version; restore them by hand (start a "
                + "refresh to the previous version)";
    }

    /**
     * Conditional on the revision read. Losing means another writer (a concurrent duplicate, instance-refresh
     * noting the refresh's end) wrote the release since: read it once more and write again unless it already
     * says what we mean to; a second loss fails the invocation for a retry.
     */
    private void markRelease(Change.MarkRelease mark, String cancelled) {
        ReleaseState state = cancelled != null && mark.state() == ReleaseState.ROLLED_BACK ? ReleaseState.FAILED : mark.state();
        String reason = cancelled != null ? "cancelled, not rolled back: " + mark.reason() : mark.reason();
        GroupRelease release = mark.release();
        for (int attempt = 0; attempt < 2; attempt++) {
            if (release.state() == state) {
                return;
            }
            if (ledger.writeRelease(release.ended(state, reason, clock.instant()))) {
                return;
            }
            release = ledger.release(release.group(), release.imageId()).orElseThrow(() ->
                    new RetryableFailure("release " + mark.release().imageId() + " disappeared while being recorded", null));
        }
        throw new RetryableFailure("release " + release.imageId() + " of " + release.group()
                + " kept changing while being recorded as " + state, null);
    }

    /** The tags are a mirror for people, not the truth: a failure is logged and noted, never fails the undo. */
    private void mirror(Change.MirrorTags tags, List<String> notes) {
        try {
            if (!tags.set().isEmpty()) {
                autoScaling.createOrUpdateTags(r -> r.tags(tags.set().entrySet().stream().map(e -> Tag.builder()
                        .resourceId(tags.group()).resourceType("auto-scaling-group").key(e.getKey()).value(e.getValue())
                        .propagateAtLaunch(false).build()).toList()));
            }
            if (!tags.delete().isEmpty()) {
                autoScaling.deleteTags(r -> r.tags(tags.delete().stream().map(k -> Tag.builder()
                        .resourceId(tags.group()).resourceType("auto-scaling-group").key(k).build()).toList()));
            }
        } catch (RuntimeException e) {
            Log.warn("could not update the group's state tags (a mirror only; the state table holds the record)",
                    "autoScalingGroup", tags.group(), "error", AwsErrors.describe(e));
            notes.add("state tags not updated (" + AwsErrors.describe(e) + "); the state table holds the record");
        }
    }
}
