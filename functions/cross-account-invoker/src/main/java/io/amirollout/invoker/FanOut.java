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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Before starting each target it checks the Lambda's remaining time; below the safety margin the
 * target is reported NOT_ATTEMPTED instead of started. Every failure stays with its own target.
 */
final class FanOut {

    /** Lambda's limit for an asynchronous (InvocationType=Event) payload: 1 MB. */
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
    /** No single AWS call may hold a worker longer than this (the SDK's own retries included). */
    static final Duration MAX_CALL_TIME = Duration.ofSeconds(60);
    private static final int REASON_LIMIT = 300;

    private final StsClient sts;
    private final LambdaClientFactory lambdas;
    private final CrossAccountInvokerConfig config;

    FanOut(StsClient sts, LambdaClientFactory lambdas, CrossAccountInvokerConfig config) {
        this.sts = sts;
        this.lambdas = lambdas;
        this.config = config;
    }

    List<TargetResult> run(BuiltImage image, List<String> accounts, List<String> regions, LongSupplier remainingMillis) {
        if (accounts.isEmpty() || regions.isEmpty()) {
            return List.of();
        }
        Budget budget = new Budget(remainingMillis, config.timeSafetyMargin().toMillis());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.maxConcurrency(), accounts.size()), threads());
        try {
            List<Future<List<TargetResult>>> futures = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                futures.add(pool.submit(() -> runAccount(image, account, regions, budget)));
            }
            List<TargetResult> results = new ArrayList<>(accounts.size() * regions.size());
            for (int i = 0; i < futures.size(); i++) {
                results.addAll(await(futures.get(i), image, accounts.get(i), regions));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<TargetResult> await(Future<List<TargetResult>> future, BuiltImage image, String account,
                                            List<String> regions) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // A bug in one account's work must not lose the others' results.
            Log.error("unexpected error for one account", e.getCause(), "accountId", account);
            return regions.stream().map(r -> failed(image, account, r, "unexpected error: " + e.getCause(), null)).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return regions.stream().map(r -> new TargetResult(account, r, null, TargetResult.Status.NOT_ATTEMPTED,
                    "interrupted", null)).toList();
        }
    }

    private List<TargetResult> runAccount(BuiltImage image, String account, List<String> regions, Budget budget) {
        if (budget.exhausted()) {
            return regions.stream().map(r -> notAttempted(image, account, r)).toList();
        }
        AwsCredentialsProvider credentials;
        try {
            credentials = assume(image, account, budget);
        } catch (SdkException e) {
            String reason = "AssumeRole " + roleArn(image, account) + " failed: " + describe(e);
            Log.warn("target failed", "accountId", account, "reason", reason);
            return regions.stream().map(r -> failed(image, account, r, reason, errorCode(e))).toList();
        }
        List<TargetResult> results = new ArrayList<>(regions.size());
        for (String region : regions) {
            results.add(budget.exhausted() ? notAttempted(image, account, region)
                    : invoke(image, account, region, credentials, budget));
        }
        return results;
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

    private TargetResult invoke(BuiltImage image, String account, String region, AwsCredentialsProvider credentials,
                                Budget budget) {
        ImageReleased.Ami ami = image.amiFor(account, region);
        byte[] payload = Json.write(release(image).forRegion(ami)).getBytes(StandardCharsets.UTF_8);
        if (payload.length > ASYNC_PAYLOAD_LIMIT) {
            return failed(image, account, region, "payload of " + payload.length
                    + " bytes exceeds Lambda's 1 MB limit for asynchronous invocation", null);
        }
        LambdaClient lambda = lambdas.client(Region.of(region), credentials);
        try {
            InvokeResponse response = lambda.invoke(r -> r
                    .functionName(config.targetFunctionName())
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload))
                    // The target account's session signs this request, whatever client carries it.
                    .overrideConfiguration(o -> o.credentialsProvider(credentials).apiCallTimeout(budget.callTimeout())));
            Integer status = response.statusCode();
            if (status == null || status != 202) {
                return failed(image, account, region, "Invoke answered HTTP " + status + " instead of 202 Accepted", null);
            }
            return new TargetResult(account, region, ami.imageId(), TargetResult.Status.SUCCEEDED, null, null);
        } catch (SdkException e) {
            String reason = "Invoke " + config.targetFunctionName() + " failed: " + describe(e);
            Log.warn("target failed", "accountId", account, "region", region, "reason", reason);
            return failed(image, account, region, reason, errorCode(e));
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

    private static TargetResult failed(BuiltImage image, String account, String region, String reason, String code) {
        ImageReleased.Ami ami = image.amiFor(account, region);
        return new TargetResult(account, region, ami == null ? null : ami.imageId(), TargetResult.Status.FAILED,
                reason, code);
    }

    private static TargetResult notAttempted(BuiltImage image, String account, String region) {
        ImageReleased.Ami ami = image.amiFor(account, region);
        return new TargetResult(account, region, ami == null ? null : ami.imageId(), TargetResult.Status.NOT_ATTEMPTED,
                "the invocation's time budget ran out before this target was started", null);
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

    private static String errorCode(SdkException e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() : null;
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

        /** A call may use the time left above half the margin, and never more than a minute. */
        Duration callTimeout() {
            long usable = remainingMillis.getAsLong() - marginMillis / 2;
            return Duration.ofMillis(Math.max(1_000, Math.min(MAX_CALL_TIME.toMillis(), usable)));
        }
    }
}
