package io.amirollout.it;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The moto server the integration tests run against (started by scripts/moto.sh or scripts/test.sh,
 * which pass {@code -Dmoto.endpoint}). Seeding and reading back state go through SDK clients built
 * here; the functions under test never see this class: they build their clients the production way
 * and reach moto through {@link AwsFront} via the SDK's own {@code aws.endpointUrl} setting.
 */
public final class Moto {

    /** moto's default account: what the fixed test credentials map to. */
    public static final String ACCOUNT = "123456789012";
    public static final Region REGION = Region.EU_WEST_1;
    /** Owner of the golden AMIs in integration-tests/moto/amis.json (the image/infra account). */
    public static final String IMAGE_ACCOUNT = "111122223333";
    /** Owner of the public look-alike AMI in integration-tests/moto/amis.json. */
    public static final String LOOKALIKE_ACCOUNT = "666666666666";

    static final String HOW_TO_START = "start moto with scripts/moto.sh or run scripts/test.sh "
            + "(mvn verify -Dmoto.endpoint=http://127.0.0.1:PORT); skip these tests with -DskipITs";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static volatile URI checked;

    private Moto() {
    }

    /** The moto endpoint, checked once to answer; a clear failure naming how to start it otherwise. */
    public static URI endpoint() {
        URI known = checked;
        if (known != null) {
            return known;
        }
        String value = System.getProperty("moto.endpoint");
        if (value == null || value.isBlank()) {
            value = System.getenv("MOTO_ENDPOINT");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("moto is not configured: " + HOW_TO_START);
        }
        URI uri = URI.create(value.trim().replaceAll("/+$", ""));
        try {
            HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(uri.resolve("/moto-api/"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("moto at " + uri + " answered " + answer.statusCode() + ": " + HOW_TO_START);
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto is not answering at " + uri + " (" + e + "): " + HOW_TO_START, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        checked = uri;
        return uri;
    }

    /** Empties every moto backend (the AMI catalogue from MOTO_AMIS_PATH is loaded again on first use). */
    public static void reset() {
        post("/moto-api/reset", "");
    }

    /** A client straight to moto, as the default account, in eu-west-1. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return client(builder, null, REGION, endpoint());
    }

    /** A client straight to moto acting as {@code accountId} (moto's x-moto-account-id header). */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String accountId, Region region) {
        return client(builder, accountId, region, endpoint());
    }

    /** A client to {@code endpoint} (moto or the front), optionally acting as another account. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, String accountId, Region region, URI endpoint) {
        builder.httpClient(UrlConnectionHttpClient.builder().build())
                .region(region)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> {
                    o.retryStrategy(RetryMode.STANDARD);
                    if (accountId != null) {
                        o.putHeader("x-moto-account-id", accountId);
                    }
                });
        return builder.build();
    }

    /**
     * Creates an IAM role in {@code accountId} with a raw query call: IAM is not among the SDK modules
     * this project depends on, and moto's Lambda only creates functions whose role exists.
     */
    public static String createLambdaRole(String accountId, String roleName) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String body = "Action=CreateRole&Version=2010-05-08&RoleName=" + enc(roleName) + "&AssumeRolePolicyDocument=" + enc(policy);
        HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261122/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .header("x-moto-account-id", accountId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        send(request);
        return "arn:aws:iam::" + accountId + ":role/" + roleName;
    }

    static String post(String path, String body) {
        return send(HttpRequest.newBuilder(endpoint().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(request.uri() + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto call " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
