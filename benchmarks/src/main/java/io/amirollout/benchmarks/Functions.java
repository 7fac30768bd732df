package io.amirollout.benchmarks;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.amirollout.zipcheck.FunctionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What each function's benchmark invocation needs. Handler class, the function's variables and the local
 * endpoint's answers come from zip-check's {@link FunctionSpec} (its test-jar), the one place that says what
 * the local AWS endpoint answers for each function, checked by every build. What is the benchmark's own: the
 * ONE events/ sample each timed invocation uses, and the benchmark's environment (static fake credentials).
 * Only the happy-path stubs are applied: zip-check's error overlay (e.g. throttling, then success) would add
 * a retry back-off to a timed cold start.
 */
final class Functions {

    static final List<String> NAMES = FunctionSpec.NAMES;

    record Spec(String handler, String event, Map<String, String> environment, Consumer<WireMockServer> stubs) {
    }

    private Functions() {
    }

    static Spec spec(String name, String endpoint) {
        FunctionSpec function = FunctionSpec.of(name);
        return new Spec(function.handler(), event(name), env(name, endpoint, function.variables()),
                server -> function.stubHappyPaths(server, endpoint));
    }

    /** The sample each function's timed invocation uses: one that reaches its main success path. */
    private static String event(String name) {
        return switch (name) {
            case "rollback-on-alarm" -> "eventbridge-alarm-state-change-alarm.json";
            case "termination-hostname" -> "ec2-instance-terminated.json";
            case "slack-notifier" -> "sns-notice-refresh-started.json";
            case "instance-refresh" -> "image-released.json";
            case "pipeline-starter" -> "object-created.json";
            case "cross-account-invoker" -> "image-available.json";
            case "ami-janitor" -> "scheduled-event.json";
            default -> throw new IllegalArgumentException("unknown function " + name + "; known: " + NAMES);
        };
    }

    /** Lambda-like environment: region, static fake credentials, no profile files, the local endpoint. */
    private static Map<String, String> env(String function, String endpoint, Map<String, String> variables) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCHMARK");
        env.put("AWS_SECRET_ACCESS_KEY", "benchmark-secret");
        env.put("AWS_SESSION_TOKEN", "benchmark-session-token");
        // Lambda has no ~/.aws: make sure a developer's own profile files play no part.
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ami-rollout-" + function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.putAll(variables);
        return env;
    }
}
