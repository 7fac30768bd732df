package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One function as the local AWS endpoint serves it: handler class, the variables it requires, and the
 * endpoint's answers for the happy paths of its events/ samples (in each service's real wire format, so the
 * SDK's success unmarshallers run). This is the one place that says what the local endpoint answers for each
 * function: zip-check applies it, and the cold-start benchmark (benchmarks/, through this module's test-jar)
 * reuses it, so the two cannot drift apart.
 *
 * <p>zip-check also lays AWS errors over some calls ({@link #errorPaths}, see {@link ErrorPathStubs}); the
 * benchmark applies the happy paths only, because an error overlay (e.g. throttling then success) would add
 * a retry back-off to a timed cold start. Calls nobody stubbed get WireMock's 404.
 *
 * @param happyPaths       stubs every sample's successful calls; the second argument is the endpoint's base
 *                         URL (slack-notifier's webhook URL points back at it)
 * @param errorPaths       AWS errors laid over some happy-path calls at a higher priority (zip-check only)
 * @param fanOutInParallel the function makes its AWS calls from several threads, so their order within
 *                         one sample is not deterministic (compared as a multiset, not a sequence)
 */
public record FunctionSpec(String name, String handler, Map<String, String> variables,
                           BiConsumer<WireMockServer, String> happyPaths, Consumer<WireMockServer> errorPaths,
                           boolean fanOutInParallel) {

    static final String ACCOUNT = "444455556666";
    static final String TOPIC = "arn:aws:sns:eu-west-1:" + ACCOUNT + ":ami-rollout-notifications";
    static final String WEBHOOK_PATH = "/services/T0000/B0000/zipcheck";

    public static final List<String> NAMES = List.of("rollback-on-alarm", "termination-hostname", "slack-notifier",
            "instance-refresh", "pipeline-starter", "cross-account-invoker", "refresh-verifier", "ami-janitor");

    public static FunctionSpec of(String name) {
        return switch (name) {
            case "rollback-on-alarm" -> new FunctionSpec(name, "io.amirollout.rollback.RollbackOnAlarmHandler",
                    vars("NOTIFICATION_TOPIC_ARN", TOPIC, "STATE_TABLE_NAME", "ami-rollout-state"),
                    (server, endpoint) -> RollbackAndHostnameStubs.rollback(server), ErrorPathStubs::rollback, false);
            case "termination-hostname" -> new FunctionSpec(name, "io.amirollout.hostname.TerminationHostnameHandler",
                    vars("HOSTNAME_TOPIC_ARN", "arn:aws:sns:eu-west-1:" + ACCOUNT + ":ami-rollout-hostnames",
                            "STATE_TABLE_NAME", "ami-rollout-state", "NOTIFICATION_TOPIC_ARN", TOPIC),
                    (server, endpoint) -> RollbackAndHostnameStubs.hostname(server), ErrorPathStubs::hostname, false);
            case "slack-notifier" -> new FunctionSpec(name, "io.amirollout.slack.SlackNotifierHandler",
                    vars("SLACK_WEBHOOK_SECRET_ID", "ami-rollout/slack"),
                    SlackAndPipelineStubs::slack, ErrorPathStubs::none, false);
            case "instance-refresh" -> new FunctionSpec(name, "io.amirollout.refresh.InstanceRefreshHandler",
                    vars("TRUSTED_IMAGE_OWNERS", "111122223333", "NOTIFICATION_TOPIC_ARN", TOPIC,
                            "STATE_TABLE_NAME", "ami-rollout-state"),
                    (server, endpoint) -> InstanceRefreshStubs.stubs(server), ErrorPathStubs::instanceRefresh, false);
            case "pipeline-starter" -> new FunctionSpec(name, "io.amirollout.pipeline.PipelineStarterHandler",
                    vars("PIPELINE_ARN", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                            "PAYLOAD_BUCKET", "ami-rollout-payloads-111122223333", "NOTIFICATION_TOPIC_ARN", TOPIC,
                            "STATE_TABLE_NAME", "ami-rollout-state"),
                    (server, endpoint) -> SlackAndPipelineStubs.pipeline(server), ErrorPathStubs::pipeline, false);
            case "cross-account-invoker" -> new FunctionSpec(name, "io.amirollout.invoker.CrossAccountInvokerHandler",
                    vars("TARGET_ROLE_NAME", "ami-rollout-invoker", "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh",
                            "TARGET_ACCOUNTS", ACCOUNT + ",555566667777", "TARGET_REGIONS", "eu-west-1",
                            "NOTIFICATION_TOPIC_ARN", TOPIC, "STATE_TABLE_NAME", "ami-rollout-state",
                            "SOURCE_PIPELINE_ARNS", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023"),
                    (server, endpoint) -> CrossAccountStubs.stubs(server), ErrorPathStubs::crossAccount, true);
            // One-second rounds: the SSM document is sent in the first round and its result read in the second.
            case "refresh-verifier" -> new FunctionSpec(name, "io.amirollout.verifier.RefreshVerifierHandler",
                    vars("STATE_TABLE_NAME", "ami-rollout-state", "NOTIFICATION_TOPIC_ARN", TOPIC, "POLL_INTERVAL_SECONDS", "1"),
                    (server, endpoint) -> VerifierStubs.stubs(server), ErrorPathStubs::none, false);
            case "ami-janitor" -> new FunctionSpec(name, "io.amirollout.janitor.AmiJanitorHandler",
                    vars("INFRA_ACCOUNT_ID", "111122223333", "IMAGE_NAMES", "golden-al2023", "REGIONS", "eu-west-1",
                            "WORKLOAD_ROLE_NAME", "ami-rollout-invoker-access", "STATE_TABLE_NAME", "ami-rollout-state",
                            "NOTIFICATION_TOPIC_ARN", TOPIC, "DRY_RUN", "false"),
                    (server, endpoint) -> JanitorStubs.stubs(server), ErrorPathStubs::none, false);
            default -> throw new IllegalArgumentException("unknown function " + name + "; known: " + NAMES);
        };
    }

    /** Stubs the happy paths of every sample: what the benchmark applies. */
    public void stubHappyPaths(WireMockServer server, String endpoint) {
        happyPaths.accept(server, endpoint);
    }

    /** Happy paths, then the error overlay over them: what zip-check applies. */
    void stubHappyAndErrorPaths(WireMockServer server, String endpoint) {
        happyPaths.accept(server, endpoint);
        errorPaths.accept(server);
    }

    /**
     * The child's whole environment: what Lambda sets for a SnapStart function (no AWS_ACCESS_KEY_ID:
     * credentials come from the container-credentials endpoint), the local endpoint, and the function's
     * own variables. Nothing is inherited from the build's environment but PATH.
     */
    Map<String, String> environment(String endpoint, String taskRoot) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        // Lambda sets en_US.UTF-8; C.UTF-8 is the UTF-8 locale every glibc has (same effect on the JVM).
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ami-rollout-" + name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        // SnapStart's credentials: the SDK's ContainerCredentialsProvider accepts an http FULL_URI only on
        // a loopback host (https anywhere) and sends the token as the Authorization header.
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint + AwsWire.CREDENTIALS_PATH);
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", AwsWire.CREDENTIALS_TOKEN);
        // Lambda has no ~/.aws and no instance metadata: nothing of the build machine's may play a part.
        env.put("AWS_CONFIG_FILE", "/nonexistent/zip-check/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/zip-check/aws-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ENDPOINT_URL", endpoint);
        // As template.yaml sets it for every function.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        env.putAll(variables);
        return env;
    }

    private static Map<String, String> vars(String... pairs) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(vars);
    }
}
