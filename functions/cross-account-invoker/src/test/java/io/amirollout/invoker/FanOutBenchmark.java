package io.amirollout.invoker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import io.amirollout.shared.testing.InMemoryStateTable;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
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
 * Fan-out benchmark (not a test). Starts a local endpoint on 127.0.0.1 that answers, after a fixed delay
 * per call, Organizations ListAccounts (20 accounts a page, like the real API's maximum), Image Builder
 * GetImage, EC2 DescribeImageAttribute, STS AssumeRole and Lambda Invoke (202), and runs the real
 * cross-account-invoker for one image notice — real SDK clients built the production way (AwsClients,
 * endpoint from {@code aws.endpointUrl}), the organization listed page by page, the launch permissions
 * checked, a record per target written to the state table (in memory, with the same delay per call as
 * DynamoDB would add) — with the deployed settings: MAX_CONCURRENCY from the template's default and the
 * function's Timeout as the time budget. It prints the time, the calls and whether a continuation was
 * needed (continuations are run the same way, each with a fresh budget, until the release completes).
 *
 * <pre>
 * mvn -q -o -pl functions/cross-account-invoker test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.amirollout.invoker.FanOutBenchmark -Dexec.args="10000 50 64 3 900"
 * </pre>
 * Arguments (all optional): account counts (comma list, default 10000), delay per AWS call in ms (default
 * 50), concurrencies (comma list, default the configured default), regions per account (default 3), the
 * function timeout in seconds (default 900, the template's). Every loop is bounded; it stops by itself.
 */
public final class FanOutBenchmark {

    private static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    private static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2");
    private static final int PAGE = 20;
    private static volatile int organizationSize;

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = ints(args.length > 0 ? args[0] : "10000");
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 50;
        List<Integer> concurrencies = ints(args.length > 2 ? args[2] : String.valueOf(CrossAccountInvokerConfig.DEFAULT_MAX_CONCURRENCY));
        int regions = Math.min(REGIONS.size(), args.length > 3 ? Integer.parseInt(args[3]) : 3);
        long timeoutSeconds = args.length > 4 ? Long.parseLong(args[4]) : 900;
        int maxConcurrency = concurrencies.stream().mapToInt(Integer::intValue).max().orElse(64);

        CrossAccountInvokerHandler.keepConnectionsAlive(maxConcurrency);
        AtomicLong calls = new AtomicLong();
        ExecutorService serverThreads = Executors.newFixedThreadPool(Math.max(16, maxConcurrency * 2));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> answer(exchange, delayMillis, calls, regions));
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        // The SDK's own endpoint override setting: every client built without one goes to the local endpoint.
        System.setProperty("aws.endpointUrl", endpoint);
        System.setProperty("aws.accessKeyId", "AKIDBENCH");
        System.setProperty("aws.secretAccessKey", "bench-secret");
        System.out.printf("local endpoint %s, %d ms per AWS call (state table included), %d region(s) per account, "
                + "function timeout %d s, %d cores%n", endpoint, delayMillis, regions, timeoutSeconds,
                Runtime.getRuntime().availableProcessors());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret"));
        StsClient sts = AwsClients.build(StsClient.builder(), Region.EU_WEST_1, credentials);
        OrganizationsClient organizations = AwsClients.build(OrganizationsClient.builder(), Region.US_EAST_1, credentials);
        ImagebuilderClient imagebuilder = AwsClients.build(ImagebuilderClient.builder(), Region.EU_WEST_1, credentials);
        BuiltImage image = new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "AVAILABLE", null, List.of(), PIPELINE);
        try {
            // Warm-up: class loading and JIT, so the first measured run is not charged for them.
            run(organizations, imagebuilder, sts, image, 200, maxConcurrency, calls, delayMillis, timeoutSeconds, credentials, false);
            for (int concurrency : concurrencies) {
                for (int n : counts) {
                    run(organizations, imagebuilder, sts, image, n, concurrency, calls, delayMillis, timeoutSeconds, credentials, true);
                }
            }
        } finally {
            sts.close();
            server.stop(0);
            serverThreads.shutdownNow();
            serverThreads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void run(OrganizationsClient organizations, ImagebuilderClient imagebuilder, StsClient sts, BuiltImage image,
                            int accounts, int concurrency, AtomicLong calls, long delayMillis, long timeoutSeconds,
                            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials, boolean print) {
        organizationSize = accounts;
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_ROLE_NAME", "ami-rollout-invoke");
        env.put("TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh");
        env.put("MAX_CONCURRENCY", String.valueOf(concurrency));
        env.put("SOURCE_PIPELINE_ARNS", PIPELINE);
        env.put("STATE_TABLE_NAME", "bench");
        CrossAccountInvokerConfig config = CrossAccountInvokerConfig.from(Env.of(env));
        SlowStateTable table = new SlowStateTable(new InMemoryStateTable(), delayMillis);
        CrossAccountInvokerService service = new CrossAccountInvokerService(config, organizations, imagebuilder, sts,
                LambdaClientFactory.sharedPerRegion(),
                region -> AwsClients.build(software.amazon.awssdk.services.ec2.Ec2Client.builder(), region, credentials),
                table, n -> { }, java.time.Clock.systemUTC());
        List<Continuations.Continuation> continuations = new java.util.concurrent.CopyOnWriteArrayList<>();
        long callsBefore = calls.get();
        long tableBefore = table.calls.get();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long[] deadline = {start + TimeUnit.SECONDS.toNanos(timeoutSeconds)};
        CrossAccountInvokerService.Invocation invocation = new CrossAccountInvokerService.Invocation(
                () -> TimeUnit.NANOSECONDS.toMillis(deadline[0] - System.nanoTime()), continuations::add,
                d -> Thread.sleep(d.toMillis()));
        InvokerResult result = service.handle(List.of(new ImageEvent(image, false, null, "benchmark")), false, invocation).get(0);
        double firstSeconds = (System.nanoTime() - start) / 1e9;
        int invocations = 1;
        while (!continuations.isEmpty() && invocations < 50) {
            Continuations.Continuation next = continuations.remove(0);
            deadline[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            result = service.resume(next, invocation);
            invocations++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillisPerAccount = (processCpuNanos() - cpuBefore) / 1e6 / accounts;
        if (print) {
            System.out.printf("accounts=%d regions=%d concurrency=%d targets=%d invoked=%d failed=%d notAttempted=%d "
                            + "status=%s invocations=%d first-invocation=%.1fs total=%.1fs (timeout %ds: %.0f%% used) "
                            + "aws-calls=%d (state table %d) targets/s=%.0f cpu/account=%.1fms%n",
                    accounts, result.regions().size(), concurrency, result.targets(),
                    result.succeeded(), result.failed(), result.notAttempted(), result.status(), invocations, firstSeconds,
                    seconds, timeoutSeconds, 100 * firstSeconds / timeoutSeconds,
                    calls.get() - callsBefore + table.calls.get() - tableBefore, table.calls.get() - tableBefore,
                    result.targets() / seconds, cpuMillisPerAccount);
        }
    }

    /** The in-memory table with DynamoDB's latency: every call waits the same delay as the other AWS calls. */
    static final class SlowStateTable implements io.amirollout.shared.state.StateTable {
        private final io.amirollout.shared.state.StateTable table;
        private final long delayMillis;
        final AtomicLong calls = new AtomicLong();

        SlowStateTable(io.amirollout.shared.state.StateTable table, long delayMillis) {
            this.table = table;
            this.delayMillis = delayMillis;
        }

        private void call() {
            calls.incrementAndGet();
            sleep(delayMillis);
        }

        @Override
        public java.util.Optional<io.amirollout.shared.state.StateItem> get(String pk, String sk) {
            call();
            return table.get(pk, sk);
        }

        @Override
        public List<io.amirollout.shared.state.StateItem> query(String pk, String skPrefix) {
            List<io.amirollout.shared.state.StateItem> items = table.query(pk, skPrefix);
            // DynamoDB returns at most 1 MB a page: about 4,000 of these records; one delay per page.
            for (int page = 0; page <= items.size() / 4_000; page++) {
                call();
            }
            return items;
        }

        @Override
        public boolean putIfAbsent(io.amirollout.shared.state.StateItem item) {
            call();
            return table.putIfAbsent(item);
        }

        @Override
        public boolean replace(io.amirollout.shared.state.StateItem item) {
            call();
            return table.replace(item);
        }

        @Override
        public void put(io.amirollout.shared.state.StateItem item) {
            call();
            table.put(item);
        }

        @Override
        public void delete(String pk, String sk) {
            call();
            table.delete(pk, sk);
        }
    }

    private static void answer(HttpExchange exchange, long delayMillis, AtomicLong calls, int regions) throws IOException {
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            calls.incrementAndGet();
            sleep(delayMillis);
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/invocations")) {
                exchange.getResponseHeaders().add("x-amzn-RequestId", "5c1e0a2b-7d3f-4e8a-9b6c-1d2e3f4a5b6c");
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            if (body.contains("Action=AssumeRole")) {
                write(exchange, out, "text/xml", ASSUME_ROLE);
                return;
            }
            if (body.contains("Action=DescribeImageAttribute")) {
                write(exchange, out, "text/xml", """
                        <DescribeImageAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><imageId>ami-0a1b2c3d4e5f60718</imageId>
                          <launchPermission><item><organizationArn>arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5</organizationArn></item></launchPermission>
                        </DescribeImageAttributeResponse>""");
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.endsWith("ListAccounts")) {
                var token = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(body).path("NextToken");
                int from = token.isMissingNode() ? 0 : Integer.parseInt(token.asText());
                int to = Math.min(organizationSize, from + PAGE);
                String accounts = IntStream.range(from, to).mapToObj(i -> "{\"Id\":\"" + String.format("%012d", 100_000_000_000L + i)
                        + "\",\"State\":\"ACTIVE\",\"Status\":\"ACTIVE\"}").collect(Collectors.joining(","));
                write(exchange, out, "application/x-amz-json-1.1", "{\"Accounts\":[" + accounts + "]"
                        + (to < organizationSize ? ",\"NextToken\":\"" + to + "\"" : "") + "}");
                return;
            }
            if (path.endsWith("/GetImage")) {
                String amis = REGIONS.subList(0, regions).stream().map(r -> "{\"region\":\"" + r
                        + "\",\"image\":\"ami-0a1b2c3d4e5f60718\",\"name\":\"golden-al2023\",\"accountId\":\"111122223333\"}")
                        .collect(Collectors.joining(","));
                write(exchange, out, "application/json", "{\"image\":{\"arn\":\"" + IMAGE_ARN + "\",\"name\":\"golden-al2023\","
                        + "\"version\":\"1.0.3/4\",\"state\":{\"status\":\"AVAILABLE\"},\"sourcePipelineArn\":\"" + PIPELINE
                        + "\",\"outputResources\":{\"amis\":[" + amis + "]}}}");
                return;
            }
            exchange.sendResponseHeaders(404, -1);
        }
    }

    private static void write(HttpExchange exchange, OutputStream out, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        out.write(bytes);
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
