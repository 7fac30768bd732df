package io.amirollout.verifier;

import io.amirollout.shared.RolloutTags;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which checks run for a group, from its tags (README "Tags"). Every check is optional; the defaults give a group
 * with no test tag convergence and, when target groups are attached, load balancer health.
 *
 * @param convergence      instances replaced so far (or all InService at the end) run the target version and AMI
 * @param loadBalancer     null: on when the group has target groups; true/false: forced
 * @param loadBalancerGrace how long new targets may take to turn {@code healthy}
 * @param ecsCluster       ECS cluster (name or ARN) the new instances must join, or null
 * @param ecsTimeout       how long the container instances and services may take to settle
 * @param document         SSM document run on a sample of new instances, or null
 * @param sample           how many new instances run the document
 * @param documentTimeout  how long the command may take (delivery and run), after which it counts as failed
 */
public record TestSettings(boolean convergence, Boolean loadBalancer, Duration loadBalancerGrace, String ecsCluster,
                           Duration ecsTimeout, String document, int sample, Duration documentTimeout) {

    /** {@code true} / {@code false}: convergence check. Default true. */
    public static final String TEST_CONVERGENCE = "ami-rollout:test-convergence";
    /** {@code true} / {@code false}: load balancer check. Default: on when target groups are attached. */
    public static final String TEST_LOAD_BALANCER = "ami-rollout:test-load-balancer";
    /** Seconds new targets may take to turn healthy. Default 300. */
    public static final String TEST_LOAD_BALANCER_GRACE = "ami-rollout:test-load-balancer-grace";
    /** Seconds the ECS check may take. Default 600. */
    public static final String TEST_ECS_TIMEOUT = "ami-rollout:test-ecs-timeout";
    /** How many new instances run the SSM document. Default 1. */
    public static final String TEST_SAMPLE = "ami-rollout:test-sample";
    /** Seconds the SSM command may take. Default 600. */
    public static final String TEST_DOCUMENT_TIMEOUT = "ami-rollout:test-document-timeout";

    static final Duration DEFAULT_GRACE = Duration.ofSeconds(300);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    /** SendCommand's TimeoutSeconds: 30 to 2592000. We never wait longer than a day. */
    static final int MAX_SECONDS = 86_400;
    /** SendCommand accepts up to 50 instance ids. */
    static final int MAX_SAMPLE = 50;

    /** Reads the tags; every malformed one is named in one {@link IllegalArgumentException}. */
    public static TestSettings from(Map<String, String> tags) {
        List<String> problems = new ArrayList<>();
        boolean convergence = bool(tags, TEST_CONVERGENCE, problems).orElse(true);
        Boolean loadBalancer = bool(tags, TEST_LOAD_BALANCER, problems).orElse(null);
        Duration grace = seconds(tags, TEST_LOAD_BALANCER_GRACE, DEFAULT_GRACE, 0, problems);
        String cluster = tag(tags, RolloutTags.TEST_ECS_CLUSTER).orElse(null);
        Duration ecsTimeout = seconds(tags, TEST_ECS_TIMEOUT, DEFAULT_TIMEOUT, 0, problems);
        String document = tag(tags, RolloutTags.TEST_DOCUMENT).orElse(null);
        if (document != null && !document.matches("^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\\d{12}:document/)?[a-zA-Z0-9_.:/-]{3,128}$")) {
            problems.add(RolloutTags.TEST_DOCUMENT + " '" + document + "' is not an SSM document name or ARN");
        }
        int sample = (int) number(tags, TEST_SAMPLE, 1, 1, MAX_SAMPLE, problems);
        Duration documentTimeout = seconds(tags, TEST_DOCUMENT_TIMEOUT, DEFAULT_TIMEOUT, 30, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new TestSettings(convergence, loadBalancer, grace, cluster, ecsTimeout, document, sample, documentTimeout);
    }

    public boolean loadBalancerOn(boolean targetGroupsAttached) {
        return loadBalancer == null ? targetGroupsAttached : loadBalancer;
    }

    private static Optional<String> tag(Map<String, String> tags, String key) {
        return Optional.ofNullable(tags.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<Boolean> bool(Map<String, String> tags, String key, List<String> problems) {
        Optional<String> value = tag(tags, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return Optional.of(true);
            case "false":
                return Optional.of(false);
            default:
                problems.add(key + " '" + value.get() + "' must be true or false");
                return Optional.empty();
        }
    }

    private static Duration seconds(Map<String, String> tags, String key, Duration fallback, int min, List<String> problems) {
        return Duration.ofSeconds(number(tags, key, fallback.getSeconds(), min, MAX_SECONDS, problems));
    }

    private static long number(Map<String, String> tags, String key, long fallback, int min, int max, List<String> problems) {
        Optional<String> value = tag(tags, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " '" + value.get() + "' must be a whole number from " + min + " to " + max);
        return fallback;
    }
}
