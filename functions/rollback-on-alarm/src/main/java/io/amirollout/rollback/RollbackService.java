package io.amirollout.rollback;

import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes a rollout when an alarm guarding it goes into ALARM: per guarded group, read ({@link GroupReader}),
 * decide ({@link UndoDecider}: a {@link GroupPlan}, no side effects), apply ({@link PlanApplier}, the only code
 * that changes anything), report ({@link Notices}). A dry run stops after deciding and returns the plan.
 *
 * <p>Each group is handled on its own: one failing is reported and the others carry on. A transient AWS error
 * in any group fails the whole invocation AFTER the others were handled ({@link RetryableFailure}), so Lambda
 * retries; the retry's plans hold only what is still missing, so groups already handled change nothing twice.
 */
public final class RollbackService {

    /** Read-decide-apply rounds per group when the world keeps moving under us (concurrent deliveries). */
    private static final int MAX_ROUNDS = 3;

    private final GroupReader reader;
    private final PlanApplier applier;
    private final Notices notices;
    private final RollbackOnAlarmConfig config;
    private final Clock clock;

    public RollbackService(AutoScalingClient autoScaling, StateTable stateTable, NotificationPublisher notices,
                           RollbackOnAlarmConfig config, Clock clock) {
        GroupLedger ledger = new GroupLedger(stateTable);
        this.reader = new GroupReader(autoScaling, ledger);
        this.applier = new PlanApplier(autoScaling, ledger, clock);
        this.notices = new Notices(notices, clock);
        this.config = config;
        this.clock = clock;
    }

    public RollbackResult handle(AlarmStateChange alarm, boolean dryRunRequested) {
        boolean dryRun = dryRunRequested || config.dryRun();
        Optional<String> ignored = AlarmTriage.reasonToIgnore(alarm);
        if (ignored.isPresent()) {
            Log.info("alarm state change ignored", "alarmName", alarm.alarmName(), "transition", alarm.transition(),
                    "reason", ignored.get());
            return result(alarm, "IGNORED", ignored.get(), dryRun, List.of());
        }

        GuardDecider.Guarded guarded;
        try {
            Map<String, AutoScalingGroup> targets = GuardDecider.isStackGuardAlarm(alarm, config)
                    ? reader.byName(config.targetAutoScalingGroups()) : Map.of();
            guarded = GuardDecider.guarded(alarm, config, reader.taggedGroups(), targets);
        } catch (RuntimeException e) {
            if (AwsErrors.isTransient(e)) {
                throw new RetryableFailure("could not list the groups guarded by alarm '" + alarm.alarmName() + "': "
                        + AwsErrors.describe(e), e);
            }
            String reason = "could not list the Auto Scaling groups guarded by alarm '" + alarm.alarmName() + "': "
                    + AwsErrors.describe(e);
            Log.error("cannot find guarded groups; nothing was changed", e, "alarmName", alarm.alarmName());
            notices.failure(alarm, GroupResult.failed(null, reason), dryRun);
            return result(alarm, "FAILED", reason, dryRun, List.of());
        }
        if (guarded.none()) {
            // The broad EventBridge rule forwards every alarm entering ALARM (a rule cannot read group tags):
            // most are none of our business. A log line, no notice.
            String reason = "alarm '" + alarm.alarmName() + "' guards no Auto Scaling group (no group's ami-rollout:alarms tag "
                    + "names it and it is not one of the stack's guard alarms for TARGET_AUTO_SCALING_GROUPS)";
            Log.info("alarm guards no group; ignored", "alarmName", alarm.alarmName());
            return result(alarm, "IGNORED", reason, dryRun, List.of());
        }
        Log.info("alarm went into ALARM: undoing the rollouts it guards", "alarmName", alarm.alarmName(),
                "alarmKind", alarm.kind().name(), "transition", alarm.transition(), "via", alarm.via().name(),
                "groups", guarded.groups().size(), "dryRun", dryRun);

        List<GroupResult> results = new ArrayList<>();
        for (String missing : guarded.missingTargets()) {
            results.add(notices.failure(alarm, GroupResult.failed(missing, "Auto Scaling group '" + missing
                    + "' named in TARGET_AUTO_SCALING_GROUPS does not exist in this account and region"), dryRun));
        }
        List<String> retry = new ArrayList<>();
        RuntimeException firstTransient = null;
        for (AutoScalingGroup group : guarded.groups()) {
            try {
                results.add(notices.report(alarm, undo(alarm, group, dryRun), dryRun));
            } catch (RuntimeException e) {
                if (AwsErrors.isTransient(e) || e instanceof RetryableFailure) {
                    Log.error("transient failure; the invocation will fail so Lambda retries it", e,
                            "autoScalingGroup", group.autoScalingGroupName());
                    retry.add(group.autoScalingGroupName() + " (" + AwsErrors.describe(e) + ")");
                    firstTransient = firstTransient == null ? e : firstTransient;
                    continue;
                }
                Log.error("undoing the rollout failed for this group; carrying on with the others", e,
                        "autoScalingGroup", group.autoScalingGroupName());
                results.add(notices.failure(alarm, GroupResult.failed(group.autoScalingGroupName(), AwsErrors.describe(e)), dryRun));
            }
        }
        if (!retry.isEmpty()) {
            throw new RetryableFailure("alarm '" + alarm.alarmName() + "': transient AWS errors for " + String.join(", ", retry)
                    + "; the other groups were handled and a retry changes nothing twice", firstTransient);
        }

        List<String> failed = results.stream().filter(r -> r.outcome().failed()).map(GroupResult::autoScalingGroup).toList();
        String outcome = failed.isEmpty() ? "ACTED" : failed.size() == results.size() ? "FAILED" : "PARTIAL";
        String reason = results.size() + " group(s) guarded by alarm '" + alarm.alarmName() + "'"
                + (failed.isEmpty() ? "" : "; not undone: " + String.join(", ", failed));
        return result(alarm, outcome, reason, dryRun, results);
    }

    /** Read, decide, apply; again when the applier says the world moved between our read and our write. */
    private GroupResult undo(AlarmStateChange alarm, AutoScalingGroup group, boolean dryRun) {
        String lastWhy = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            GroupFacts facts = reader.facts(group, round > 0);
            GroupPlan plan = UndoDecider.decide(alarm, facts, clock.instant(), config);
            Log.info("plan decided", "autoScalingGroup", plan.group(), "outcome", plan.outcome().name(),
                    "reason", plan.reason(), "plan", String.join(" | ", plan.describe()));
            if (dryRun) {
                return GroupResult.of(plan, wouldBe(plan.outcome()), "dry run: " + plan.reason(), null);
            }
            if (plan.changes().isEmpty()) {
                return GroupResult.of(plan, plan.outcome(), plan.reason(), null);
            }
            PlanApplier.Applied applied = applier.apply(plan);
            if (applied.result() != null) {
                return applied.result();
            }
            lastWhy = applied.redecide();
            Log.info("deciding again", "autoScalingGroup", group.autoScalingGroupName(), "why", lastWhy);
        }
        throw new RetryableFailure("the state of " + group.autoScalingGroupName() + " kept changing under us (" + lastWhy
                + "); a retry decides again", null);
    }

    private static GroupOutcome wouldBe(GroupOutcome outcome) {
        return switch (outcome) {
            case ROLLBACK_STARTED -> GroupOutcome.WOULD_ROLL_BACK;
            case ROLL_FORWARD_STARTED -> GroupOutcome.WOULD_ROLL_FORWARD;
            default -> outcome;
        };
    }

    private static RollbackResult result(AlarmStateChange alarm, String outcome, String reason, boolean dryRun,
                                         List<GroupResult> groups) {
        List<String> failed = groups.stream().filter(g -> g.outcome().failed()).map(GroupResult::autoScalingGroup).toList();
        return new RollbackResult(alarm.alarmName(), alarm.kind(), alarm.via(), alarm.transition(), outcome, reason,
                dryRun, groups, failed);
    }
}
