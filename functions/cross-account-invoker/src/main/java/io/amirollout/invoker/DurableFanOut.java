package io.amirollout.invoker;

import io.amirollout.shared.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives one release's fan-out to its end across as many invocations as it takes: seeds a PENDING record
 * per target, runs passes over the targets that are due (retryable failures wait for their backoff), and
 * when the invocation's time runs out, or the next retry is further away than it can wait, hands the rest
 * to a continuation. After {@code MAX_CONTINUATIONS} continuations in a round, what is still pending is
 * given up: FAILED (attempted) or NOT_ATTEMPTED (never attempted), by name in the record.
 */
final class DurableFanOut {

    /** Waiting for a retry inside the invocation is cheaper than a new one, when the budget allows. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** How a call to {@link #resume} ended. */
    record Progress(List<TargetRecord> targets, boolean finished, boolean continued) {
    }

    private static final int MAX_PASSES = 1_000;

    private final FanOut fanOut;
    private final FanOutLedger ledger;
    private final RetryPolicy policy;
    private final Continuations continuations;
    private final CrossAccountInvokerConfig config;
    private final Clock clock;
    private final Sleeper sleeper;

    DurableFanOut(FanOut fanOut, FanOutLedger ledger, Continuations continuations, CrossAccountInvokerConfig config,
                  Clock clock, Sleeper sleeper) {
        this.fanOut = fanOut;
        this.ledger = ledger;
        this.policy = new RetryPolicy(config.maxAttempts());
        this.continuations = continuations;
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Writes a PENDING record for every target that has none (in parallel, like the fan-out itself).
     * False when the budget ran out first: the caller continues, and the continuation lists and seeds again.
     */
    boolean seed(BuiltImage image, List<String> accounts, List<String> regions, FanOut.Budget budget) {
        if (accounts.isEmpty()) {
            return true;
        }
        Instant now = clock.instant();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.maxConcurrency(), accounts.size()));
        try {
            List<Future<Boolean>> futures = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                futures.add(pool.submit(() -> {
                    if (budget.exhausted()) {
                        return false;
                    }
                    for (String region : regions) {
                        var ami = image.amiFor(account, region);
                        ledger.seed(TargetRecord.pending(image.arn(), account, region, ami == null ? null : ami.imageId(), now));
                    }
                    return true;
                }));
            }
            boolean complete = true;
            for (Future<Boolean> future : futures) {
                complete &= future.get();
            }
            return complete;
        } catch (ExecutionException e) {
            // A state-table error (throttling after the SDK's retries): fail the invocation, Lambda retries.
            throw new IllegalStateException("writing the fan-out records failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            pool.shutdownNow();
        }
    }

    Progress resume(ReleaseHeader header, FanOut.Budget budget) {
        BuiltImage image = header.image();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<TargetRecord> targets = ledger.targets(image.arn());
            List<TargetRecord> pending = targets.stream().filter(t -> t.state() == TargetState.PENDING).toList();
            if (pending.isEmpty()) {
                return new Progress(targets, true, false);
            }
            Instant now = clock.instant();
            List<TargetRecord> due = pending.stream().filter(t -> t.dueAt(now)).toList();
            if (budget.exhausted()) {
                return continueOrGiveUp(header, targets, now);
            }
            if (!due.isEmpty()) {
                Log.info("fan-out pass", "imageArn", image.arn(), "due", due.size(), "pending", pending.size());
                fanOut.run(image, due, budget, ledger, policy, clock);
                continue;
            }
            Instant next = pending.stream().map(t -> later(t.nextAttemptAt(), t.leaseUntil()))
                    .filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(now);
            Duration wait = Duration.between(now, next);
            if (budget.canWait(wait)) {
                sleep(wait);
            } else {
                return continueOrGiveUp(header, targets, next);
            }
        }
        return continueOrGiveUp(header, ledger.targets(image.arn()), clock.instant());
    }

    /** Continues in a new invocation now (the budget ran out before the work could start). */
    Progress handOver(ReleaseHeader header) {
        return continueOrGiveUp(header, ledger.targets(header.image().arn()), clock.instant());
    }

    private Progress continueOrGiveUp(ReleaseHeader header, List<TargetRecord> targets, Instant notBefore) {
        ReleaseHeader current = ledger.header(header.image().arn()).orElse(header);
        if (current.continuations() < config.maxContinuations()) {
            if (ledger.replaceHeader(current.continued(clock.instant()))) {
                continuations.schedule(Continuations.Continuation.of(current.image().arn(), current.round(), notBefore));
            } else {
                Log.info("another invocation changed the release record; it carries the fan-out on");
            }
            return new Progress(targets, false, true);
        }
        Log.warn("continuations spent: giving up on the targets still pending", "imageArn", current.image().arn(),
                "continuations", current.continuations());
        Instant now = clock.instant();
        List<TargetRecord> after = new ArrayList<>(targets.size());
        for (TargetRecord t : targets) {
            if (t.state() != TargetState.PENDING) {
                after.add(t);
                continue;
            }
            TargetRecord given = t.attempts() == 0
                    ? t.settled(TargetState.NOT_ATTEMPTED, "never attempted: the fan-out's continuations ran out", null, null, now)
                    : t.settled(TargetState.FAILED, "gave up after " + t.attempts() + " attempts (continuations ran out): "
                    + t.error(), t.errorCode(), null, now);
            ledger.settle(given);
            after.add(given);
        }
        return new Progress(after, true, false);
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait.isNegative() ? Duration.ZERO : wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
