package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Central notices (issue 16), resolved for real deployments: the infra topic, its key and the default bus
 * accept the organization only (aws:PrincipalOrgID); a workload stack given the central topic publishes
 * there and nowhere else, with the infra key for that topic only, and forwards its refresh events to the
 * infra bus; the Slack queue is wired to its failure queue and a bounded event source.
 */
class CentralNoticesWiringTest {

    static final String ORG = "o-abcdef1234";
    static final String INFRA = "999988887777";
    static final String CENTRAL_TOPIC = "arn:aws:sns:eu-central-1:" + INFRA + ":ami-rollout-NotificationTopic-AbC";
    static final String CENTRAL_KEY = "arn:aws:kms:eu-central-1:" + INFRA + ":key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

    private final Template template = Template.load();

    private Resolver infra() {
        return new Resolver(template, Map.of("StackRole", "infra", "OrganizationId", ORG, "TargetAccounts", "444455556666",
                "SlackWebhookSecret", "ami-rollout/slack-webhook"));
    }

    private Resolver centralWorkload() {
        return new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", ORG, "InfraAccountId", INFRA,
                "TrustedImageOwners", INFRA, "CentralNotificationTopicArn", CENTRAL_TOPIC, "CentralNotificationKeyArn", CENTRAL_KEY));
    }

    private Resolver plainWorkload() {
        return new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", ORG, "InfraAccountId", INFRA,
                "TrustedImageOwners", INFRA));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Object policyDocument) {
        Object statement = Template.map(policyDocument).get("Statement");
        return statement instanceof List<?> list ? (List<Map<String, Object>>) list : List.of(Template.map(statement));
    }

    private static boolean principalIsAnyone(Map<String, Object> statement) {
        Object principal = statement.get("Principal");
        return "*".equals(principal) || (principal instanceof Map<?, ?> map && "*".equals(map.get("AWS")));
    }

    private static Map<String, Object> condition(Map<String, Object> statement, String operator) {
        return Template.map(Template.map(statement.getOrDefault("Condition", Map.of())).getOrDefault(operator, Map.of()));
    }

    @Test
    void theInfraTopicTakesNoticesFromTheOrganizationOnly() {
        Resolver r = infra();
        List<Map<String, Object>> allows = statements(Template.map(r.resolve(template.properties("NotificationTopicPolicy"))).get("PolicyDocument"))
                .stream().filter(s -> "Allow".equals(s.get("Effect"))).filter(CentralNoticesWiringTest::principalIsAnyone).toList();
        assertEquals(1, allows.size(), "one Allow for any principal: the organization's publishers (CloudWatch, for the "
                + "automation's alarms, is a service principal scoped to this account)");
        Map<String, Object> allow = allows.get(0);
        assertTrue(principalIsAnyone(allow));
        assertEquals("sns:Publish", allow.get("Action"));
        assertEquals(ORG, condition(allow, "StringEquals").get("aws:PrincipalOrgID"));
        assertEquals(r.resolve(Map.of("Ref", "NotificationTopic")), allow.get("Resource"));
        // A workload (or a stack without an organization id) opens nothing.
        assertTrue(statements(Template.map(plainWorkload().resolve(template.properties("NotificationTopicPolicy"))).get("PolicyDocument"))
                .stream().noneMatch(s -> "Allow".equals(s.get("Effect")) && principalIsAnyone(s)));
    }

    @Test
    void theInfraTopicHasItsOwnKeyUsableByTheOrganizationThroughSnsOnly() {
        Resolver r = infra();
        assertTrue(r.exists("NotificationTopicKey"));
        assertEquals(r.resolve(Map.of("Ref", "NotificationTopicKey")),
                Template.map(r.resolve(template.properties("NotificationTopic"))).get("KmsMasterKeyId"),
                "alias/aws/sns cannot be used across accounts");
        List<Map<String, Object>> statements = statements(Template.map(r.resolve(template.properties("NotificationTopicKey"))).get("KeyPolicy"));
        List<String> problems = new ArrayList<>();
        boolean organization = false;
        for (Map<String, Object> s : statements) {
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            Object principal = s.get("Principal");
            if (principalIsAnyone(s)) {
                Map<String, Object> equals = condition(s, "StringEquals");
                organization |= ORG.equals(equals.get("aws:PrincipalOrgID"));
                // The organization, or (like the AWS managed key for SNS) this account's own principals; through SNS only.
                boolean scoped = ORG.equals(equals.get("aws:PrincipalOrgID")) || Resolver.ACCOUNT.equals(equals.get("kms:CallerAccount"));
                if (!scoped || !"sns.eu-west-1.amazonaws.com".equals(equals.get("kms:ViaService"))) {
                    problems.add("anyone-statement not scoped to the organization or this account through SNS: " + s);
                }
                if (!Set.copyOf(List.of("kms:GenerateDataKey*", "kms:Decrypt")).equals(Set.copyOf((List<?>) s.get("Action")))) {
                    problems.add("the organization may only encrypt for SNS: " + s.get("Action"));
                }
            } else if (principal instanceof Map<?, ?> p && p.get("Service") != null) {
                if (!Resolver.ACCOUNT.equals(condition(s, "StringEquals").get("aws:SourceAccount"))) {
                    problems.add("service statement without aws:SourceAccount: " + s);
                }
            } else if (!String.valueOf(Template.map(principal).get("AWS")).endsWith(":iam::" + Resolver.ACCOUNT + ":root")) {
                problems.add("unexpected principal: " + s);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(organization, "the organization's publishers may use the key");
        // A workload stack's own topic has the stack's key too (the automation's alarms publish to it, which the AWS
        // managed key does not allow), but its key admits no other account.
        Resolver workload = plainWorkload();
        assertEquals(workload.resolve(Map.of("Ref", "NotificationTopicKey")),
                Template.map(workload.resolve(template.properties("NotificationTopic"))).get("KmsMasterKeyId"));
        assertTrue(statements(Template.map(workload.resolve(template.properties("NotificationTopicKey"))).get("KeyPolicy")).stream()
                .noneMatch(s -> condition(s, "StringEquals").containsKey("aws:PrincipalOrgID")));
    }

    @Test
    void theInfraDefaultBusTakesEventsFromTheOrganizationOnly() {
        Resolver r = infra();
        assertTrue(r.exists("OrganizationEventBusPolicy"));
        Map<String, Object> statement = Template.map(Template.map(r.resolve(template.properties("OrganizationEventBusPolicy"))).get("Statement"));
        assertEquals("Allow", statement.get("Effect"));
        assertEquals("events:PutEvents", statement.get("Action"));
        assertEquals(ORG, condition(statement, "StringEquals").get("aws:PrincipalOrgID"));
        assertEquals("arn:aws:events:eu-west-1:" + Resolver.ACCOUNT + ":event-bus/default", statement.get("Resource"));
        assertFalse(plainWorkload().exists("OrganizationEventBusPolicy"));
    }

    @Test
    void workloadFunctionsPublishToTheCentralTopicOnlyWithItsKeyForThatTopicOnly() {
        Resolver r = centralWorkload();
        String localTopic = String.valueOf(r.resolve(Map.of("Ref", "NotificationTopic")));
        String hostnameTopic = String.valueOf(r.resolve(Map.of("Ref", "HostnameTopic")));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String id : template.functionIds()) {
            if (!r.exists(id)) {
                continue;
            }
            Map<String, Object> env = Template.map(r.resolve(template.environment(id)));
            if (env.containsKey("NOTIFICATION_TOPIC_ARN") && !CENTRAL_TOPIC.equals(env.get("NOTIFICATION_TOPIC_ARN"))) {
                problems.add(id + " NOTIFICATION_TOPIC_ARN=" + env.get("NOTIFICATION_TOPIC_ARN"));
            }
            for (Map<String, Object> s : resolvedStatements(r, id)) {
                List<String> actions = asStrings(s.get("Action"));
                Set<String> resources = new TreeSet<>(asStrings(s.get("Resource")));
                if (actions.contains("sns:Publish")) {
                    checked++;
                    resources.remove(hostnameTopic);
                    if (!Set.of(CENTRAL_TOPIC).equals(resources)) {
                        problems.add(id + " publishes to " + resources + (resources.contains(localTopic) ? " (the local topic)" : ""));
                    }
                }
                if (actions.stream().anyMatch(a -> a.startsWith("kms:"))) {
                    if (!Set.of(CENTRAL_KEY).equals(resources)
                            || !CENTRAL_TOPIC.equals(condition(s, "StringEquals").get("kms:EncryptionContext:aws:sns:topicArn"))) {
                        problems.add(id + " KMS statement not limited to the central key for the central topic: " + s);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 3, "workload functions that publish: " + checked);
    }

    @Test
    void withoutTheParameterAWorkloadKeepsItsOwnTopicAndForwardsNothing() {
        Resolver r = plainWorkload();
        String localTopic = String.valueOf(r.resolve(Map.of("Ref", "NotificationTopic")));
        for (String id : List.of("InstanceRefreshFunction", "RollbackOnAlarmFunction", "TerminationHostnameFunction")) {
            assertEquals(localTopic, Template.map(r.resolve(template.environment(id))).get("NOTIFICATION_TOPIC_ARN"), id);
            assertTrue(resolvedStatements(r, id).stream().noneMatch(s -> asStrings(s.get("Action")).stream().anyMatch(a -> a.startsWith("kms:"))),
                    id + " needs no KMS statement for its own topic");
        }
        assertFalse(r.exists("RefreshEventsForwardRule"));
        assertFalse(r.exists("RefreshEventsForwardRole"));
    }

    @Test
    void aWorkloadForwardsItsRefreshEventsToTheInfraBusWithARoleLimitedToIt() {
        Resolver r = centralWorkload();
        String bus = "arn:aws:events:eu-central-1:" + INFRA + ":event-bus/default";
        Map<String, Object> rule = Template.map(r.resolve(template.properties("RefreshEventsForwardRule")));
        Map<String, Object> target = Template.map(((List<?>) rule.get("Targets")).get(0));
        assertEquals(bus, target.get("Arn"));
        assertEquals(r.resolve(Map.of("Fn::GetAtt", List.of("RefreshEventsForwardRole", "Arn"))), target.get("RoleArn"));
        assertEquals(List.of("aws.autoscaling"), Template.map(rule.get("EventPattern")).get("source"));
        Map<String, Object> role = Template.map(r.resolve(template.properties("RefreshEventsForwardRole")));
        List<Map<String, Object>> statements = Policies.statements(role);
        assertEquals(1, statements.size());
        assertEquals("events:PutEvents", statements.get(0).get("Action"));
        assertEquals(bus, statements.get(0).get("Resource"));
    }

    @Test
    void theSlackQueueFeedsABoundedEventSourceAndRedrivesToTheFailureQueue() {
        Resolver r = infra();
        Map<String, Object> queue = Template.map(r.resolve(template.properties("SlackQueue")));
        Map<String, Object> redrive = Template.map(queue.get("RedrivePolicy"));
        assertEquals(r.resolve(Map.of("Fn::GetAtt", List.of("AsyncFailureQueue", "Arn"))), redrive.get("deadLetterTargetArn"));
        int timeout = Integer.parseInt(String.valueOf(template.properties("SlackNotifierFunction").get("Timeout")));
        assertTrue(Integer.parseInt(String.valueOf(queue.get("VisibilityTimeout"))) >= 6 * timeout,
                "Lambda's SQS guide: visibility timeout at least six times the function timeout");
        Map<String, Object> mapping = Template.map(r.resolve(template.properties("SlackQueueEventSource")));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertEquals("2", String.valueOf(Template.map(mapping.get("ScalingConfig")).get("MaximumConcurrency")));
        assertEquals(r.resolve(Map.of("Fn::GetAtt", List.of("SlackQueue", "Arn"))), mapping.get("EventSourceArn"));
        List<Map<String, Object>> allows = statements(Template.map(r.resolve(template.properties("SlackQueuePolicy"))).get("PolicyDocument"))
                .stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        Map<String, Object> sources = new HashMap<>();
        allows.forEach(s -> sources.put(String.valueOf(Template.map(s.get("Principal")).get("Service")), condition(s, "ArnEquals").get("aws:SourceArn")));
        assertEquals(Map.of("sns.amazonaws.com", r.resolve(Map.of("Ref", "NotificationTopic")),
                "events.amazonaws.com", r.resolve(Map.of("Fn::GetAtt", List.of("SlackRefreshEventsRule", "Arn")))), sources);
        Map<String, Object> env = Template.map(r.resolve(template.environment("SlackNotifierFunction")));
        assertEquals("true", env.get("RECORD_RELEASE_STATUS"), "the infra stack records the organization-wide status");
        assertEquals("false", Template.map(new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", ORG,
                "InfraAccountId", INFRA, "TrustedImageOwners", INFRA, "SlackWebhookSecret", "s"))
                .resolve(template.environment("SlackNotifierFunction"))).get("RECORD_RELEASE_STATUS"));
    }

    private List<Map<String, Object>> resolvedStatements(Resolver r, String functionId) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> properties = Template.map(r.resolve(Map.of("Policies", template.properties(functionId).getOrDefault("Policies", List.of()))));
        out.addAll(Policies.statements(properties));
        return out;
    }

    private static List<String> asStrings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    // ---------------------------------------------------------------- helpers other drift tests use

    /** Logical ids of the event source mappings whose FunctionName refers to the function (or its alias). */
    static List<String> eventSourceMappingsOf(Template template, String functionId) {
        List<String> ids = new ArrayList<>();
        template.resources().forEach((id, raw) -> {
            Map<String, Object> resource = Template.map(raw);
            if ("AWS::Lambda::EventSourceMapping".equals(resource.get("Type"))) {
                Object name = Template.map(resource.get("Properties")).get("FunctionName");
                if (name instanceof Map<?, ?> ref && (functionId.equals(ref.get("Ref")) || (functionId + ".Alias").equals(ref.get("Ref")))) {
                    ids.add(id);
                }
            }
        });
        return ids;
    }

    /** Patterns of the EventBridge rules whose target is a queue the function consumes through a mapping. */
    static List<Object> rulePatternsThroughQueues(Template template, String functionId) {
        Set<String> queues = new TreeSet<>();
        for (String mapping : eventSourceMappingsOf(template, functionId)) {
            Object arn = template.properties(mapping).get("EventSourceArn");
            if (arn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts) {
                queues.add(String.valueOf(parts.get(0)));
            }
        }
        List<Object> patterns = new ArrayList<>();
        template.resources().forEach((id, raw) -> {
            Map<String, Object> resource = Template.map(raw);
            if (!"AWS::Events::Rule".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = Template.map(resource.get("Properties"));
            for (Object target : (List<?>) properties.getOrDefault("Targets", List.of())) {
                Object arn = Template.map(target).get("Arn");
                if (arn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts
                        && queues.contains(String.valueOf(parts.get(0)))) {
                    patterns.add(properties.get("EventPattern"));
                }
            }
        });
        return patterns;
    }
}
