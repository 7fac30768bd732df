package io.amirollout.templatecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rollback-on-alarm's guard alarms in template.yaml (issue 11): the EventBridge rule forwards what may guard
 * a group (everything but the ECS alarm, or with GuardAlarmNamePrefix only the named and prefixed alarms),
 * the function learns the stack's guard alarms (the parameter's plus the ECS alarm), and its state-table
 * access is the stack's table only.
 */
class RollbackGuardAlarmsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECS_ALARM = "ami-rollout-ecs-errors";

    private final Template template = Template.load();

    private static Map<String, String> workload(Map<String, String> extra) {
        Map<String, String> parameters = new HashMap<>(Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777"));
        parameters.putAll(extra);
        return parameters;
    }

    private boolean delivered(Map<String, String> parameters, String alarmName, String state) throws IOException {
        String sample = Files.readString(Template.ROOT.resolve("events/rollback-on-alarm/eventbridge-alarm-state-change-alarm.json"));
        JsonNode event = JSON.readTree(sample.replace("web-ecs-task-errors", alarmName)
                .replace("\"value\": \"ALARM\"", "\"value\": \"" + state + "\""));
        assertEquals(alarmName, event.path("detail").path("alarmName").asText(), "the sample names its alarm in detail.alarmName");
        Resolver resolver = new Resolver(template, parameters);
        Map<String, Object> events = Template.map(template.properties("RollbackOnAlarmFunction").get("Events"));
        boolean any = false;
        for (Object raw : events.values()) {
            Map<String, Object> source = Template.map(raw);
            if ("EventBridgeRule".equals(source.get("Type"))) {
                any |= EventPattern.matches(resolver.resolve(Template.map(source.get("Properties")).get("Pattern")), event);
            }
        }
        return any;
    }

    @Test
    void withoutAPrefixEveryAlarmButTheEcsAlarmIsForwardedAndTheFunctionSortsThemOut() throws IOException {
        Map<String, String> parameters = workload(Map.of("EcsClusterArn", "arn:aws:ecs:eu-west-1:" + Resolver.ACCOUNT + ":cluster/web"));
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("orders-table-read-throttles", true);
        cases.put("web-latency", true);
        cases.put(ECS_ALARM, false); // it invokes the function directly (alarm action)
        List<String> wrong = new ArrayList<>();
        for (var c : cases.entrySet()) {
            if (delivered(parameters, c.getKey(), "ALARM") != c.getValue()) {
                wrong.add(c.getKey());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(!delivered(parameters, "web-latency", "OK"), "only transitions into ALARM");
    }

    @Test
    void withAPrefixOnlyTheNamedAndPrefixedAlarmsAreForwarded() throws IOException {
        Map<String, String> parameters = workload(Map.of("GuardAlarmNames", "web-latency,EC2 CPU Utilization Anomaly",
                "GuardAlarmNamePrefix", "guard-"));
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("guard-api-5xx", true);
        cases.put("web-latency", true);
        cases.put("EC2 CPU Utilization Anomaly", true);
        cases.put("orders-table-read-throttles", false);
        cases.put("web-latency-2", false);
        List<String> wrong = new ArrayList<>();
        for (var c : cases.entrySet()) {
            if (delivered(parameters, c.getKey(), "ALARM") != c.getValue()) {
                wrong.add(c.getKey());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(!delivered(parameters, "guard-api-5xx", "OK"), "only transitions into ALARM");

        Map<String, String> prefixOnly = workload(Map.of("GuardAlarmNamePrefix", "guard-"));
        assertTrue(delivered(prefixOnly, "guard-api-5xx", "ALARM"));
        assertTrue(!delivered(prefixOnly, "web-latency", "ALARM"));
    }

    @Test
    void theFunctionKnowsTheStacksGuardAlarmsIncludingTheEcsAlarm() {
        Resolver withEcs = new Resolver(template, workload(Map.of("EcsClusterArn",
                "arn:aws:ecs:eu-west-1:" + Resolver.ACCOUNT + ":cluster/web", "GuardAlarmNames", "web-latency")));
        Object guards = template.environment("RollbackOnAlarmFunction").get("GUARD_ALARM_NAMES");
        assertEquals(ECS_ALARM + ",web-latency", withEcs.string(guards));
        Resolver withoutEcs = new Resolver(template, workload(Map.of("GuardAlarmNames", "web-latency")));
        assertEquals("web-latency", withoutEcs.string(guards));
        Resolver neither = new Resolver(template, workload(Map.of()));
        assertEquals("", neither.string(guards));
    }

    @Test
    void stateTableActionsAreOnTheStacksTableOnly() {
        for (Functions.Function function : Functions.all()) {
            for (Map<String, Object> statement : Policies.functionStatements(template, function.logicalId())) {
                boolean dynamo = Policies.actions(statement).stream().anyMatch(a -> a.startsWith("dynamodb:"));
                if (dynamo) {
                    assertEquals(Map.of("Fn::GetAtt", List.of("StateTable", "Arn")), statement.get("Resource"),
                            function + " " + statement.get("Sid") + ": DynamoDB only on the stack's StateTable");
                }
            }
        }
        List<String> rollback = Policies.functionStatements(template, "RollbackOnAlarmFunction").stream()
                .filter(s -> s.get("Sid") != null && s.get("Sid").equals("StateOfRecord"))
                .flatMap(s -> Policies.actions(s).stream()).sorted().toList();
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"), rollback);
    }
}
