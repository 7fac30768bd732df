package io.amirollout.verifier;

import com.fasterxml.jackson.core.type.TypeReference;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verifies one refresh of one group: finds the release the state of record holds for it, claims the verification
 * (one per refresh and checkpoint, so duplicates test nothing twice), runs rounds of checks until every one passed,
 * one failed, or the invocation's time is up (then it hands over to a continuation), and on a failure undoes the
 * refresh through {@link UndoPlanner} and {@link UndoApplier}. Dry run: one round of read-only checks and the plan.
 */
public final class VerifierService {

    /** Kept free at the end of an invocation for the verdict, the undo and the hand-over. */
    static final Duration RESERVE = Duration.ofSeconds(20);

    private final GroupLedger ledger;
    private final Verifications verifications;
    private final GroupReader reader;
    private final CheckRound round;
    private final UndoApplier applier;
    private final VerifierNotices notices;
    private final Continuations continuations;
    private final RefreshVerifierConfig config;
    private final Clock clock;
    private final Sleeper sleeper;

    VerifierService(GroupLedger ledger, Verifications verifications, GroupReader reader, CheckRound round,
                    UndoApplier applier, VerifierNotices notices, Continuations continuations, RefreshVerifierConfig config,
                    Clock clock, Sleeper sleeper) {
        this.ledger = ledger;
        this.verifications = verifications;
        this.reader = reader;
        this.round = round;
        this.applier = applier;
        this.notices = notices;
        this.continuations = continuations;
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * @param budget      how long this invocation may run (Lambda's remaining time)
     * @param functionArn the ARN this invocation was called with, for a continuation
     * @param requestId   Lambda's request id: names a manual verification (an asynchronous retry keeps it, so a
     *                    retried manual request resumes its verification instead of starting another)
     */
    public VerifyResult handle(VerifyRequest request, Duration budget, String functionArn, String requestId) {
        Instant now = clock.instant();
        Instant end = now.plus(budget).minus(RESERVE);
        if (request.continuation()) {
            Optional<Verification> found = verifications.find(request.continuationId());
            if (found.isEmpty()) {
                Log.error("continuation for an unknown verification", "verificationId", request.continuationId());
                return VerifyResult.simple("INVALID_EVENT", null, null, false, "no verification " + request.continuationId());
            }
            return resume(found.get(), end, functionArn);
        }
        boolean dryRun = request.dryRun() || config.dryRun();
        Optional<GroupRelease> release = request.phase() == Phase.MANUAL
                ? Optional.ofNullable(ledger.head(request.group()).latestImageId()).flatMap(ami -> ledger.release(request.group(), ami))
                : ledger.releaseByRefresh(request.group(), request.refreshId());
        if (release.isEmpty()) {
            String why = request.phase() == Phase.MANUAL ? "no refresh recorded for group " + request.group()
                    : "refresh " + request.refreshId() + " of " + request.group() + " was not started by ami-rollout";
            Log.info("nothing to verify: " + why, "autoScalingGroup", request.group());
            return VerifyResult.simple("IGNORED", request.group(), request.refreshId(), dryRun, why);
        }
        GroupRelease r = release.get();
        String id = request.verificationId(requestId);
        Phase phase = request.phase();
        if (!dryRun) {
            // A duplicate or a Lambda retry of an event already being (or already) verified: the record decides.
            Optional<Verification> existing = verifications.find(id);
            if (existing.isPresent()) {
                return resume(existing.get(), end, functionArn);
            }
        }
        boolean eligible = switch (request.phase()) {
            case CHECKPOINT -> r.state() == ReleaseState.STARTED;
            case SUCCEEDED -> r.state() == ReleaseState.STARTED || r.state() == ReleaseState.SUCCEEDED
                    || r.state() == ReleaseState.NOT_CONVERGED;
            case MANUAL -> r.toVersion() != null;
        };
        if (!eligible) {
            String why = "release " + r.imageId() + " of " + r.group() + " is " + r.state() + "; nothing to verify";
            Log.info(why, "autoScalingGroup", r.group());
            return VerifyResult.simple("IGNORED", r.group(), r.refreshId(), dryRun, why);
        }
        if (dryRun) {
            return dryRun(phase, r, id, request.checkpointPercentage(), now);
        }
        Optional<Verification> claimed = verifications.claim(id, r.group(), r.refreshId(), r.imageId(), phase, now, end.plus(RESERVE));
        if (claimed.isPresent()) {
            return run(claimed.get(), r, request.checkpointPercentage(), end, functionArn);
        }
        return verifications.find(id).map(v -> resume(v, end, functionArn))
                .orElseGet(() -> VerifyResult.simple("DUPLICATE", r.group(), r.refreshId(), false, "verification " + id + " exists"));
    }

    /** A duplicate delivery, a Lambda retry or a continuation: take the lease if nobody holds it, then go on. */
    private VerifyResult resume(Verification v, Instant end, String functionArn) {
        Instant now = clock.instant();
        boolean open = v.state() == Verification.State.TESTING || v.state() == Verification.State.FAILED;
        if (!open || v.leaseLive(now)) {
            String why = open ? "another invocation is working on it until " + v.leaseUntil() : "already " + v.state();
            Log.info("duplicate: verification " + v.id() + " " + why, "autoScalingGroup", v.group());
            return result("DUPLICATE", v, null, List.of(), null, List.of(), List.of(), why);
        }
        Optional<Verification> taken = verifications.write(v.withLease(end.plus(RESERVE)));
        Optional<GroupRelease> release = ledger.release(v.group(), v.imageId());
        if (taken.isEmpty() || release.isEmpty()) {
            return result("DUPLICATE", v, null, List.of(), null, List.of(), List.of(), taken.isEmpty()
                    ? "another invocation took it first" : "its release is no longer recorded");
        }
        return run(taken.get(), release.get(), checkpointOf(v.id()), end, functionArn);
    }

    private VerifyResult run(Verification start, GroupRelease release, Integer checkpoint, Instant end, String functionArn) {
        Verification v = start;
        try {
            if (v.state() == Verification.State.FAILED) {
                return undo(v, release, checkpoint, readChecks(v.checks()));
            }
            while (true) {
                Instant now = clock.instant();
                Optional<GroupView> group = reader.group(v.group());
                if (group.isEmpty()) {
                    verifications.write(v.decided(Verification.State.REPORTED, null));
                    return result("IGNORED", v, checkpoint, List.of(), null, List.of(), List.of(), "the group no longer exists");
                }
                TestSettings settings;
                try {
                    settings = TestSettings.from(group.get().tags());
                } catch (IllegalArgumentException e) {
                    Log.error("test tags malformed: " + e.getMessage(), "autoScalingGroup", v.group());
                    verifications.write(v.decided(Verification.State.REPORTED, null));
                    notices.notTested(subject(v, release, checkpoint, false), e.getMessage(), now);
                    return result("CONFIGURATION_ERROR", v, checkpoint, List.of(), null, List.of(), List.of(), e.getMessage());
                }
                CheckRound.Outcome outcome = round.run(group.get(), settings, release, atCheckpoint(v.phase(), release),
                        v.startedAt(), now, v.commandId(), v.commandInstances(), false);
                if (outcome.sentCommand() != null) {
                    v = verifications.write(v.withCommand(outcome.sentCommand(), outcome.sentTo()))
                            .orElseThrow(() -> new IllegalStateException("lost the verification lease while recording the SSM command"));
                }
                if (outcome.failed()) {
                    if (v.phase() == Phase.MANUAL) {
                        verifications.write(v.decided(Verification.State.REPORTED, Json.write(outcome.checks())));
                        notices.failed(subject(v, release, checkpoint, false), outcome.checks(), "NONE", List.of(), now);
                        return result("FAILED", v, checkpoint, outcome.checks(), "NONE", List.of(), List.of(), "manual request: reported only");
                    }
                    v = verifications.write(v.decided(Verification.State.FAILED, Json.write(outcome.checks())))
                            .orElseThrow(() -> new IllegalStateException("lost the verification lease at the verdict"));
                    return undo(v, release, checkpoint, outcome.checks());
                }
                if (!outcome.pending()) {
                    verifications.write(v.decided(Verification.State.PASSED, Json.write(outcome.checks())));
                    notices.passed(subject(v, release, checkpoint, false), outcome.checks(), now);
                    return result("PASSED", v, checkpoint, outcome.checks(), null, List.of(), List.of(), null);
                }
                if (now.plus(config.pollInterval()).isAfter(end)) {
                    return handOver(v, release, checkpoint, outcome.checks(), functionArn);
                }
                sleeper.sleep(config.pollInterval());
            }
        } catch (RuntimeException e) {
            // Give the lease back so Lambda's retry (same event) can take the verification over at once.
            final Verification held = v;
            try {
                verifications.find(held.id()).ifPresent(current -> verifications.write(current.withLease(clock.instant())));
            } catch (RuntimeException ignored) {
                Log.warn("could not release the verification lease; it expires at " + held.leaseUntil(), "verificationId", held.id());
            }
            throw e;
        }
    }

    private VerifyResult handOver(Verification v, GroupRelease release, Integer checkpoint, List<CheckResult> checks,
                                  String functionArn) {
        if (v.attempt() >= config.maxContinuations()) {
            List<CheckResult> failed = checks.stream().map(c -> c.status() == CheckResult.Status.PENDING
                    ? CheckResult.failed(c.name(), "still undecided after " + v.attempt() + " continuations: " + c.evidence()) : c).toList();
            Verification decided = verifications.write(v.decided(Verification.State.FAILED, Json.write(failed)))
                    .orElseThrow(() -> new IllegalStateException("lost the verification lease at the verdict"));
            return undo(decided, release, checkpoint, failed);
        }
        verifications.write(v.handedOver(clock.instant()))
                .orElseThrow(() -> new IllegalStateException("lost the verification lease at the hand-over"));
        continuations.schedule(functionArn, v.id());
        Log.info("checks still pending: continued in a new invocation", "verificationId", v.id(), "attempt", v.attempt() + 1);
        return result("CONTINUED", v, checkpoint, checks, null, List.of(), List.of(), "continuation " + (v.attempt() + 1));
    }

    private VerifyResult undo(Verification v, GroupRelease release, Integer checkpoint, List<CheckResult> checks) {
        CheckResult failure = checks.stream().filter(c -> c.status() == CheckResult.Status.FAILED).findFirst().orElse(null);
        String why = failure == null ? "checks failed" : failure.name() + ": " + failure.evidence();
        UndoApplier.Applied applied = null;
        UndoPlan plan = null;
        for (int attempt = 0; attempt < 3 && (applied == null || applied.lost()); attempt++) {
            GroupRelease current = ledger.release(release.group(), release.imageId()).orElse(release);
            plan = UndoPlanner.plan(v.phase(), current, reader.refreshes(v.group()), refreshSettings(v.group()), why);
            applied = applier.apply(current, plan, clock.instant());
        }
        if (applied.lost()) {
            throw new IllegalStateException("group " + v.group() + " kept being decided by another invocation; retrying");
        }
        verifications.write(v.decided(Verification.State.UNDONE, v.checks()));
        Instant now = clock.instant();
        VerifierNotices.Subject subject = subject(v, release, checkpoint, false);
        notices.failed(subject, checks, applied.outcome().name(), plan.described(), now);
        notices.undone(subject, applied, failure, now);
        Log.warn("tests failed: " + applied.summary(), "autoScalingGroup", v.group(), "undo", applied.outcome().name());
        return result("FAILED", v, checkpoint, checks, applied.outcome().name(), plan.described(), applied.done(), applied.summary());
    }

    private VerifyResult dryRun(Phase phase, GroupRelease release, String id, Integer checkpoint, Instant now) {
        Verification v = new Verification(id, release.group(), release.refreshId(), release.imageId(), phase,
                Verification.State.TESTING, 0, now, null, null, List.of(), null, null);
        Optional<GroupView> group = reader.group(release.group());
        if (group.isEmpty()) {
            return result("IGNORED", v, checkpoint, List.of(), null, List.of(), List.of(), "the group no longer exists", true);
        }
        TestSettings settings;
        try {
            settings = TestSettings.from(group.get().tags());
        } catch (IllegalArgumentException e) {
            return result("CONFIGURATION_ERROR", v, checkpoint, List.of(), null, List.of(), List.of(), e.getMessage(), true);
        }
        CheckRound.Outcome outcome = round.run(group.get(), settings, release, atCheckpoint(phase, release), now, now,
                null, List.of(), true);
        VerifierNotices.Subject subject = subject(v, release, checkpoint, true);
        if (outcome.failed() && phase != Phase.MANUAL) {
            CheckResult failure = outcome.checks().stream().filter(c -> c.status() == CheckResult.Status.FAILED).findFirst().orElseThrow();
            UndoPlan plan = UndoPlanner.plan(phase, release, reader.refreshes(release.group()), refreshSettings(release.group()),
                    failure.name() + ": " + failure.evidence());
            notices.failed(subject, outcome.checks(), plan.outcome().name(), plan.described(), now);
            return result("FAILED", v, checkpoint, outcome.checks(), plan.outcome().name(), plan.described(), List.of(), plan.summary(), true);
        }
        if (outcome.failed()) {
            notices.failed(subject, outcome.checks(), "NONE", List.of(), now);
            return result("FAILED", v, checkpoint, outcome.checks(), "NONE", List.of(), List.of(), "manual request: reported only", true);
        }
        if (outcome.pending()) {
            return result("PENDING", v, checkpoint, outcome.checks(), null, List.of(), List.of(), "not decided in one round (dry run)", true);
        }
        notices.passed(subject, outcome.checks(), now);
        return result("PASSED", v, checkpoint, outcome.checks(), null, List.of(), List.of(), null, true);
    }

    /** The group's refresh preferences as instance-refresh builds them; defaults when its tags are malformed. */
    private RefreshSettings refreshSettings(String group) {
        java.util.Map<String, String> tags = reader.group(group).map(GroupView::tags).orElse(java.util.Map.of());
        try {
            return RefreshSettings.from(tags, config.scaleInProtectedInstances(), config.standbyInstances());
        } catch (IllegalArgumentException e) {
            Log.warn("refresh tags malformed, rolling forward with default preferences: " + e.getMessage(), "autoScalingGroup", group);
            return RefreshSettings.from(java.util.Map.of(), config.scaleInProtectedInstances(), config.standbyInstances());
        }
    }

    /** Checkpoint semantics (replaced so far) at a checkpoint, and for a manual request while the refresh runs. */
    private static boolean atCheckpoint(Phase phase, GroupRelease release) {
        return phase == Phase.CHECKPOINT || (phase == Phase.MANUAL && release.state() == ReleaseState.STARTED);
    }

    private static Integer checkpointOf(String id) {
        int at = id.lastIndexOf("#checkpoint-");
        return at < 0 ? null : Integer.valueOf(id.substring(at + "#checkpoint-".length()));
    }

    private static List<CheckResult> readChecks(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<CheckResult>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("verification record holds unreadable checks", e);
        }
    }

    private VerifierNotices.Subject subject(Verification v, GroupRelease release, Integer checkpoint, boolean dryRun) {
        return new VerifierNotices.Subject(v.group(), v.refreshId(), v.imageId(), release.toVersion(), v.phase(), checkpoint,
                release.correlationId(), dryRun);
    }

    private static VerifyResult result(String outcome, Verification v, Integer checkpoint, List<CheckResult> checks, String undo,
                                       List<String> plan, List<String> done, String reason) {
        return result(outcome, v, checkpoint, checks, undo, plan, done, reason, false);
    }

    private static VerifyResult result(String outcome, Verification v, Integer checkpoint, List<CheckResult> checks, String undo,
                                       List<String> plan, List<String> done, String reason, boolean dryRun) {
        return new VerifyResult(outcome, v.group(), v.refreshId(), v.imageId(),
                v.phase().name() + (checkpoint == null ? "" : " " + checkpoint + "%"), v.id(), dryRun, checks, undo, plan, done, reason);
    }
}
