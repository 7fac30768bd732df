package io.amirollout.invoker;

import io.amirollout.shared.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lambda clients for the fan-out. Every Invoke also carries the target account's assumed-role
 * credentials on the request itself, so a client can be shared by all accounts of a region.
 *
 * <p>Why not one client per target: building an SDK client costs about 5 ms of CPU (interceptor
 * chain, endpoint rules, signer set-up) even with the shared HTTP client; at 10,000 accounts that
 * is most of the fan-out's time on a small Lambda. See {@code FanOutBenchmark} in the README.
 */
public interface LambdaClientFactory {

    /** A client for {@code region}; the request carries {@code credentials} either way. */
    LambdaClient client(Region region, AwsCredentialsProvider credentials);

    /** Called when the fan-out is done with a client from {@link #client}. */
    default void release(LambdaClient client) {
    }

    /**
     * Production: one client per region, built once through {@link AwsClients} (shared HTTP client,
     * standard retries). Its own credentials provider refuses to sign, so nothing can ever be
     * invoked with this function's own role by mistake: only the per-request assumed credentials work.
     */
    static LambdaClientFactory sharedPerRegion() {
        return sharedPerRegion(region -> AwsClients.build(LambdaClient.builder(), region, NO_OWN_CREDENTIALS));
    }

    static LambdaClientFactory sharedPerRegion(Function<Region, LambdaClient> build) {
        Map<Region, LambdaClient> clients = new ConcurrentHashMap<>();
        return (region, credentials) -> clients.computeIfAbsent(region, build);
    }

    /** The alternative the benchmark compares against: a new client per target, with the assumed credentials. */
    static LambdaClientFactory newPerTarget() {
        return new LambdaClientFactory() {
            @Override
            public LambdaClient client(Region region, AwsCredentialsProvider credentials) {
                return AwsClients.build(LambdaClient.builder(), region, credentials);
            }

            @Override
            public void release(LambdaClient client) {
                client.close(); // does not close the shared HTTP client, which the SDK does not own
            }
        };
    }

    /** This function's own client in its own region, with its own role: for continuations only. Built once, on first use. */
    static java.util.function.Supplier<LambdaClient> ownCredentials() {
        return new java.util.function.Supplier<>() {
            private volatile LambdaClient client;

            @Override
            public LambdaClient get() {
                if (client == null) {
                    synchronized (this) {
                        if (client == null) {
                            client = AwsClients.build(LambdaClient.builder());
                        }
                    }
                }
                return client;
            }
        };
    }

    /** The shared clients' own credentials: never used, because every request brings its own. */
    AwsCredentialsProvider NO_OWN_CREDENTIALS = () -> {
        throw new IllegalStateException("a fan-out Invoke must carry the target account's assumed-role credentials");
    };
}
