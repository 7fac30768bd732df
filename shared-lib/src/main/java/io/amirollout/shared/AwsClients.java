package io.amirollout.shared;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.time.Duration;

/**
 * The one place AWS SDK clients are built. Every client:
 * <ul>
 *   <li>uses the JDK's {@code url-connection-client} (no Apache, no Netty: fast cold start);</li>
 *   <li>shares one HTTP client, so clients for assumed-role credentials are cheap to create;</li>
 *   <li>takes its region from {@code AWS_REGION} (set by Lambda), skipping the SDK's slower lookup chain;</li>
 *   <li>uses the SDK's default credentials chain (an explicit environment-variable provider would
 *       freeze credentials into a SnapStart snapshot);</li>
 *   <li>uses the SDK's standard retry strategy (throttling and 5xx retried with jittered back-off);</li>
 *   <li>honours {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_<SERVICE>} through the SDK itself,
 *       which is how tests point clients at a local endpoint.</li>
 * </ul>
 * Build clients once per container (a static field or the handler's no-argument constructor).
 */
public final class AwsClients {

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(20))
            .build();

    private AwsClients() {
    }

    /** A client in this function's region with the default credentials chain. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return configure(builder, region()).build();
    }

    /** A client in another region or with other credentials (assumed roles, cross-region calls). */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, Region region, AwsCredentialsProvider credentials) {
        return configure(builder, region).credentialsProvider(credentials).build();
    }

    /** Package-private: {@link SnapStartPriming#offlineClient} starts from the same configuration. */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Region region) {
        return builder
                .httpClient(HTTP)
                .region(region)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
    }

    /** The function's region from {@code AWS_REGION}; without it nothing can be called, so say so. */
    public static Region region() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new ConfigurationException(java.util.List.of("AWS_REGION is required (Lambda sets it; set it when running elsewhere)"));
        }
        return Region.of(region.trim());
    }
}
