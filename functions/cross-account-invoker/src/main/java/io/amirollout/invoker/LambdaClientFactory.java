package io.amirollout.invoker;

import io.amirollout.shared.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A Lambda client for one target region with one account's assumed-role credentials. The
 * production factory goes through {@link AwsClients}, which shares one HTTP client (and its
 * connection pool) between all clients, so creating one per target is cheap.
 */
@FunctionalInterface
public interface LambdaClientFactory {

    LambdaClient create(Region region, AwsCredentialsProvider credentials);

    static LambdaClientFactory production() {
        return (region, credentials) -> AwsClients.build(LambdaClient.builder(), region, credentials);
    }
}
