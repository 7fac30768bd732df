package io.amirollout.verifier;

import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place refresh-verifier changes anything: it carries out an {@link UndoPlan}. It first takes the group's
 * decision lock (conditional write of the ledger head), so rollback-on-alarm and this function never both undo a
 * refresh; a lost lock returns {@link Applied#lost()} and the caller reads and plans again.
 *
 * <p>Transient AWS errors (throttling, 5xx, after the SDK's retries) propagate, so the invocation fails and Lambda
 * retries; every step is safe to repeat (the next plan sees a rollback already running, a rejection already written,
 * a release already recorded). Permanent refusals (validation, access denied, a refresh AWS will not roll back) end
 * the plan as CANNOT_UNDO with the error, and the AMI is still rejected.
 */
final class UndoApplier {

    static final String BY = "refresh-verifier";
    private final AutoScalingClient autoScaling;
    private final GroupLedger ledger;

    UndoApplier(AutoScalingClient autoScaling, GroupLedger ledger) {
        this.autoScaling = autoScaling;
        this.ledger = ledger;
    }

    /** What was done. {@code lost}: another invocation decided for the group first; nothing was done. */
    record Applied(UndoPlan.Outcome outcome, String summary, List<String> done, boolean lost) {
    }

    Applied apply(GroupRelease release, UndoPlan plan, Instant now) {
        String group = release.group();
        GroupHead head = ledger.head(group);
        if (!ledger.writeHead(head.touched(now))) {
            return new Applied(plan.outcome(), plan.summary(), List.of(), true);
        }
        List<String> done = new ArrayList<>();
        UndoPlan.Outcome outcome = plan.outcome();
        String summary = plan.summary();
        for (UndoPlan.Step step : plan.steps()) {
            switch (step.kind()) {
                case ROLLBACK_REFRESH -> {
                    try {
                        String id = autoScaling.rollbackInstanceRefresh(r -> r.autoScalingGroupName(group)).instanceRefreshId();
                        done.add("RollbackInstanceRefresh " + group + " -> " + id);
                    } catch (ActiveInstanceRefreshNotFoundException e) {
                        // The refresh ended between the read and the call: nothing left to roll back.
                        outcome = UndoPlan.Outcome.NOTHING_TO_UNDO;
                        summary = "no active refresh to roll back any more (" + e.awsErrorDetails().errorCode() + ")";
                    } catch (AwsServiceException e) {
                        AwsErrors.rethrowIfTransient(e);
                        outcome = UndoPlan.Outcome.CANNOT_UNDO;
                        summary = "RollbackInstanceRefresh refused: " + AwsErrors.describe(e);
                    }
                }
                case START_ROLL_FORWARD -> {
                    try {
                        String id = autoScaling.startInstanceRefresh(r -> r.autoScalingGroupName(group)
                                .desiredConfiguration(DesiredConfiguration.builder().launchTemplate(LaunchTemplateSpecification.builder()
                                        .launchTemplateId(step.launchTemplateId()).version(step.version()).build()).build())
                                .preferences(step.preferences())).instanceRefreshId();
                        done.add("StartInstanceRefresh " + group + " to version " + step.version() + " -> " + id);
                    } catch (AwsServiceException e) {
                        AwsErrors.rethrowIfTransient(e);
                        outcome = UndoPlan.Outcome.CANNOT_UNDO;
                        summary = "StartInstanceRefresh (roll forward to version " + step.version() + ") refused: " + AwsErrors.describe(e);
                    }
                }
                case REJECT_AMI -> {
                    boolean recorded = ledger.reject(new RejectedAmi(group, release.imageId(), BY, step.reason(), release.refreshId(), now));
                    done.add(recorded ? "rejected " + release.imageId() : release.imageId() + " was already rejected");
                }
                case RECORD_RELEASE -> {
                    if (outcome == UndoPlan.Outcome.ROLLBACK || outcome == UndoPlan.Outcome.ROLL_FORWARD
                            || outcome == UndoPlan.Outcome.ALREADY_UNDONE) {
                        done.add(record(release, step.releaseState(), step.reason(), now));
                    }
                }
                default -> throw new IllegalStateException("unknown step " + step.kind());
            }
        }
        return new Applied(outcome, summary, done, false);
    }

    /** Conditional write of the release's new state; read again once if another writer came first. */
    private String record(GroupRelease release, ReleaseState state, String reason, Instant now) {
        GroupRelease current = release;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (current.state() == ReleaseState.ROLLED_BACK || current.state() == ReleaseState.ROLLED_FORWARD) {
                return "release already " + current.state();
            }
            if (ledger.writeRelease(current.ended(state, reason, now))) {
                return "release " + current.imageId() + " " + state;
            }
            current = ledger.release(current.group(), current.imageId()).orElseThrow(
                    () -> new IllegalStateException("release " + release.imageId() + " of " + release.group() + " disappeared"));
        }
        throw new IllegalStateException("release " + release.imageId() + " of " + release.group()
                + " kept changing while recording " + state + "; retrying the invocation");
    }

}
