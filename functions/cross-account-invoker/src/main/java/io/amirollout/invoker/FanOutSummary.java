package io.amirollout.invoker;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The release's result and its FANOUT_COMPLETED notice, from the target records. Severity: SUCCESS when
 * every target that exists was invoked; WARNING when some failed or were not attempted but some were
 * invoked, or nothing was there to invoke; ERROR when targets failed and none was invoked. NOT_DEPLOYED
 * targets (no instance-refresh in that account and region) are counted and listed but never raise it.
 */
final class FanOutSummary {

    /** The notice lists at most this many targets per list (an SNS message is limited to 256 KB). */
    static final int NOTICE_LIST_LIMIT = 50;

    private FanOutSummary() {
    }

    static InvokerResult result(InvokerResult.Status status, String shape, ReleaseHeader header, List<TargetRecord> targets,
                                List<SkippedAccount> skippedAccounts, List<String> skippedRegions) {
        BuiltImage image = header.image();
        List<TargetResult> failures = of(targets, TargetState.FAILED);
        List<TargetResult> notAttempted = of(targets, TargetState.NOT_ATTEMPTED);
        long accounts = targets.stream().map(TargetRecord::accountId).distinct().count();
        return new InvokerResult(status, null, shape, image.arn(), image.name(), image.version(), "AVAILABLE", false,
                header.accountSource(), header.regions(), skippedRegions, (int) accounts, targets.size(),
                count(targets, TargetState.INVOKED), failures.size(), header.skippedAccounts() * header.regions().size(),
                notAttempted.size(), count(targets, TargetState.NOT_DEPLOYED), count(targets, TargetState.PENDING),
                header.round(), InvokerResult.capped(failures), skippedAccounts, InvokerResult.capped(notAttempted), List.of());
    }

    static Severity severity(InvokerResult r) {
        int invokable = r.targets() - r.notDeployed();
        if (r.failed() == 0 && r.notAttempted() == 0) {
            return invokable == 0 ? Severity.WARNING : Severity.SUCCESS;
        }
        return r.succeeded() == 0 ? Severity.ERROR : Severity.WARNING;
    }

    /** One log line per target that did not get the release, so none is only a number in a notice. */
    static void logEveryMiss(List<TargetRecord> targets) {
        for (TargetRecord t : targets) {
            if (t.state() == TargetState.FAILED || t.state() == TargetState.NOT_ATTEMPTED || t.state() == TargetState.NOT_DEPLOYED) {
                Log.warn("target " + t.state() + ": " + t.accountId() + " " + t.region(), "accountId", t.accountId(),
                        "region", t.region(), "attempts", t.attempts(), "error", t.error());
            }
        }
    }

    static Notification notice(InvokerResult r, List<TargetRecord> targets, Instant now) {
        String[] arn = r.imageArn().split(":");
        String label = r.imageName() + (r.imageVersion() == null ? "" : " " + r.imageVersion());
        return Notification.of(NotificationKind.FANOUT_COMPLETED, (r.round() > 0 ? "Redrive " + r.round() + " of rollout " : "Rollout ")
                        + "fan-out completed for " + label + ": " + r.succeeded() + "/" + r.targets() + " targets invoked")
                .severity(severity(r))
                .time(now)
                .correlationId(r.imageArn())
                .accountId(arn.length > 4 ? arn[4] : null)
                .region(arn.length > 3 ? arn[3] : null)
                .detail("imageArn", r.imageArn())
                .detail("imageName", r.imageName())
                .detail("imageVersion", r.imageVersion())
                .detail("round", r.round())
                .detail("accountSource", r.accountSource())
                .detail("regions", r.regions())
                .detail("accounts", r.accounts())
                .detail("targets", r.targets())
                .detail("succeeded", r.succeeded())
                .detail("failed", r.failed())
                .detail("notAttempted", r.notAttempted())
                .detail("notDeployed", r.notDeployed())
                .detail("skipped", r.skipped())
                .detail("failures", capped(lines(targets, TargetState.FAILED, true)))
                .detail("notAttemptedTargets", capped(lines(targets, TargetState.NOT_ATTEMPTED, false)))
                .detail("notDeployedTargets", capped(lines(targets, TargetState.NOT_DEPLOYED, false)))
                .detail("record", r.failed() + r.notAttempted() + r.notDeployed() == 0 ? null
                        : "every target: state table items pk=" + TargetRecord.partition(r.imageArn())
                        + "; retry what was not invoked with {\"redrive\": \"" + r.imageArn() + "\"}")
                .build();
    }

    private static List<String> lines(List<TargetRecord> targets, TargetState state, boolean withReason) {
        return targets.stream().filter(t -> t.state() == state)
                .map(t -> t.accountId() + " " + t.region() + (withReason && t.error() != null ? ": " + t.error() : ""))
                .toList();
    }

    /** At most {@link #NOTICE_LIST_LIMIT} entries, then "and N more"; null when empty. */
    static List<String> capped(List<String> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() <= NOTICE_LIST_LIMIT) {
            return entries;
        }
        List<String> head = new ArrayList<>(entries.subList(0, NOTICE_LIST_LIMIT));
        head.add("and " + (entries.size() - NOTICE_LIST_LIMIT) + " more (all in the state table)");
        return head;
    }

    private static List<TargetResult> of(List<TargetRecord> targets, TargetState state) {
        return targets.stream().filter(t -> t.state() == state).map(TargetResult::of).toList();
    }

    private static int count(List<TargetRecord> targets, TargetState state) {
        return (int) targets.stream().filter(t -> t.state() == state).count();
    }
}
