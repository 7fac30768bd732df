package io.amirollout.templatecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * termination-hostname's part of template.yaml: the optional terminate lifecycle hooks, the rule that
 * routes only that hook's actions, and the scoping of its state-table and Auto Scaling permissions.
 */
class TerminationHostnameTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOOKS = List.of("HostnameLifecycleHook1", "HostnameLifecycleHook2", "HostnameLifecycleHook3");

    private final Template template = Template.load();

    private Resolver workload(String... extra) {
        Map<String, String> parameters = new HashMap<>(Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777"));
        for (int i = 0; i < extra.length; i += 2) {
            parameters.put(extra[i], extra[i + 1]);
        }
        return new Resolver(template, parameters);
    }

    @Test
    void theHooksFollowTheGroupListAndCarryTheFunctionsHookName() {
        Resolver resolver = workload("HostnameLifecycleHookGroups", "web-asg,api-asg", "HostnameLifecycleHookName", "hostname-hook",
                "HostnameLifecycleHookTimeout", "120");
        String hookName = resolver.string(template.environment("TerminationHostnameFunction").get("LIFECYCLE_HOOK_NAME"));
        assertEquals("hostname-hook", hookName);

        assertTrue(resolver.exists("HostnameLifecycleHook1"));
        assertTrue(resolver.exists("HostnameLifecycleHook2"));
        assertFalse(resolver.exists("HostnameLifecycleHook3"));
        List<String> groups = List.of("web-asg", "api-asg");
        for (int i = 0; i < 2; i++) {
            Map<String, Object> hook = Template.map(resolver.resolve(template.properties(HOOKS.get(i))));
            assertEquals(groups.get(i), hook.get("AutoScalingGroupName"));
            assertEquals(hookName, hook.get("LifecycleHookName"), "the function completes exactly this hook");
            assertEquals("autoscaling:EC2_INSTANCE_TERMINATING", hook.get("LifecycleTransition"));
            assertEquals("CONTINUE", hook.get("DefaultResult"), "a hook this function cannot complete never blocks a scale-in");
            assertEquals("120", hook.get("HeartbeatTimeout"));
            assertFalse(hook.containsKey("NotificationTargetARN"), "no target: the action goes to EventBridge");
        }
    }

    @Test
    void noGroupsOrAnInfraStackMeanNoHooks() {
        Resolver none = workload();
        Resolver infra = new Resolver(template, Map.of("StackRole", "infra", "HostnameLifecycleHookGroups", "web-asg"));
        for (String hook : HOOKS) {
            assertFalse(none.exists(hook), hook);
            assertFalse(infra.exists(hook), hook);
        }
    }

    @Test
    void theLifecycleRuleRoutesOnlyTheConfiguredHooksActions() throws IOException {
        Resolver resolver = workload("HostnameLifecycleHookName", "hostname-hook");
        Map<String, Object> events = Template.map(template.properties("TerminationHostnameFunction").get("Events"));
        Object pattern = resolver.resolve(Template.map(Template.map(events.get("TerminateLifecycleAction")).get("Properties")).get("Pattern"));
        JsonNode sample = JSON.readTree(Template.ROOT.resolve("events/termination-hostname/asg-terminate-lifecycle-action.json").toFile());
        ObjectNode ours = sample.deepCopy();
        ((ObjectNode) ours.get("detail")).put("LifecycleHookName", "hostname-hook");
        ObjectNode launch = ours.deepCopy();
        launch.put("detail-type", "EC2 Instance-launch Lifecycle Action");

        assertTrue(EventPattern.matches(pattern, ours));
        assertFalse(EventPattern.matches(pattern, sample), "another tool's hook (ami-rollout-hostname is not configured here)");
        assertFalse(EventPattern.matches(pattern, launch));
    }

    @Test
    void stateTableAccessIsTheHostnameRecordsOnly() throws ReflectiveOperationException {
        Resolver resolver = workload();
        List<Map<String, Object>> dynamo = Policies.functionStatements(template, "TerminationHostnameFunction").stream()
                .filter(s -> Policies.actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertEquals(1, dynamo.size());
        Map<String, Object> statement = Template.map(resolver.resolve(dynamo.get(0)));
        assertEquals(resolver.resolve(Map.of("Fn::GetAtt", List.of("StateTable", "Arn"))), statement.get("Resource"));
        Object leadingKeys = Template.map(Template.map(statement.get("Condition")).get("ForAllValues:StringLike")).get("dynamodb:LeadingKeys");
        // The records' partition key is shared-lib ProcessedEvents' event#<scope>#<id>, scope from PublicationLedger.
        Field scope = Class.forName("io.amirollout.hostname.PublicationLedger").getDeclaredField("SCOPE");
        scope.setAccessible(true);
        assertEquals(List.of("event#" + scope.get(null) + "#*"), leadingKeys);
        assertEquals(resolver.string(Map.of("Ref", "StateTable")),
                resolver.string(template.environment("TerminationHostnameFunction").get("STATE_TABLE_NAME")));
    }

    @Test
    void completingLifecycleActionsNeedsTheOptInTag() {
        Resolver resolver = workload();
        List<Map<String, Object>> complete = Policies.functionStatements(template, "TerminationHostnameFunction").stream()
                .filter(s -> Policies.actions(s).contains("autoscaling:CompleteLifecycleAction")).toList();
        assertEquals(1, complete.size());
        Map<String, Object> statement = Template.map(resolver.resolve(complete.get(0)));
        assertEquals(Map.of("StringEquals", Map.of("autoscaling:ResourceTag/ami-rollout:enabled", "true")), statement.get("Condition"));
        assertTrue(String.valueOf(statement.get("Resource")).matches("arn:aws:autoscaling:[^:]+:\\d{12}:autoScalingGroup:\\*:autoScalingGroupName/\\*"),
                String.valueOf(statement.get("Resource")));
    }
}
