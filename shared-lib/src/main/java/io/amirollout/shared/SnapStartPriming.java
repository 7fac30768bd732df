package io.amirollout.shared;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SnapStart priming: a CRaC {@link Resource} whose {@code beforeCheckpoint} runs a function-supplied
 * warm-up just before Lambda snapshots the initialised JVM, so the classes, static initialisers and JIT
 * work of a real invocation (event JSON parsing, the service's decisions, SDK request marshalling,
 * endpoint resolution, signing, error unmarshalling, result JSON) are in the snapshot instead of in the
 * first restored invocation.
 *
 * <p>The warm-up never reaches AWS: it runs a SECOND handler built from {@link #offlineClient} clients,
 * whose HTTP client answers every request itself (HTTP 400, error code {@code SnapStartPriming}) without
 * opening a connection, and which sign with fixed dummy credentials, so the production clients' default
 * credentials chain is not consulted before the snapshot (with SnapStart, Lambda hands out credentials
 * through the container-credentials endpoint, resolved lazily after restore). Functions feed it a
 * bundled sample marked {@code "dryRun": true}. Its log lines are discarded; one line reports the priming.
 *
 * <p>Without SnapStart (or on a JVM without CRaC) nothing here runs: registration costs a few classes.
 * Usage, in a handler's no-argument constructor, after the production service is built:
 * <pre>
 * SnapStartPriming.register("rollback-on-alarm", () -> SnapStartPriming.invoke(
 *         new RollbackOnAlarmHandler(serviceWith(offlineClient(AutoScalingClient.builder()), ...)),
 *         RollbackOnAlarmHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
 * </pre>
 */
public final class SnapStartPriming implements Resource {

    /** org.crac holds registered resources weakly: these strong references keep them alive. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String name;
    private final Runnable warmUp;
    private final Runnable afterRestore;

    private SnapStartPriming(String name, Runnable warmUp, Runnable afterRestore) {
        this.name = name;
        this.warmUp = warmUp;
        this.afterRestore = afterRestore;
    }

    /** Registers a warm-up to run before the snapshot. */
    public static void register(String name, Runnable warmUp) {
        register(name, warmUp, () -> { });
    }

    /**
     * Registers a warm-up to run before the snapshot and a refresh to run in every restored copy (re-seed
     * a {@code java.util.Random} the function holds, drop caches holding time-based state).
     */
    public static void register(String name, Runnable warmUp, Runnable afterRestore) {
        SnapStartPriming resource = new SnapStartPriming(name, warmUp, afterRestore);
        REGISTERED.add(resource);
        Core.getGlobalContext().register(resource);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long start = System.nanoTime();
        PrintStream out = System.out;
        RuntimeException failure = null;
        try {
            // The warm-up's own log lines describe a pretend invocation: keep them out of the function's logs.
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8));
            warmUp.run();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            System.setOut(out);
            Log.startInvocation(null, null);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (failure != null) {
            // Priming is an optimisation: a failure costs speed, never the snapshot.
            Log.warn("SnapStart priming failed; the snapshot is taken without it", "function", name, "ms", ms,
                    "errorType", failure.getClass().getName(), "errorMessage", String.valueOf(failure.getMessage()));
        } else {
            Log.info("SnapStart priming done", "function", name, "ms", ms);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        afterRestore.run();
    }

    /**
     * Invokes a handler once with an event, as a warm-up: the answer is discarded and an exception the
     * handler throws for the failed (offline) AWS calls is expected, not a failure of the priming.
     */
    public static void invoke(RequestStreamHandler handler, InputStream event) {
        if (event == null) {
            throw new IllegalStateException("the priming event is not on the classpath");
        }
        try (InputStream input = event) {
            handler.handleRequest(input, new ByteArrayOutputStream(), PrimingContext.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException expected) {
            // e.g. a handler that throws so Lambda retries: the offline clients always fail.
        }
    }

    /**
     * A client configured like {@link AwsClients#build} (same region, retry strategy, endpoint resolution)
     * whose HTTP client never sends anything: every request is marshalled and signed, then answered
     * locally with an error, so SDK calls made through it fail with a {@code SnapStartPriming} error.
     * Signs with fixed dummy credentials: nothing resolves real credentials before the snapshot.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C offlineClient(B builder) {
        return AwsClients.configure(builder, AwsClients.region())
                .httpClient(new OfflineHttpClient())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSNAPSTARTPRIMING", "snapstart-priming-not-a-secret")))
                .build();
    }

    /**
     * Runs every registered hook as a checkpoint and restore would: warm-ups, then restore refreshes. For
     * benchmarks and tests on JVMs without CRaC; never called in production.
     */
    public static void simulateCheckpointAndRestore() {
        for (SnapStartPriming resource : REGISTERED) {
            resource.beforeCheckpoint(null);
        }
        for (SnapStartPriming resource : REGISTERED) {
            resource.afterRestore(null);
        }
    }

    /** The names registered so far (tests). */
    public static List<String> registeredNames() {
        return REGISTERED.stream().map(r -> r.name).toList();
    }

    /** The Lambda context of the pretend invocation: a fixed request id, a generous time budget. */
    private enum PrimingContext implements Context {
        INSTANCE;

        @Override public String getAwsRequestId() { return "snapstart-priming"; }
        @Override public String getLogGroupName() { return "snapstart-priming"; }
        @Override public String getLogStreamName() { return "snapstart-priming"; }
        @Override public String getFunctionName() { return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "priming"); }
        @Override public String getFunctionVersion() { return "priming"; }
        @Override public String getInvokedFunctionArn() { return "priming"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 60_000; }
        @Override public int getMemoryLimitInMB() { return 512; }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { }
                @Override public void log(byte[] message) { }
            };
        }
    }
}
