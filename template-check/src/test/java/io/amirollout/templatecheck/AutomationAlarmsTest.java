package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 4: the automation watches itself. Every function has an Errors > 0 and a Throttles > 0
 * alarm; every failure or dead-letter queue a visible-messages > 0 alarm, every other queue an
 * oldest-message-age alarm; each notifies the notifications topic (which CloudWatch can publish to), exists
 * exactly when its function or queue does; slack-notifier's own errors alarm is a stack output;
 * rollback-on-alarm has reserved concurrency.
 */
class AutomationAlarmsTest {

    private static final Map<String, String> TOPIC = Map.of("Ref", "NotificationTopic");

    private final Template template = Template.load();

    private Map<String, Map<String, Object>> alarms() {
        Map<String, Map<String, Object>> alarms = new LinkedHashMap<>();
        template.resources().forEach((id, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(Template.map(resource).get("Type"))) {
                alarms.put(id, Template.map(resource));
            }
        });
        return alarms;
    }

    /** Problems with the alarms on one metric of one resource (dimension value as written in the template). */
    private List<String> check(String owner, String namespace, String metric, String dimension, Object dimensionValue,
                               String threshold) {
        List<String> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        alarms().forEach((id, alarm) -> {
            Map<String, Object> p = Template.map(alarm.getOrDefault("Properties", Map.of()));
            boolean matches = namespace.equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                    && Objects.equals(p.get("Dimensions"), List.of(Map.of("Name", dimension, "Value", dimensionValue)));
            if (!matches) {
                return;
            }
            found.add(id);
            if (!Objects.equals(alarm.get("Condition"), template.resource(owner).get("Condition"))) {
                problems.add(id + " does not share " + owner + "'s Condition " + template.resource(owner).get("Condition"));
            }
            if (!"GreaterThanThreshold".equals(p.get("ComparisonOperator")) || !threshold.equals(String.valueOf(p.get("Threshold")))) {
                problems.add(id + " is not " + metric + " > " + threshold);
            }
            if (!(p.get("AlarmActions") instanceof List<?> actions) || !actions.contains(TOPIC)) {
                problems.add(id + " does not notify the notifications topic");
            }
        });
        if (found.isEmpty()) {
            problems.add(owner + " has no " + namespace + " " + metric + " alarm (add one in the \"Alarms on the automation\" section)");
        }
        return problems;
    }

    @Test
    void everyFunctionHasErrorsAndThrottlesAlarms() {
        List<String> problems = new ArrayList<>();
        for (String functionId : template.functionIds()) {
            for (String metric : List.of("Errors", "Throttles")) {
                problems.addAll(check(functionId, "AWS/Lambda", metric, "FunctionName", Map.of("Ref", functionId), "0"));
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Queues failed work lands in: on-failure destinations and dead-letter targets. */
    private Set<String> failureQueues() {
        Set<String> queues = new LinkedHashSet<>();
        String text = String.valueOf(template.resources());
        template.resources().forEach((id, resource) -> {
            if ("AWS::SQS::Queue".equals(Template.map(resource).get("Type"))
                    && (text.contains("deadLetterTargetArn={Fn::GetAtt=[" + id + ", Arn]}")
                    || text.contains("Destination={Fn::GetAtt=[" + id + ", Arn]}"))) {
                queues.add(id);
            }
        });
        return queues;
    }

    @Test
    void everyQueueHasItsAlarm() {
        Set<String> failure = failureQueues();
        assertTrue(failure.containsAll(Set.of("AsyncFailureQueue", "HostnameDeadLetterQueue")), "failure queues found: " + failure);
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            if (!"AWS::SQS::Queue".equals(Template.map(resource).get("Type"))) {
                return;
            }
            Object queueName = Map.of("Fn::GetAtt", List.of(id, "QueueName"));
            if (failure.contains(id)) {
                problems.addAll(check(id, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queueName, "0"));
            } else {
                // The hostname queue's threshold is a parameter (the listener's pace); Slack's queue drains at one
                // post a second, so 15 minutes of age means delivery has stalled.
                String threshold = id.equals("SlackQueue") ? "900" : String.valueOf(Map.of("Ref", "HostnameQueueMaxAgeSeconds"));
                problems.addAll(check(id, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queueName, threshold));
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckReportsAFunctionWithoutAlarms() {
        List<String> problems = check("StateTable", "AWS/Lambda", "Errors", "FunctionName", Map.of("Ref", "StateTable"), "0");
        assertEquals(List.of("StateTable has no AWS/Lambda Errors alarm (add one in the \"Alarms on the automation\" section)"), problems);
    }

    @Test
    void cloudWatchCanPublishToTheEncryptedNotificationsTopic() {
        Object key = template.properties("NotificationTopic").get("KmsMasterKeyId");
        assertEquals(Map.of("Ref", "NotificationTopicKey"), key,
                "alarms cannot publish to a topic under the AWS managed key alias/aws/sns: a customer managed key is needed");
        String keyPolicy = String.valueOf(template.properties("NotificationTopicKey").get("KeyPolicy"));
        assertTrue(keyPolicy.contains("Principal={Service=cloudwatch.amazonaws.com}, Action=[kms:GenerateDataKey*, kms:Decrypt]"),
                keyPolicy);
        String topicPolicy = String.valueOf(template.properties("NotificationTopicPolicy").get("PolicyDocument"));
        assertTrue(topicPolicy.contains("Effect=Allow, Principal={Service=cloudwatch.amazonaws.com}, Action=sns:Publish"), topicPolicy);
    }

    @Test
    void slackNotifiersOwnAlarmIsAnOutput() {
        Map<String, Object> output = Template.map(template.section("Outputs").get("SlackNotifierErrorsAlarmArn"));
        assertEquals(Map.of("Fn::GetAtt", List.of("SlackNotifierFunctionErrorsAlarm", "Arn")), output.get("Value"));
        assertEquals(template.resource("SlackNotifierFunction").get("Condition"), output.get("Condition"));
    }

    @Test
    void rollbackOnAlarmHasReservedConcurrency() {
        Object reserved = template.properties("RollbackOnAlarmFunction").get("ReservedConcurrentExecutions");
        assertFalse(reserved == null, "rollback-on-alarm must reserve concurrency");
        Map<String, Object> parameter = Template.map(template.section("Parameters").get("RollbackReservedConcurrency"));
        assertTrue(Integer.parseInt(String.valueOf(parameter.get("Default"))) > 0, "reserved by default");
        Resolver resolver = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777"));
        assertEquals(String.valueOf(parameter.get("Default")), resolver.resolve(reserved));
        Resolver none = new Resolver(template, Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777", "RollbackReservedConcurrency", "0"));
        assertEquals(Resolver.NO_VALUE, none.resolve(reserved), "0 = nothing reserved (0 would throttle every invocation)");
    }
}
