package io.amirollout.templatecheck;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The environment template.yaml gives each function against what its configuration reads
 * ({@code XxxConfig.from(Env)}, with {@link Env#namesRead()} recording every name):
 * <ul>
 *   <li>the template sets no variable the code does not read;</li>
 *   <li>every variable the code cannot start without is set by the template;</li>
 *   <li>a variable left to its default is documented in the function's README;</li>
 *   <li>for realistic parameter sets (single account, infra, workload) the values CloudFormation
 *       would put in the environment are accepted by the configuration as it is.</li>
 * </ul>
 */
class EnvironmentDriftTest {

    static final List<Functions.Function> FUNCTIONS = Functions.all();

    /** Set by the Lambda runtime, never by the template. */
    private static final Set<String> SET_BY_LAMBDA = Set.of("AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_LOG_GROUP_NAME", "_X_AMZN_TRACE_ID");

    /** Parameter sets a team would deploy with: one per StackRole and webhook source. */
    static final Map<String, Map<String, String>> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("single account (both), webhook secret by name, ECS alarm", Map.of(
                "StackRole", "both",
                "OrganizationId", "o-abcdef1234",
                "OrganizationArn", "arn:aws:organizations::999988887777:organization/o-abcdef1234",
                "SlackWebhookSecret", "ami-rollout/slack-webhook",
                "EcsClusterArn", "arn:aws:ecs:eu-west-1:111122223333:cluster/web"));
        SCENARIOS.put("infra, existing bucket and pipeline, webhook secret ARN, dry run", Map.of(
                "StackRole", "infra",
                "ExistingPayloadBucketName", "team-golden-payloads",
                "ExistingImagePipelineArn", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                "ExtraDistributionRegions", "eu-central-1,us-east-1",
                "TargetAccounts", "444455556666,777788889999",
                "DenyAccounts", "777788889999",
                "ExternalId", "rollout-2026",
                "SlackWebhookSecret", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf",
                "DryRun", "true"));
        SCENARIOS.put("workload, webhook in SSM with a customer key, tuned rollout", Map.ofEntries(
                Map.entry("StackRole", "workload"),
                Map.entry("OrganizationId", "o-abcdef1234"),
                Map.entry("InfraAccountId", "999988887777"),
                Map.entry("ExternalId", "rollout-2026"),
                Map.entry("TrustedImageOwners", "999988887777,555566667777"),
                Map.entry("TargetAutoScalingGroups", "web-asg,api-asg"),
                Map.entry("DefaultImageName", "golden-al2023"),
                Map.entry("ScaleInProtectedInstances", "Refresh"),
                Map.entry("StandbyInstances", "Terminate"),
                Map.entry("RollForwardGraceMinutes", "120"),
                Map.entry("GuardAlarmNames", "web-latency,EC2 CPU Utilization Anomaly"),
                Map.entry("GuardAlarmNamePrefix", "guard-"),
                Map.entry("HostnameInstanceStates", "shutting-down,terminated"),
                Map.entry("PublishWithoutHostname", "true"),
                Map.entry("SlackWebhookParameter", "/ami-rollout/slack-webhook"),
                Map.entry("SlackWebhookKmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")));
    }

    private final Template template = Template.load();

    /** What the configuration read and what it refused, given an environment. */
    record Reading(Set<String> namesRead, List<String> problems) {
    }

    static Reading read(Functions.Function function, Map<String, String> variables) {
        Env env = Env.of(variables);
        try {
            Method from = Class.forName(function.configClass()).getMethod("from", Env.class);
            assertTrue(Modifier.isStatic(from.getModifiers()), function.configClass() + ".from(Env) is static");
            from.invoke(null, env);
            return new Reading(new TreeSet<>(env.namesRead()), List.of());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigurationException problems) {
                return new Reading(new TreeSet<>(env.namesRead()), problems.problems());
            }
            throw new AssertionError(function.configClass() + ".from threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(function.configClass() + " must have public static from(io.amirollout.shared.Env)", e);
        }
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void templateSetsOnlyVariablesTheCodeReads(Functions.Function function) {
        Set<String> read = read(function, Map.of()).namesRead();
        Set<String> unread = new TreeSet<>(template.environment(function.logicalId()).keySet());
        unread.removeAll(read);
        assertEquals(Set.of(), unread, function + ": template.yaml sets variables its configuration never reads (read: " + read + ")");
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void everyVariableTheCodeRequiresIsSet(Functions.Function function) {
        Reading empty = read(function, Map.of());
        Set<String> set = template.environment(function.logicalId()).keySet();
        List<String> uncovered = new ArrayList<>();
        // Each start-up problem with no environment at all names the variable(s) that fix it: the
        // template must set at least one of them (e.g. one of two alternative webhook sources).
        for (String problem : empty.problems()) {
            boolean covered = empty.namesRead().stream()
                    .anyMatch(name -> set.contains(name) && Pattern.compile("\\b" + name + "\\b").matcher(problem).find());
            if (!covered) {
                uncovered.add(problem);
            }
        }
        assertEquals(List.of(), uncovered, function + ": required but not set in template.yaml");
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void variablesLeftToTheirDefaultAreDocumented(Functions.Function function) throws IOException {
        Set<String> omitted = new TreeSet<>(read(function, Map.of()).namesRead());
        omitted.removeAll(template.environment(function.logicalId()).keySet());
        omitted.removeAll(SET_BY_LAMBDA);
        java.nio.file.Path file = Template.ROOT.resolve("functions").resolve(function.folder()).resolve("README.md");
        assertTrue(Files.exists(file), file + " documents the function's environment variables");
        String readme = Files.readString(file);
        List<String> undocumented = omitted.stream().filter(name -> !readme.contains(name)).toList();
        assertEquals(List.of(), undocumented, function + ": read with a default, not set by the template and not in its README");
    }

    @Test
    void realisticDeploymentsGiveEveryFunctionAnEnvironmentItAccepts() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var scenario : SCENARIOS.entrySet()) {
            Resolver resolver = new Resolver(template, scenario.getValue());
            checkParameterValues(scenario.getKey(), scenario.getValue());
            for (Functions.Function function : FUNCTIONS) {
                if (!resolver.exists(function.logicalId())) {
                    continue;
                }
                Map<String, String> environment = new TreeMap<>();
                template.environment(function.logicalId()).forEach((name, value) -> {
                    Object resolved = resolver.resolve(value);
                    if (resolved != Resolver.NO_VALUE) {
                        environment.put(name, resolver.string(value));
                    }
                });
                Reading reading = read(function, environment);
                checked++;
                if (!reading.problems().isEmpty()) {
                    problems.add(scenario.getKey() + " / " + function + ": " + reading.problems() + " with " + environment);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= FUNCTIONS.size(), "every function is checked in at least one scenario");
    }

    @Test
    void everyFunctionExistsInSomeScenarioAndTheStackRolesSplitThem() {
        Map<String, Set<String>> byRole = new TreeMap<>();
        for (var scenario : SCENARIOS.entrySet()) {
            Resolver resolver = new Resolver(template, scenario.getValue());
            for (Functions.Function function : FUNCTIONS) {
                if (resolver.exists(function.logicalId())) {
                    byRole.computeIfAbsent(scenario.getValue().get("StackRole"), k -> new TreeSet<>()).add(function.folder());
                }
            }
        }
        assertEquals(Set.of("cross-account-invoker", "pipeline-starter", "slack-notifier", "ami-janitor"), byRole.get("infra"));
        assertEquals(Set.of("instance-refresh", "rollback-on-alarm", "termination-hostname", "slack-notifier",
                "refresh-verifier"), byRole.get("workload"));
        assertEquals(FUNCTIONS.size(), byRole.get("both").size());
    }

    /** The infra stack's invoker and a workload stack's role and function must name each other. */
    @Test
    void infraAndWorkloadStacksAgreeOnTheCrossAccountNames() {
        Resolver infra = new Resolver(template, SCENARIOS.get("infra, existing bucket and pipeline, webhook secret ARN, dry run"));
        Map<String, Object> invokerEnv = template.environment("CrossAccountInvokerFunction");
        String targetRole = infra.string(invokerEnv.get("TARGET_ROLE_NAME"));
        String targetFunction = infra.string(invokerEnv.get("TARGET_FUNCTION_NAME"));
        String invokerRoleName = infra.string(template.properties("CrossAccountInvokerRole").get("RoleName"));

        Resolver workload = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", Resolver.ACCOUNT));
        assertEquals(workload.string(template.properties("InvokerAccessRole").get("RoleName")), targetRole,
                "TARGET_ROLE_NAME is the role workload stacks create");
        assertEquals(workload.string(template.properties("InstanceRefreshFunction").get("FunctionName")) + ":live", targetFunction,
                "TARGET_FUNCTION_NAME is instance-refresh's alias");
        String trust = String.valueOf(workload.resolve(template.properties("InvokerAccessRole").get("AssumeRolePolicyDocument")));
        assertTrue(trust.contains("arn:aws:iam::" + Resolver.ACCOUNT + ":role/" + invokerRoleName),
                "the workload role trusts the infra invoker's role: " + trust);
    }

    private void checkParameterValues(String scenario, Map<String, String> values) {
        values.forEach((name, value) -> {
            Map<String, Object> declaration = Template.map(template.section("Parameters").get(name));
            Object pattern = declaration.get("AllowedPattern");
            if (pattern != null && !value.matches(String.valueOf(pattern))) {
                fail(scenario + ": " + name + "=" + value + " does not match its AllowedPattern " + pattern);
            }
            Object allowed = declaration.get("AllowedValues");
            if (allowed instanceof List<?> list && list.stream().map(String::valueOf).noneMatch(value::equals)) {
                fail(scenario + ": " + name + "=" + value + " is not one of " + allowed);
            }
        });
    }
}
