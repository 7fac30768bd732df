package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each function's policy in template.yaml grants exactly the actions in its
 * {@code functions/<name>/iam-actions.txt} (the functions' own tests check their calls against
 * that list), plus the few actions AWS checks on the function's behalf, each with its reason here.
 */
class IamPolicyDriftTest {

    static final List<Functions.Function> FUNCTIONS = Functions.all();

    private static final String LAUNCH = "EC2 Auto Scaling authorises the caller of StartInstanceRefresh / "
            + "UpdateAutoScalingGroup as launching instances from the launch template";

    private static final String CENTRAL_KEY = "SNS encrypts a notice for the infra account's central topic with its KMS key "
            + "as the publisher (central notices, issue 16)";
    private static final String SLACK_QUEUE = "the Slack queue's event source mapping polls with the function's role";

    /** Granted but not called by the code: AWS checks them on the function's behalf. */
    static final Map<String, Map<String, String>> GRANTED_FOR_AWS = Map.of(
            "instance-refresh", Map.of(
                    "ec2:RunInstances", LAUNCH,
                    "ec2:CreateTags", LAUNCH + " with tag specifications",
                    "iam:PassRole", LAUNCH + " with an instance profile",
                    "kms:GenerateDataKey*", CENTRAL_KEY, "kms:Decrypt", CENTRAL_KEY),
            "rollback-on-alarm", Map.of(
                    "ec2:RunInstances", LAUNCH + " (roll forward starts a refresh to the previous version)",
                    "ec2:CreateTags", LAUNCH + " with tag specifications",
                    "iam:PassRole", LAUNCH + " with an instance profile",
                    "kms:GenerateDataKey*", CENTRAL_KEY, "kms:Decrypt", CENTRAL_KEY),
            "refresh-verifier", Map.of(
                    "ec2:RunInstances", LAUNCH + " (rollback and roll forward replace instances from the launch template)",
                    "ec2:CreateTags", LAUNCH + " with tag specifications",
                    "iam:PassRole", LAUNCH + " with an instance profile",
                    "kms:GenerateDataKey*", CENTRAL_KEY, "kms:Decrypt", CENTRAL_KEY),
            "termination-hostname", Map.of("kms:GenerateDataKey*", CENTRAL_KEY, "kms:Decrypt", CENTRAL_KEY),
            "slack-notifier", Map.of(
                    "kms:Decrypt", "Secrets Manager / SSM decrypt a customer-managed-key secret as the caller",
                    "sqs:ReceiveMessage", SLACK_QUEUE, "sqs:DeleteMessage", SLACK_QUEUE,
                    "sqs:GetQueueAttributes", SLACK_QUEUE, "sqs:ChangeMessageVisibility", SLACK_QUEUE),
            "cross-account-invoker", Map.of(
                    "sqs:SendMessage", "Lambda sends failed async events to the on-failure queue with the "
                            + "function's role; SAM adds this only to roles it creates, this role is explicit"),
            "ami-janitor", Map.of(
                    "sqs:SendMessage", "Lambda sends failed async events to the on-failure queue with the "
                            + "function's role; SAM adds this only to roles it creates, this role is explicit"));

    /** Listed by a function but granted to another principal: function folder -> action -> resource. */
    static final Map<String, Map<String, String>> GRANTED_ELSEWHERE = Map.of(
            "cross-account-invoker", Map.of("lambda:InvokeFunction", "InvokerAccessRole"));

    /**
     * The only actions that may be granted on Resource "*": AWS offers no resource-level scoping for them
     * (cloudwatch:DescribeAlarms returns composite alarms only when scoped to "*", per its API reference).
     */
    private static final Pattern UNSCOPABLE = Pattern.compile(
            "(ec2:Describe\\w+|autoscaling:Describe\\w+|organizations:List\\w+|elasticloadbalancing:Describe\\w+"
                    // Service Authorization Reference: no resource type for these (ecs:ListServices is scoped by its
                    // ecs:cluster condition key instead; cloudwatch:DescribeAlarms returns composite alarms only
                    // when granted on '*').
                    + "|ssm:GetCommandInvocation|ecs:ListServices|cloudwatch:DescribeAlarms)", Pattern.CASE_INSENSITIVE);

    private final Template template = Template.load();

    static Set<String> listed(String folder) throws IOException {
        Path file = Template.ROOT.resolve("functions").resolve(folder).resolve("iam-actions.txt");
        assertTrue(Files.exists(file), file + " lists the actions the function calls");
        return Files.readAllLines(file).stream()
                .map(line -> line.replaceAll("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .map(line -> line.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> granted(Functions.Function function) {
        return Policies.allowedActions(Policies.functionStatements(template, function.logicalId()));
    }

    private static Set<String> lower(Set<String> actions) {
        return actions.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void everyListedActionIsGranted(Functions.Function function) throws IOException {
        Set<String> missing = listed(function.folder());
        missing.removeAll(lower(GRANTED_ELSEWHERE.getOrDefault(function.folder(), Map.of()).keySet()));
        missing.removeAll(granted(function));
        assertEquals(Set.of(), missing, function + ": in iam-actions.txt but not in its policy in template.yaml");
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void everyGrantedActionIsListedOrJustified(Functions.Function function) throws IOException {
        Set<String> extra = granted(function);
        extra.removeAll(listed(function.folder()));
        extra.removeAll(lower(GRANTED_FOR_AWS.getOrDefault(function.folder(), Map.of()).keySet()));
        assertEquals(Set.of(), extra, function + ": granted in template.yaml but neither called (iam-actions.txt) nor justified");
    }

    @Test
    void everyJustifiedExtraIsStillGranted() {
        for (Functions.Function function : FUNCTIONS) {
            Set<String> granted = granted(function);
            for (String action : GRANTED_FOR_AWS.getOrDefault(function.folder(), Map.of()).keySet()) {
                assertTrue(granted.contains(action.toLowerCase(Locale.ROOT)),
                        function + ": the allow-list names " + action + " but the template no longer grants it; drop it");
            }
        }
    }

    @Test
    void actionsGrantedToAnotherPrincipalAreGrantedThere() throws IOException {
        for (var entry : GRANTED_ELSEWHERE.entrySet()) {
            Set<String> listed = listed(entry.getKey());
            for (var grant : entry.getValue().entrySet()) {
                assertTrue(listed.contains(grant.getKey().toLowerCase(Locale.ROOT)), entry.getKey() + " lists " + grant.getKey());
                Set<String> there = Policies.allowedActions(Policies.statements(template.properties(grant.getValue())));
                assertTrue(there.contains(grant.getKey().toLowerCase(Locale.ROOT)),
                        grant.getValue() + " grants " + grant.getKey() + " for " + entry.getKey());
            }
        }
    }

    /** The describes ami-janitor needs in workload accounts (its sessions are limited to them by a session policy). */
    static final Set<String> JANITOR_READS = Set.of("autoscaling:describeautoscalinggroups", "ec2:describelaunchtemplates",
            "ec2:describelaunchtemplateversions");

    @Test
    void invokerAccessRoleMayOnlyInvokeInstanceRefreshAndReadGroups() {
        List<Map<String, Object>> statements = Policies.statements(template.properties("InvokerAccessRole"));
        Set<String> expected = new TreeSet<>(JANITOR_READS);
        expected.add("lambda:invokefunction");
        assertEquals(expected, Policies.allowedActions(statements));
        for (Map<String, Object> statement : statements) {
            String resources = String.valueOf(statement.get("Resource"));
            Set<String> actions = lower(new TreeSet<>(Policies.actions(statement)));
            if (actions.contains("lambda:invokefunction")) {
                assertEquals(Set.of("lambda:invokefunction"), actions, "invoke stands alone");
                assertTrue(resources.contains("InstanceRefreshFunction"), "InvokerAccessRole resources name instance-refresh: " + resources);
                assertTrue(!resources.contains("'*'") && !resources.equals("*"), "no wildcard resource");
            } else {
                assertTrue(JANITOR_READS.containsAll(actions), "only read-only describes besides invoke: " + actions);
            }
        }
        String trust = String.valueOf(template.properties("InvokerAccessRole").get("AssumeRolePolicyDocument"));
        assertTrue(trust.contains("aws:PrincipalOrgID"), "trust limited to the organization");
        assertTrue(trust.contains("aws:PrincipalArn") && trust.contains("InvokerRoleName"), "trust limited to the invoker's role");
        assertTrue(trust.contains("JanitorRoleName"), "and ami-janitor's role");
    }

    @Test
    void amiJanitorChangesOnlyImageBuilderAmisAndSnapshots() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> statement : Policies.functionStatements(template, "AmiJanitorFunction")) {
            Set<String> actions = new TreeSet<>(Policies.actions(statement));
            boolean changes = actions.stream().anyMatch(a -> Set.of("ec2:DeregisterImage", "ec2:DeleteSnapshot",
                    "ec2:EnableImageDeprecation", "ec2:DisableImageDeprecation", "ec2:CreateTags", "ec2:DeleteTags").contains(a));
            if (!changes) {
                continue;
            }
            String condition = String.valueOf(statement.get("Condition"));
            if (!condition.contains("aws:ResourceTag/CreatedBy=EC2 Image Builder")) {
                problems.add(statement.get("Sid") + ": not conditioned on Image Builder's CreatedBy tag: " + condition);
            }
            if ((actions.contains("ec2:CreateTags") || actions.contains("ec2:DeleteTags"))
                    && !condition.contains("aws:TagKeys=[ami-rollout:deregister-after]")) {
                problems.add(statement.get("Sid") + ": tags limited to the janitor's own key: " + condition);
            }
            if (actions.contains("ec2:DeregisterImage") && !condition.contains("aws:ResourceTag/ami-rollout:deregister-after=false")) {
                problems.add(statement.get("Sid") + ": deregisters only AMIs carrying the mark: " + condition);
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void autoScalingWritesNeedTheOptInTag(Functions.Function function) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> statement : Policies.functionStatements(template, function.logicalId())) {
            boolean writes = Policies.actions(statement).stream()
                    .anyMatch(a -> a.startsWith("autoscaling:") && !a.startsWith("autoscaling:Describe"));
            if (writes && "Allow".equals(statement.get("Effect"))) {
                String condition = String.valueOf(statement.get("Condition"));
                String resource = String.valueOf(statement.get("Resource"));
                // Either opted in by tag, or named one by one in TargetAutoScalingGroups.
                boolean byName = resource.contains("Ref=TargetAutoScalingGroups") && !resource.contains("autoScalingGroupName/*");
                if (!byName && !condition.matches(".*(autoscaling|aws):ResourceTag/ami-rollout:enabled=true.*")) {
                    problems.add(statement.get("Sid") + " " + statement.get("Condition"));
                }
            }
        }
        assertEquals(List.of(), problems, function + ": Auto Scaling writes neither on opted-in groups (ami-rollout:enabled=true) nor on named groups");
    }

    @Test
    void namedGroupsResolveToOneGroupArnEach() {
        Resolver workload = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777", "TargetAutoScalingGroups", "web-asg,api-asg"));
        for (String functionId : List.of("InstanceRefreshFunction", "RollbackOnAlarmFunction", "RefreshVerifierFunction")) {
            String policies = String.valueOf(workload.resolve(template.properties(functionId).get("Policies")));
            assertTrue(policies.contains("Resource=[arn:*:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web-asg, "
                    + "arn:*:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/api-asg]"), functionId + ": " + policies);
        }
        Resolver none = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777"));
        assertTrue(!String.valueOf(none.resolve(template.properties("InstanceRefreshFunction").get("Policies"))).contains("ListedGroups"),
                "no named-group statement without TargetAutoScalingGroups");
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void onlyUnscopableActionsUseAWildcardResource(Functions.Function function) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> statement : Policies.functionStatements(template, function.logicalId())) {
            if ("*".equals(statement.get("Resource")) && "Allow".equals(statement.get("Effect"))) {
                for (String action : Policies.actions(statement)) {
                    if (!UNSCOPABLE.matcher(action).matches()) {
                        problems.add(action);
                    }
                }
            }
        }
        assertEquals(List.of(), problems, function + ": actions on Resource '*' that AWS lets us scope");
    }
}
