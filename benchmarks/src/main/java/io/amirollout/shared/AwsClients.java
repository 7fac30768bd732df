package io.amirollout.shared;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * BENCHMARK ONLY, never deployed: the "naive build" stand-in for shared-lib's AwsClients, with the same
 * public signatures but AWS SDK defaults everywhere: no HTTP client given (the SDK finds apache-client
 * through its service loader), no region given (default region provider chain), default credentials
 * chain, default retry and client configuration. Put first on the classpath, it shadows the real class,
 * so the function's own code runs unchanged.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return builder.build();
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, Region region, AwsCredentialsProvider credentials) {
        return builder.region(region).credentialsProvider(credentials).build();
    }

    public static Region region() {
        return new DefaultAwsRegionProviderChain().getRegion();
    }
}
