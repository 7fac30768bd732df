package io.amirollout.invoker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fan-out benchmark (not a test). Starts a local endpoint on 127.0.0.1 that answers STS AssumeRole
 * (query/XML) and Lambda Invoke (202) after a fixed delay, then runs the real fan-out (the real SDK
 * clients, built the production way through AwsClients, with the endpoint from {@code aws.endpointUrl})
 * for N static target accounts, and prints accounts/second and total time.
 *
 * <pre>
 * mvn -q -o -pl functions/cross-account-invoker test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.amirollout.invoker.FanOutBenchmark -Dexec.args="1000,10000 50 32 1"
 * </pre>
 * Arguments (all optional): account counts (comma list, default 1000,10000), delay per call in ms
 * (default 50), concurrency (comma list, default the configured default), regions per account
 * (default 1), and {@code per-target} to build a new Lambda client per target instead of sharing
 * one per region (the comparison behind {@link LambdaClientFactory}). Every loop is bounded; the program stops by itself.
 */
public final class FanOutBenchmark {

    private static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2");

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = ints(args.length > 0 ? args[0] : "1000,10000");
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 50;
        List<Integer> concurrencies = ints(args.length > 2 ? args[2] : String.valueOf(CrossAccountInvokerConfig.DEFAULT_MAX_CONCURRENCY));
        int regions = Math.min(REGIONS.size(), args.length > 3 ? Integer.parseInt(args[3]) : 1);
        boolean perTarget = args.length > 4 && "per-target".equals(args[4]);
        LambdaClientFactory lambdas = perTarget ? LambdaClientFactory.newPerTarget() : LambdaClientFactory.sharedPerRegion();
        int maxConcurrency = concurrencies.stream().mapToInt(Integer::intValue).max().orElse(32);

        CrossAccountInvokerHandler.keepConnectionsAlive(maxConcurrency);
        AtomicLong calls = new AtomicLong();
        ExecutorService serverThreads = Executors.newFixedThreadPool(Math.max(16, maxConcurrency * 2));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> answer(exchange, delayMillis, calls));
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        // The SDK's own endpoint override setting: every client built without one goes to the local endpoint.
        System.setProperty("aws.endpointUrl", endpoint);
        System.out.printf("local endpoint %s, %d ms per call, %d region(s) per account, Lambda clients %s, %d cores%n",
                endpoint, delayMillis, regions, perTarget ? "new per target" : "shared per region",
                Runtime.getRuntime().availableProcessors());

        StsClient sts = AwsClients.build(StsClient.builder(), Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")));
        BuiltImage image = new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "AVAILABLE", null,
                REGIONS.subList(0, regions).stream().map(r -> new ImageReleased.Ami(r, "ami-0a1b2c3d4e5f60718",
                        "golden-al2023 2026-11-21T10-31-05.112Z", "111122223333")).toList());
        try {
            // Warm-up: class loading and JIT, so the first measured run is not charged for them.
            run(sts, lambdas, image, 200, maxConcurrency, calls, delayMillis, false);
            for (int concurrency : concurrencies) {
                for (int n : counts) {
                    run(sts, lambdas, image, n, concurrency, calls, delayMillis, true);
                }
            }
        } finally {
            sts.close();
            server.stop(0);
            serverThreads.shutdownNow();
            serverThreads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void run(StsClient sts, LambdaClientFactory lambdas, BuiltImage image, int accounts, int concurrency, AtomicLong calls,
                            long delayMillis, boolean print) {
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_ROLE_NAME", "ami-rollout-invoke");
        env.put("TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh");
        env.put("TARGET_ACCOUNTS", IntStream.range(0, accounts).mapToObj(i -> String.format("%012d", 100_000_000_000L + i))
                .collect(Collectors.joining(",")));
        env.put("MAX_CONCURRENCY", String.valueOf(concurrency));
        CrossAccountInvokerConfig config = CrossAccountInvokerConfig.from(Env.of(env));
        // Organizations and Image Builder are not called with a static account list and an image that has its AMIs.
        CrossAccountInvokerService service = new CrossAccountInvokerService(config, null, null, sts,
                lambdas, n -> { }, java.time.Clock.systemUTC());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        long callsBefore = calls.get();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        InvokerResult result = service.handle(List.of(new ImageEvent(image, false, null, "benchmark")), false,
                () -> TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())).get(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        // CPU of the whole process (the local endpoint included): a figure the machine's other load does not skew.
        double cpuMillisPerAccount = (processCpuNanos() - cpuBefore) / 1e6 / accounts;
        if (print) {
            System.out.printf("accounts=%d concurrency=%d targets=%d succeeded=%d failed=%d notAttempted=%d "
                            + "calls=%d total=%.2fs accounts/s=%.0f cpu/account=%.1fms (ideal at this delay %.2fs)%n",
                    accounts, concurrency, result.targets(), result.succeeded(), result.failed(), result.notAttempted(),
                    calls.get() - callsBefore, seconds, accounts / seconds, cpuMillisPerAccount,
                    accounts * (1.0 + image.regions().size()) * 0.001 * delayMillis / concurrency);
        }
    }

    private static void answer(HttpExchange exchange, long delayMillis, AtomicLong calls) throws IOException {
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            calls.incrementAndGet();
            sleep(delayMillis);
            if (exchange.getRequestURI().getPath().endsWith("/invocations")) {
                exchange.getResponseHeaders().add("x-amzn-RequestId", "5c1e0a2b-7d3f-4e8a-9b6c-1d2e3f4a5b6c");
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            if (body.contains("Action=AssumeRole")) {
                byte[] xml = ASSUME_ROLE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/xml");
                exchange.sendResponseHeaders(200, xml.length);
                out.write(xml);
                return;
            }
            exchange.sendResponseHeaders(404, -1);
        }
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Integer> ints(String list) {
        List<Integer> values = new ArrayList<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> values.add(Integer.parseInt(s)));
        return values;
    }

    private static final String ASSUME_ROLE = """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::100000000000:assumed-role/ami-rollout-invoke/ami-rollout-golden-al2023-1.0.3-4</Arn>
                  <AssumedRoleId>AROA3XFRBF535PLBIFPI4:ami-rollout-golden-al2023-1.0.3-4</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>ASIABENCHMARKKEY0000</AccessKeyId>
                  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYBENCHMARK</SecretAccessKey>
                  <SessionToken>benchmark-session-token</SessionToken>
                  <Expiration>2030-01-01T00:00:00Z</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </AssumeRoleResponse>""";
}
