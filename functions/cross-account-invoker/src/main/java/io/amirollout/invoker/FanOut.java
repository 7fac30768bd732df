package io.amirollout.invoker;

import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The bounded parallel fan-out: for each account, AssumeRole once, then one asynchronous Invoke of
 * instance-refresh per region. At most {@code MAX_CONCURRENCY} accounts are worked on at once.
 * Before starting each account it checks the Lambda's remaining time; below the safety margin the
 * account's targets stay PENDING for the next pass or continuation. Every failure stays with its own
 * target, and every attempt is claimed and settled in the release's record ({@link FanOutLedger}).
 */
final class FanOut {

    /** Lambda's limit for an asynchronous (InvocationType=Event) payload: 1 MB. */
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
    /** No single AWS call may hold a worker longer than this (the SDK's own retries included). */
    static final Duration MAX_CALL_TIME = Duration.ofSeconds(60);
    private static final int REASON_LIMIT = 300;
    /** An attempt owns its target this long: longer than two calls at their longest, so no second runner overlaps it. */
    static final Duration LEASE = Duration.ofMinutes(3);

    private final StsClient sts;
    private final LambdaClientFactory lambdas;
    private final CrossAccountInvokerConfig config;

    FanOut(StsClient sts, LambdaClientFactory lambdas, CrossAccountInvokerConfig config) {
        this.sts = sts;
        this.lambdas = lambdas;
        this.config = config;
    }

    /**
     * One pass over the targets that are due: per account (at most {@code MAX_CONCURRENCY} at once) claim
     * its due targets in the ledger, AssumeRole once, then Invoke per region and settle each target's record
     * through the retry policy. Targets not started before the budget ran out stay PENDING for the next
     * pass or continuation. Returns the records as this pass left them (attempted ones only).
     */
    List<TargetRecord> run(BuiltImage image, List<TargetRecord> due, Budget budget, FanOutLedger ledger,
                           RetryPolicy policy, Clock clock) {
        Map<String, List<TargetRecord>> byAccount = new LinkedHashMap<>();
        due.forEach(t -> byAccount.computeIfAbsent(t.accountId(), a -> new ArrayList<>()).add(t));
        if (byAccount.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.maxConcurrency(), byAccount.size()), threads());
        try {
            List<Future<List<TargetRecord>>> futures = new ArrayList<>(byAccount.size());
            for (List<TargetRecord> targets : byAccount.values()) {
                futures.add(pool.submit(() -> runAccount(image, targets, budget, ledger, policy, clock)));
            }
            List<TargetRecord> results = new ArrayList<>(due.size());
            for (Future<List<TargetRecord>> future : futures) {
                results.addAll(await(future));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<TargetRecord> await(Future<List<TargetRecord>> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // A bug or a state-table error in one account's work must not lose the others' results; its
            // targets stay as the ledger has them (a lease expires, the next pass tries again).
            Log.error("unexpected error for one account; its targets are retried after their lease", e.getCause());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private List<TargetRecord> runAccount(BuiltImage image, List<TargetRecord> targets, Budget budget,
                                          FanOutLedger ledger, RetryPolicy policy, Clock clock) {
        if (budget.exhausted()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<TargetRecord> claimed = new ArrayList<>(targets.size());
        for (TargetRecord target : targets) {
            ledger.claim(target, now, now.plus(LEASE)).ifPresent(claimed::add);
        }
        if (claimed.isEmpty()) {
            return List.of(); // another invocation has them
        }
        String account = claimed.get(0).accountId();
        AwsCredentialsProvider credentials;
        try {
            credentials = assume(image, account, budget);
        } catch (SdkException e) {
            RetryPolicy.Outcome outcome = RetryPolicy.classify(e, "AssumeRole " + roleArn(image, account), false);
            return claimed.stream().map(t -> settle(ledger, policy.settle(t, outcome, clock.instant()))).toList();
        }
        List<TargetRecord> results = new ArrayList<>(claimed.size());
        for (TargetRecord target : claimed) {
            results.add(settle(ledger, policy.settle(target, invoke(image, target, credentials, budget), clock.instant())));
        }
        return results;
    }

    private static TargetRecord settle(FanOutLedger ledger, TargetRecord settled) {
        if (!ledger.settle(settled)) {
            Log.warn("the target's record changed under its claim (a redrive?); outcome kept in the log only",
                    "accountId", settled.accountId(), "region", settled.region(), "state", settled.state());
        }
        if (settled.state() != TargetState.INVOKED) {
            Log.warn("target " + settled.state(), "accountId", settled.accountId(), "region", settled.region(),
                    "attempts", settled.attempts(), "error", settled.error(), "nextAttemptAt", String.valueOf(settled.nextAttemptAt()));
        }
        return FanOutLedger.withRevision(settled, settled.revision() + 1);
    }

    private AwsCredentialsProvider assume(BuiltImage image, String account, Budget budget) {
        Credentials c = sts.assumeRole(r -> {
            r.roleArn(roleArn(image, account))
                    .roleSessionName(sessionName(image))
                    .durationSeconds((int) config.assumeRoleDuration().getSeconds())
                    .overrideConfiguration(o -> o.apiCallTimeout(budget.callTimeout()));
            if (config.externalId() != null) {
                r.externalId(config.externalId());
            }
        }).credentials();
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    private RetryPolicy.Outcome invoke(BuiltImage image, TargetRecord target, AwsCredentialsProvider credentials, Budget budget) {
        ImageReleased.Ami ami = image.amiFor(target.accountId(), target.region());
        if (ami == null) {
            return new RetryPolicy.Outcome(RetryPolicy.Kind.FAILED, "the image has no AMI in " + target.region(), null);
        }
        byte[] payload = Json.write(release(image).forRegion(ami)).getBytes(StandardCharsets.UTF_8);
        if (payload.length > ASYNC_PAYLOAD_LIMIT) {
            return new RetryPolicy.Outcome(RetryPolicy.Kind.FAILED, "payload of " + payload.length
                    + " bytes exceeds Lambda's 1 MB limit for asynchronous invocation", null);
        }
        LambdaClient lambda = lambdas.client(Region.of(target.region()), credentials);
        try {
            InvokeResponse response = lambda.invoke(r -> r
                    .functionName(config.targetFunctionName())
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload))
                    // The target account's session signs this request, whatever client carries it.
                    .overrideConfiguration(o -> o.credentialsProvider(credentials).apiCallTimeout(budget.callTimeout())));
            Integer status = response.statusCode();
            if (status == null || status != 202) {
                return new RetryPolicy.Outcome(RetryPolicy.Kind.RETRY, "Invoke answered HTTP " + status
                        + " instead of 202 Accepted", null);
            }
            return RetryPolicy.Outcome.INVOKED;
        } catch (SdkException e) {
            return RetryPolicy.classify(e, "Invoke " + config.targetFunctionName(), true);
        } finally {
            lambdas.release(lambda);
        }
    }

    static ImageReleased release(BuiltImage image) {
        return new ImageReleased(ImageReleased.CONTRACT_VERSION, image.arn(),
                new ImageReleased.Image(image.name(), image.version(), image.arn()), image.amis(), false);
    }

    String roleArn(BuiltImage image, String account) {
        String name = config.targetRoleName().startsWith("/") ? config.targetRoleName().substring(1) : config.targetRoleName();
        return "arn:" + image.partition() + ":iam::" + account + ":role/" + name;
    }

    /** STS: 2-64 characters of {@code [\w+=,.@-]}; visible in the workload account's CloudTrail. */
    static String sessionName(BuiltImage image) {
        String raw = "ami-rollout-" + (image.name() == null ? "image" : image.name())
                + (image.version() == null ? "" : "-" + image.version());
        String clean = raw.replaceAll("[^\\w+=,.@-]", "-");
        return clean.length() <= 64 ? clean : clean.substring(0, 64);
    }

    /** "AccessDenied (403): message" — the service's words, shortened. */
    static String describe(SdkException e) {
        String text;
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String message = service.awsErrorDetails().errorMessage();
            text = service.awsErrorDetails().errorCode() + " (" + service.statusCode() + ")"
                    + (message == null ? "" : ": " + message);
        } else {
            text = "no answer: " + e.getMessage();
        }
        return text.length() <= REASON_LIMIT ? text : text.substring(0, REASON_LIMIT - 1) + "…";
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fan-out-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The Lambda's remaining time, read through the Context, against the safety margin. */
    record Budget(LongSupplier remainingMillis, long marginMillis) {

        boolean exhausted() {
            return remainingMillis.getAsLong() < marginMillis;
        }

        /** True when waiting this long still leaves the margin and time for a pass. */
        boolean canWait(Duration wait) {
            return remainingMillis.getAsLong() - wait.toMillis() > marginMillis * 2;
        }

        /** A call may use the time left above half the margin, and never more than a minute. */
        Duration callTimeout() {
            long usable = remainingMillis.getAsLong() - marginMillis / 2;
            return Duration.ofMillis(Math.max(1_000, Math.min(MAX_CALL_TIME.toMillis(), usable)));
        }
    }
}
