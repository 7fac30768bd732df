package io.amirollout.invoker;

import org.mockito.AdditionalAnswers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Test doubles for the fan-out: STS that hands out per-account credentials, Lambda that records. */
final class Fakes {

    private Fakes() {
    }

    static AwsServiceException error(AwsServiceException.Builder builder, int status, String code, String message) {
        return builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).build();
    }

    static Account account(String id, String state, String status) {
        return Account.builder().id(id).state(state).status(status).name("acct-" + id).build();
    }

    /** The account a fake access key id belongs to ("ASIA" + account). */
    static String accountOf(AwsCredentialsProvider credentials) {
        return credentials.resolveCredentials().accessKeyId().substring(4);
    }

    /** An STS mock answering AssumeRole with credentials whose key id names the account; failures per account. */
    @SuppressWarnings("unchecked")
    static StsClient sts(List<AssumeRoleRequest> requests, Map<String, RuntimeException> failures) {
        StsClient sts = mock(StsClient.class);
        when(sts.assumeRole(any(Consumer.class))).thenAnswer(inv -> {
            AssumeRoleRequest.Builder b = AssumeRoleRequest.builder();
            ((Consumer<AssumeRoleRequest.Builder>) inv.getArgument(0)).accept(b);
            AssumeRoleRequest request = b.build();
            requests.add(request);
            String account = request.roleArn().split(":")[4];
            if (failures.containsKey(account)) {
                throw failures.get(account);
            }
            return AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId("ASIA" + account)
                    .secretAccessKey("secret-" + account).sessionToken("token-" + account)
                    .expiration(Instant.parse("2026-11-21T11:00:00Z")).build()).build();
        });
        return sts;
    }

    /** One recorded asynchronous invocation. */
    record Call(String account, String region, InvokeRequest request, AwsSessionCredentials credentials) {
    }

    /** Lambda clients that record every Invoke; failures keyed by "account" or "account/region". */
    static final class Lambdas implements LambdaClientFactory {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
        final List<Runnable> onInvoke = new CopyOnWriteArrayList<>();
        int statusCode = 202;

        final List<LambdaClient> released = new CopyOnWriteArrayList<>();
        /** Every client handed out, as Mockito mocks delegating to the fake, so IamActions sees their calls. */
        final List<LambdaClient> clients = new CopyOnWriteArrayList<>();

        @Override
        public void release(LambdaClient client) {
            released.add(client);
        }

        /** The client does not know the account: the request's own credentials (as the SDK would sign with) say. */
        @Override
        public LambdaClient client(Region region, AwsCredentialsProvider ignored) {
            LambdaClient client = mock(LambdaClient.class, AdditionalAnswers.delegatesTo(fake(region)));
            clients.add(client);
            return client;
        }

        private LambdaClient fake(Region region) {
            return new LambdaClient() {
                @Override
                public InvokeResponse invoke(InvokeRequest request) {
                    onInvoke.forEach(Runnable::run);
                    AwsCredentialsProvider credentials = request.overrideConfiguration()
                            .flatMap(o -> o.credentialsProvider()).orElseThrow(() ->
                                    new AssertionError("Invoke without per-request credentials"));
                    String account = accountOf(credentials);
                    calls.add(new Call(account, region.id(), request, (AwsSessionCredentials) credentials.resolveCredentials()));
                    RuntimeException failure = failures.getOrDefault(account + "/" + region.id(), failures.get(account));
                    if (failure != null) {
                        throw failure;
                    }
                    return InvokeResponse.builder().statusCode(statusCode).build();
                }

                @Override
                public String serviceName() {
                    return "lambda";
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
