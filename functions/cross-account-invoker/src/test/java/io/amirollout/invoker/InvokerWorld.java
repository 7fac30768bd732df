package io.amirollout.invoker;

import io.amirollout.shared.testing.MutableClock;

import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.Ami;
import software.amazon.awssdk.services.imagebuilder.model.GetImageRequest;
import software.amazon.awssdk.services.imagebuilder.model.GetImageResponse;
import software.amazon.awssdk.services.imagebuilder.model.Image;
import software.amazon.awssdk.services.imagebuilder.model.ImageState;
import software.amazon.awssdk.services.imagebuilder.model.OutputResources;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An infra account in memory for the fan-out scenarios: an organization, Image Builder's GetImage, STS,
 * Lambda in every workload account, EC2 launch permissions, the state table and a clock that moves only
 * when the code waits. Plain fakes (no Mockito on the hot path), so 10,000 accounts run in seconds.
 * Failures are scripted per "account" or "account/region" as a queue: each attempt takes the next one.
 */
final class InvokerWorld {

    static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";
    static final String INFRA = "111122223333";
    static final List<ImageReleased.Ami> AMIS = List.of(
            new ImageReleased.Ami("eu-west-1", "ami-0a1b2c3d4e5f60718", "golden-al2023 2026-11-21T10-31-05.112Z", INFRA),
            new ImageReleased.Ami("us-east-1", "ami-0f9e8d7c6b5a49382", "golden-al2023 2026-11-21T10-31-05.112Z", INFRA));


    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:45:00Z"));
    final InMemoryStateTable table = new InMemoryStateTable();
    final RecordingPublisher publisher = new RecordingPublisher();
    final List<Account> accounts = new ArrayList<>();
    final Map<String, List<RuntimeException>> assumeFailures = new ConcurrentHashMap<>();
    final Map<String, List<RuntimeException>> invokeFailures = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    final AtomicInteger assumeCalls = new AtomicInteger();
    final List<InvokeRequest> invokeRequests = new CopyOnWriteArrayList<>();
    final List<Continuations.Continuation> continuations = new CopyOnWriteArrayList<>();
    List<LaunchPermission> launchPermissions = List.of(LaunchPermission.builder()
            .organizationArn("arn:aws:organizations::" + INFRA + ":organization/o-a1b2c3d4e5").build());
    String sourcePipeline = PIPELINE;
    List<ImageReleased.Ami> amis = AMIS;
    /** Milliseconds the Lambda has left, as the Context would say: from this deadline on the clock. */
    Instant deadline = clock.instant().plus(Duration.ofMinutes(15));
    /** Called after every successful Invoke (e.g. to make time pass). */
    Runnable afterInvoke = () -> { };

    InvokerWorld accounts(int n) {
        for (int i = 0; i < n; i++) {
            accounts.add(Account.builder().id(String.format("%012d", 200_000_000_000L + i)).state("ACTIVE").status("ACTIVE").build());
        }
        return this;
    }

    InvokerWorld account(String id, String state) {
        accounts.add(Account.builder().id(id).state(state).status(state).build());
        return this;
    }

    void failAssume(String account, RuntimeException... failures) {
        assumeFailures.put(account, new CopyOnWriteArrayList<>(List.of(failures)));
    }

    void failInvoke(String target, RuntimeException... failures) {
        invokeFailures.put(target, new CopyOnWriteArrayList<>(List.of(failures)));
    }

    int invoked(String account, String region) {
        AtomicInteger n = invocations.get(account + "/" + region);
        return n == null ? 0 : n.get();
    }

    CrossAccountInvokerService service(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("TARGET_ROLE_NAME", "ami-rollout/ami-rollout-invoke",
                "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh", "SOURCE_PIPELINE_ARNS", PIPELINE,
                "STATE_TABLE_NAME", "ami-rollout-state"));
        env.putAll(extra);
        return new CrossAccountInvokerService(CrossAccountInvokerConfig.from(Env.of(env)), organizations(), imagebuilder(),
                sts(), lambdas(), ec2(), table, publisher, clock);
    }

    CrossAccountInvokerService.Invocation invocation() {
        return new CrossAccountInvokerService.Invocation(() -> Duration.between(clock.instant(), deadline).toMillis(),
                continuations::add, clock::advance);
    }

    /** A fresh Lambda invocation: 15 minutes from now. */
    CrossAccountInvokerService.Invocation freshInvocation() {
        deadline = clock.instant().plus(Duration.ofMinutes(15));
        return invocation();
    }

    BuiltImage notified() {
        return new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "AVAILABLE", null, AMIS, PIPELINE);
    }

    List<ImageEvent> notice() {
        return List.of(new ImageEvent(notified(), false, null, ImageEvents.SNS));
    }

    private OrganizationsClient organizations() {
        return new OrganizationsClient() {
            @Override
            public ListAccountsResponse listAccounts(ListAccountsRequest request) {
                return ListAccountsResponse.builder().accounts(accounts).build();
            }

            @Override
            public String serviceName() {
                return "organizations";
            }

            @Override
            public void close() {
            }
        };
    }

    private ImagebuilderClient imagebuilder() {
        return new ImagebuilderClient() {
            @Override
            public GetImageResponse getImage(GetImageRequest request) {
                return GetImageResponse.builder().image(Image.builder().arn(request.imageBuildVersionArn())
                        .name("golden-al2023").version("1.0.3/4").sourcePipelineArn(sourcePipeline)
                        .state(ImageState.builder().status("AVAILABLE").build())
                        .outputResources(OutputResources.builder().amis(amis.stream().map(a -> Ami.builder()
                                .region(a.region()).image(a.imageId()).name(a.name()).accountId(a.accountId()).build())
                                .toList()).build()).build()).build();
            }

            @Override
            public String serviceName() {
                return "imagebuilder";
            }

            @Override
            public void close() {
            }
        };
    }

    private StsClient sts() {
        return new StsClient() {
            @Override
            public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
                assumeCalls.incrementAndGet();
                String account = request.roleArn().split(":")[4];
                RuntimeException failure = next(assumeFailures, account);
                if (failure != null) {
                    throw failure;
                }
                return AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId("ASIA" + account)
                        .secretAccessKey("s").sessionToken("t").expiration(Instant.parse("2026-11-21T12:00:00Z")).build()).build();
            }

            @Override
            public String serviceName() {
                return "sts";
            }

            @Override
            public void close() {
            }
        };
    }

    private LambdaClientFactory lambdas() {
        Map<Region, LambdaClient> clients = new ConcurrentHashMap<>();
        return (region, ignored) -> clients.computeIfAbsent(region, r -> new LambdaClient() {
            @Override
            public InvokeResponse invoke(InvokeRequest request) {
                AwsCredentialsProvider credentials = request.overrideConfiguration().flatMap(o -> o.credentialsProvider())
                        .orElseThrow();
                String account = credentials.resolveCredentials().accessKeyId().substring(4);
                String key = account + "/" + r.id();
                RuntimeException failure = next(invokeFailures, key);
                if (failure == null) {
                    failure = next(invokeFailures, account);
                }
                if (failure != null) {
                    throw failure;
                }
                invokeRequests.add(request);
                invocations.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                afterInvoke.run();
                return InvokeResponse.builder().statusCode(202).build();
            }

            @Override
            public String serviceName() {
                return "lambda";
            }

            @Override
            public void close() {
            }
        });
    }

    private Function<Region, Ec2Client> ec2() {
        return region -> new Ec2Client() {
            @Override
            public DescribeImageAttributeResponse describeImageAttribute(DescribeImageAttributeRequest request) {
                return DescribeImageAttributeResponse.builder().imageId(request.imageId()).launchPermissions(launchPermissions).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {
            }
        };
    }

    private static RuntimeException next(Map<String, List<RuntimeException>> failures, String key) {
        List<RuntimeException> queue = failures.get(key);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.isEmpty() ? null : queue.remove(0);
        }
    }
}
