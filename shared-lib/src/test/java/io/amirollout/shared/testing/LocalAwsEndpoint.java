package io.amirollout.shared.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * For protocol tests: a WireMock server on loopback (never the internet) standing in for an AWS
 * endpoint, and REAL SDK clients pointed at it, configured as in production (UrlConnectionHttpClient,
 * the standard retry strategy) with static test credentials in eu-west-1.
 *
 * <pre>
 * endpoint = LocalAwsEndpoint.start();           // @BeforeEach
 * ec2 = endpoint.client(Ec2Client.builder());
 * endpoint.server().stubFor(...);
 * endpoint.stop();                               // @AfterEach
 * </pre>
 */
public final class LocalAwsEndpoint {

    public static final Region REGION = Region.EU_WEST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret"));

    private final WireMockServer server;

    private LocalAwsEndpoint(WireMockServer server) {
        this.server = server;
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static LocalAwsEndpoint start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return new LocalAwsEndpoint(server);
    }

    public WireMockServer server() {
        return server;
    }

    public URI uri() {
        return URI.create(server.baseUrl());
    }

    /** A real client against this server: test credentials, eu-west-1, UrlConnectionHttpClient, RetryMode.STANDARD. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder
                .endpointOverride(uri())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    public void stop() {
        server.stop();
    }
}
