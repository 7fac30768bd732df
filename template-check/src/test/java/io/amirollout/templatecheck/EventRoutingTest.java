package io.amirollout.templatecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EventBridge rules in template.yaml, resolved for a deployment, against events shaped as AWS
 * sends them: each function's rules deliver its EventBridge samples (a few samples exist to show
 * what the function ignores, and the rule must filter those out), and the ECS error rule of the
 * rollback chain keeps errors and drops routine events.
 */
class EventRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Samples the rules must NOT deliver, with the reason. */
    static final Map<String, String> FILTERED_OUT = Map.of(
            "termination-hostname/ec2-instance-running.json", "state running is not in HostnameInstanceStates (default shutting-down,terminated)",
            "termination-hostname/ec2-instance-terminated-spaces-uppercase.json",
            "EC2 sends lower-case states; this spelling only reaches the function by hand (aws lambda invoke)",
            "rollback-on-alarm/eventbridge-alarm-state-change-ok.json", "only transitions to ALARM are routed");

    private final Template template = Template.load();

    @Test
    void matcherFollowsEventBridgeSemantics() throws IOException {
        JsonNode event = JSON.readTree("""
                {"source":"aws.ecs","detail-type":"ECS Task State Change","resources":["arn:aws:ecs:eu-west-1:1:task/web/abc"],
                 "detail":{"lastStatus":"STOPPED","stopCode":"EssentialContainerExited","tags":["a","b"]}}""");
        assertTrue(EventPattern.matches(Map.of("source", List.of("aws.ecs")), event));
        assertFalse(EventPattern.matches(Map.of("source", List.of("aws.ec2")), event));
        assertTrue(EventPattern.matches(Map.of("resources", List.of(Map.of("prefix", "arn:aws:ecs:eu-west-1:1:task/web/"))), event));
        assertTrue(EventPattern.matches(Map.of("detail", Map.of("tags", List.of("b"))), event), "any element of an array");
        assertFalse(EventPattern.matches(Map.of("detail", Map.of("stopCode", List.of(Map.of("anything-but", "EssentialContainerExited")))), event));
        assertFalse(EventPattern.matches(Map.of("detail", Map.of("missing", List.of("x"))), event), "a missing field never equals");
        assertTrue(EventPattern.matches(Map.of("$or", List.of(Map.of("source", List.of("aws.ec2")),
                Map.of("detail", Map.of("lastStatus", List.of("STOPPED"))))), event));
    }

    @Test
    void eachFunctionsRulesDeliverItsSamplesAndFilterTheOnesItIgnores() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String functionId : template.functionIds()) {
            String folder = template.folder(functionId);
            List<Object> patterns = new ArrayList<>();
            Object events = template.properties(functionId).get("Events");
            for (Object raw : events == null ? List.of() : Template.map(events).values()) {
                Map<String, Object> source = Template.map(raw);
                if ("EventBridgeRule".equals(source.get("Type"))) {
                    patterns.add(Template.map(source.get("Properties")).get("Pattern"));
                }
            }
            // Rules that deliver to a queue this function consumes (slack-notifier: SlackRefreshEventsRule -> SlackQueue).
            patterns.addAll(CentralNoticesWiringTest.rulePatternsThroughQueues(template, functionId));
            if (patterns.isEmpty()) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(Template.ROOT.resolve("events").resolve(folder))) {
                files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                JsonNode event = JSON.readTree(file.toFile());
                if (!event.has("detail-type") || !routedDetailTypes(patterns).contains(event.get("detail-type").asText())) {
                    continue; // another trigger (SNS, alarm action, by hand) or a type the template does not route
                }
                Resolver resolver = new Resolver(template, parametersFor(event));
                boolean delivered = false;
                for (Object pattern : patterns) {
                    delivered |= EventPattern.matches(resolver.resolve(pattern), event);
                }
                String name = folder + "/" + file.getFileName();
                boolean expected = !FILTERED_OUT.containsKey(name);
                checked++;
                if (delivered != expected) {
                    problems.add(name + (expected ? " is not delivered by its rule" : " should be filtered out: " + FILTERED_OUT.get(name)));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 10, "samples checked against rules: " + checked);
    }

    @Test
    void ecsErrorRuleKeepsErrorsOfTheWatchedClusterOnly() throws IOException {
        Resolver resolver = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777", "EcsClusterArn", "arn:aws:ecs:eu-west-1:" + Resolver.ACCOUNT + ":cluster/web"));
        assertTrue(resolver.exists("EcsErrorEventsRule"));
        Object pattern = resolver.resolve(template.properties("EcsErrorEventsRule").get("EventPattern"));
        String cluster = "arn:aws:ecs:eu-west-1:" + Resolver.ACCOUNT + ":cluster/web";
        String service = "arn:aws:ecs:eu-west-1:" + Resolver.ACCOUNT + ":service/web/api";
        Map<String, Boolean> cases = new java.util.LinkedHashMap<>();
        cases.put(ecs("ECS Service Action", service, "{\"eventType\":\"ERROR\",\"eventName\":\"SERVICE_TASK_PLACEMENT_FAILURE\",\"clusterArn\":\"" + cluster + "\"}"), true);
        cases.put(ecs("ECS Service Action", service, "{\"eventType\":\"INFO\",\"eventName\":\"SERVICE_STEADY_STATE\",\"clusterArn\":\"" + cluster + "\"}"), false);
        cases.put(ecs("ECS Service Action", service.replace("/web/", "/other/"),
                "{\"eventType\":\"ERROR\",\"eventName\":\"SERVICE_TASK_PLACEMENT_FAILURE\",\"clusterArn\":\"" + cluster.replace("/web", "/other") + "\"}"), false);
        cases.put(ecs("ECS Deployment State Change", service, "{\"eventType\":\"ERROR\",\"eventName\":\"SERVICE_DEPLOYMENT_FAILED\"}"), true);
        cases.put(ecs("ECS Deployment State Change", service.replace("/web/", "/web2/"), "{\"eventType\":\"ERROR\",\"eventName\":\"SERVICE_DEPLOYMENT_FAILED\"}"), false);
        cases.put(ecs("ECS Deployment State Change", service, "{\"eventType\":\"INFO\",\"eventName\":\"SERVICE_DEPLOYMENT_COMPLETED\"}"), false);
        cases.put(ecs("ECS Task State Change", cluster.replace("cluster/", "task/") + "/abc",
                "{\"clusterArn\":\"" + cluster + "\",\"lastStatus\":\"STOPPED\",\"stopCode\":\"EssentialContainerExited\"}"), true);
        cases.put(ecs("ECS Task State Change", cluster.replace("cluster/", "task/") + "/abc",
                "{\"clusterArn\":\"" + cluster + "\",\"lastStatus\":\"STOPPED\",\"stopCode\":\"ServiceSchedulerInitiated\"}"), false);
        cases.put(ecs("ECS Task State Change", cluster.replace("cluster/", "task/") + "/abc",
                "{\"clusterArn\":\"" + cluster + "\",\"lastStatus\":\"RUNNING\"}"), false);
        List<String> wrong = new ArrayList<>();
        for (var entry : cases.entrySet()) {
            if (EventPattern.matches(pattern, JSON.readTree(entry.getKey())) != entry.getValue()) {
                wrong.add((entry.getValue() ? "missed: " : "kept: ") + entry.getKey());
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static String ecs(String detailType, String resource, String detail) {
        return "{\"version\":\"0\",\"source\":\"aws.ecs\",\"detail-type\":\"" + detailType + "\",\"account\":\""
                + Resolver.ACCOUNT + "\",\"region\":\"eu-west-1\",\"resources\":[\"" + resource + "\"],\"detail\":" + detail + "}";
    }

    /** A single-account deployment; the payload bucket is the one the sample names. */
    private static Map<String, String> parametersFor(JsonNode event) {
        Map<String, String> parameters = new HashMap<>(Map.of("StackRole", "both", "OrganizationId", "o-abcdef1234",
                "SlackWebhookSecret", "ami-rollout/slack-webhook"));
        String bucket = event.path("detail").path("bucket").path("name").asText("");
        if (!bucket.isEmpty()) {
            parameters.put("ExistingPayloadBucketName", bucket);
        }
        return parameters;
    }

    private static java.util.Set<String> routedDetailTypes(List<Object> patterns) {
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (Object pattern : patterns) {
            Object direct = Template.map(pattern).get("detail-type");
            if (direct instanceof List<?> list) {
                list.forEach(t -> types.add(String.valueOf(t)));
            }
        }
        return types;
    }
}
