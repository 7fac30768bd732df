package io.amirollout.verifier;

import io.amirollout.shared.state.GroupRelease;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One round of every configured check against the group as it is now. The SSM document is sent in the first round
 * that has a new InService instance and only polled afterwards (the command id comes back in {@link Outcome#sentCommand}
 * for the verification record); a dry run never sends it.
 */
final class CheckRound {

    /** How long instances of the new version may take to be InService before convergence fails. */
    static final Duration CONVERGENCE_LIMIT = Duration.ofSeconds(600);

    private final LoadBalancerCheck loadBalancer;
    private final EcsCheck ecs;
    private final SsmCheck ssm;
    private final RefreshVerifierConfig config;

    CheckRound(LoadBalancerCheck loadBalancer, EcsCheck ecs, SsmCheck ssm, RefreshVerifierConfig config) {
        this.loadBalancer = loadBalancer;
        this.ecs = ecs;
        this.ssm = ssm;
        this.config = config;
    }

    /**
     * @param checks      every configured check's answer this round
     * @param sentCommand the SSM command sent in this round (to record), or null
     * @param sentTo      the instances it was sent to
     */
    record Outcome(List<CheckResult> checks, String sentCommand, List<String> sentTo) {

        boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == CheckResult.Status.FAILED);
        }

        boolean pending() {
            return checks.stream().anyMatch(c -> c.status() == CheckResult.Status.PENDING);
        }
    }

    /**
     * @param startedAt        when the verification started (deadlines count from it)
     * @param commandId        the SSM command already sent for this verification, or null
     * @param commandInstances where it was sent
     * @throws IllegalArgumentException a malformed test tag (names it)
     */
    Outcome run(GroupView group, TestSettings settings, GroupRelease release, boolean atCheckpoint, Instant startedAt,
                Instant now, String commandId, List<String> commandInstances, boolean dryRun) {
        String toVersion = release.toVersion();
        List<GroupView.Member> fresh = group.on(toVersion);
        List<String> inService = fresh.stream().filter(GroupView.Member::inService).map(GroupView.Member::instanceId).toList();
        List<CheckResult> checks = new ArrayList<>();
        String sent = null;
        List<String> sentTo = List.of();
        if (settings.convergence()) {
            checks.add(ConvergenceCheck.evaluate(atCheckpoint, group, toVersion, release.imageId(),
                    past(startedAt, CONVERGENCE_LIMIT, now), CONVERGENCE_LIMIT, config.scaleInProtectedInstances(),
                    config.standbyInstances()));
        }
        boolean attached = !group.targetGroupArns().isEmpty();
        if (settings.loadBalancerOn(attached)) {
            checks.add(attached
                    ? guarded(LoadBalancerCheck.NAME, "elasticloadbalancing:DescribeTargetHealth", () -> loadBalancer.evaluate(
                            group.targetGroupArns(), inService, past(startedAt, settings.loadBalancerGrace(), now), settings.loadBalancerGrace()))
                    : CheckResult.failed(LoadBalancerCheck.NAME, TestSettings.TEST_LOAD_BALANCER + " is true but no target group is attached"));
        }
        if (settings.ecsCluster() != null) {
            checks.add(guarded(EcsCheck.NAME, "ECS", () -> ecs.evaluate(settings.ecsCluster(), inService,
                    past(startedAt, settings.ecsTimeout(), now), settings.ecsTimeout())));
        }
        if (settings.document() != null) {
            boolean late = past(startedAt, settings.documentTimeout(), now);
            if (commandId != null) {
                checks.add(guarded(SsmCheck.NAME, "ssm:GetCommandInvocation",
                        () -> ssm.poll(settings.document(), commandId, commandInstances, late, settings.documentTimeout())));
            } else if (inService.isEmpty()) {
                checks.add(CheckResult.pendingUntil(SsmCheck.NAME, "no new InService instance to run " + settings.document() + " on yet",
                        late, settings.documentTimeout()));
            } else {
                List<String> sample = inService.subList(0, Math.min(settings.sample(), inService.size()));
                if (dryRun) {
                    checks.add(new CheckResult(SsmCheck.NAME, CheckResult.Status.SKIPPED,
                            "dry run: would run " + settings.document() + " on " + String.join(", ", sample)));
                } else {
                    try {
                        sent = ssm.send(settings.document(), sample, settings.documentTimeout(),
                                "ami-rollout refresh-verifier " + release.refreshId());
                        sentTo = List.copyOf(sample);
                        checks.add(CheckResult.pending(SsmCheck.NAME, "sent " + settings.document() + " (command " + sent + ") to "
                                + String.join(", ", sample)));
                    } catch (AwsServiceException e) {
                        // e.g. InvalidInstanceId (not a managed node), InvalidDocument: the test cannot run, so it fails.
                        AwsErrors.rethrowIfTransient(e);
                        checks.add(CheckResult.failed(SsmCheck.NAME, "ssm:SendCommand " + settings.document() + " refused: "
                                + AwsErrors.describe(e)));
                    }
                }
            }
        }
        return new Outcome(checks, sent, sentTo);
    }

    /**
     * A check whose AWS call is refused for good (validation, not found, access denied) fails with the error as
     * evidence; transient errors are thrown for Lambda's retry.
     */
    private static CheckResult guarded(String name, String action, java.util.function.Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (AwsServiceException e) {
            AwsErrors.rethrowIfTransient(e);
            return CheckResult.failed(name, action + " refused: " + AwsErrors.describe(e));
        }
    }

    private static boolean past(Instant startedAt, Duration limit, Instant now) {
        return !now.isBefore(startedAt.plus(limit));
    }
}
