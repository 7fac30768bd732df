package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Each input shape → the Block Kit a person sees (colour, header, fields, summary, links). */
class MessageFactoryTest {

    private final MessageFactory factory = new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com"));

    /** The rendered payload of the only message for {@code event}. */
    private JsonNode render(JsonNode event) {
        List<SlackMessage> messages = factory.messagesFor(event);
        assertEquals(1, messages.size());
        return BlockKit.render(messages.get(0));
    }

    private JsonNode renderFile(String name) {
        return render(Json.readTree(TestFiles.read("../../events/slack-notifier/" + name)));
    }

    static String color(JsonNode payload) {
        return payload.get("attachments").get(0).get("color").asText();
    }

    static JsonNode blocks(JsonNode payload) {
        return payload.get("attachments").get(0).get("blocks");
    }

    static String header(JsonNode payload) {
        return blocks(payload).get(0).get("text").get("text").asText();
    }

    /** Every section text (summary, reason, links, excerpt) joined. */
    static String sections(JsonNode payload) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : blocks(payload)) {
            if (block.has("text") && block.get("type").asText().equals("section")) {
                text.append(block.get("text").get("text").asText()).append('\n');
            }
        }
        return text.toString();
    }

    /** Field label → value, from every fields section. */
    static Map<String, String> fields(JsonNode payload) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (JsonNode block : blocks(payload)) {
            if (block.has("fields")) {
                for (JsonNode field : block.get("fields")) {
                    String[] parts = field.get("text").asText().split("\n", 2);
                    fields.put(parts[0].replace("*", ""), parts.length > 1 ? parts[1] : "");
                }
            }
        }
        return fields;
    }

    static String context(JsonNode payload) {
        List<String> elements = new ArrayList<>();
        for (JsonNode block : blocks(payload)) {
            if (block.get("type").asText().equals("context")) {
                block.get("elements").forEach(e -> elements.add(e.get("text").asText()));
            }
        }
        return String.join(" | ", elements);
    }

    @Test
    void refreshStartedNotice() {
        JsonNode payload = renderFile("sns-notice-refresh-started.json");
        assertEquals("#439FE0", color(payload));
        assertEquals(":information_source: Instance refresh started for web-asg", header(payload));
        assertEquals("ASG REFRESH: Starting refresh of web-asg to launch template version 7 (444455556666, eu-west-1)",
                payload.get("text").asText());
        assertTrue(sections(payload).contains("*ASG REFRESH* · Starting refresh of `web-asg` to launch template version 7"));
        Map<String, String> fields = fields(payload);
        assertEquals(List.of("Group", "Account", "Region", "Refresh id", "AMI", "Launch template version", "Previous version",
                "Launch template", "Image ARN"), List.copyOf(fields.keySet()));
        assertEquals("web-asg", fields.get("Group"));
        assertEquals("ami-0123456789abcdef0", fields.get("AMI"));
        assertEquals("7", fields.get("Launch template version"));
        assertEquals("6", fields.get("Previous version"));
        String links = sections(payload);
        assertTrue(links.contains("<https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#AutoScalingGroupDetails:id=web-asg;view=instanceRefresh|Auto Scaling group>"), links);
        assertTrue(links.contains("<https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#ImageDetails:imageId=ami-0123456789abcdef0|AMI>"), links);
        assertTrue(links.contains("<https://eu-west-1.console.aws.amazon.com/imagebuilder/home?region=eu-west-1#/images|Image Builder images>"), links);
        assertTrue(context(payload).contains("correlation id: `arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1`"));
        assertTrue(context(payload).contains("time: 2026-11-21T10:15:00Z"));
        assertTrue(context(payload).contains("notice REFRESH_STARTED via SNS topic ami-rollout-notifications"));
    }

    @Test
    void rollbackStartedNotice() {
        JsonNode payload = renderFile("sns-notice-rollback-started.json");
        assertEquals("warning", color(payload));
        assertEquals(":warning: Rolling back the instance refresh of web-asg", header(payload));
        // No test step ran: an alarm started the rollback, and that is what the message says.
        assertTrue(sections(payload).contains("*ASG REFRESH* · Rolling back the refresh of `web-asg` (alarm web-asg-ecs-task-errors)"),
                sections(payload));
        assertFalse(sections(payload).toLowerCase(java.util.Locale.ROOT).contains("test"));
        assertTrue(sections(payload).contains("*Reason*\nAlarm web-asg-ecs-task-errors went into ALARM"));
        assertEquals("web-asg-ecs-task-errors", fields(payload).get("Alarm"));
        assertTrue(sections(payload).contains("cloudwatch/home?region=eu-west-1#alarmsV2:alarm/web-asg-ecs-task-errors|Alarm>"));
    }

    @Test
    void dryRunNoticeSaysSoInTheHeaderTheSummaryAndTheFallback() {
        JsonNode payload = render(Json.readTree("""
                {"version":"1","kind":"ROLLBACK_STARTED","severity":"INFO","title":"[dry run] Would roll back web-asg (alarm errors)",
                 "accountId":"444455556666","region":"eu-west-1",
                 "details":{"autoScalingGroup":"web-asg","alarmName":"errors","outcome":"WOULD_ROLL_BACK","dryRun":true}}"""));
        assertEquals(":information_source: [DRY RUN] Would roll back web-asg (alarm errors)", header(payload));
        assertTrue(sections(payload).startsWith("*DRY RUN* (nothing was changed) · *ASG REFRESH* · Rolling back the refresh of `web-asg`"),
                sections(payload));
        assertTrue(payload.get("text").asText().startsWith("DRY RUN (nothing was changed): "), payload.get("text").asText());
        assertFalse(sections(payload).contains("tests"));
    }

    @Test
    void dryRunFlagAloneMarksARefreshNotice() {
        JsonNode payload = render(Json.readTree("""
                {"kind":"REFRESH_STARTED","title":"Instance refresh started for web-asg",
                 "details":{"autoScalingGroup":"web-asg","dryRun":true}}"""));
        assertEquals(":information_source: [DRY RUN] Instance refresh started for web-asg", header(payload));
        assertTrue(sections(payload).contains("*DRY RUN* (nothing was changed) · *ASG REFRESH* · Starting refresh of `web-asg`"));
    }

    @Test
    void testsPassedNoticeListsEveryCheckWithItsEvidence() {
        JsonNode payload = render(Json.readTree("""
                {"kind":"TESTS_PASSED","title":"Tests passed for web-asg","accountId":"444455556666","region":"eu-west-1",
                 "details":{"autoScalingGroup":"web-asg","checks":[
                   {"name":"convergence","passed":true,"evidence":"4 of 4 InService on launch template version 7"},
                   {"name":"target health","result":"PASSED","evidence":"4 healthy targets in web-tg"}]}}"""));
        String text = sections(payload);
        assertTrue(text.contains("*ASG TESTS* · Tests passed for `web-asg`"), text);
        assertTrue(text.contains(":white_check_mark: *convergence* passed — 4 of 4 InService on launch template version 7"), text);
        assertTrue(text.contains(":white_check_mark: *target health* passed — 4 healthy targets in web-tg"), text);
        assertFalse(fields(payload).containsKey("Checks"), "checks are shown once, as lines");
    }

    @Test
    void testsFailedNoticeShowsTheFailingCheck() {
        JsonNode payload = render(Json.readTree("""
                {"kind":"TESTS_FAILED","title":"Tests failed for web-asg",
                 "details":{"autoScalingGroup":"web-asg","checks":[
                   {"name":"ssm test","passed":false,"evidence":"exit code 2: curl: (7) connection refused"}]}}"""));
        assertEquals("danger", color(payload));
        String text = sections(payload);
        assertTrue(text.contains("*ASG TESTS* · Tests failed for `web-asg`"), text);
        assertTrue(text.contains(":x: *ssm test* failed — exit code 2: curl: (7) connection refused"), text);
    }

    @Test
    void onlyTestResultNoticesMentionTests() {
        for (String kind : new String[] {"REFRESH_STARTED", "REFRESH_SUCCEEDED", "REFRESH_FAILED", "ROLLBACK_STARTED",
                "ROLLBACK_FAILED", "REFRESH_ROLLED_BACK", "REFRESH_NOT_CONVERGED", "REFRESH_DEFERRED"}) {
            JsonNode payload = render(Json.readTree("{\"kind\":\"" + kind + "\",\"title\":\"t\",\"details\":{\"autoScalingGroup\":\"g\"}}"));
            assertFalse(sections(payload).toLowerCase(java.util.Locale.ROOT).contains("test"), kind + ": " + sections(payload));
        }
    }

    @Test
    void refreshFailedNotice() {
        JsonNode payload = renderFile("sns-notice-refresh-failed.json");
        assertEquals("danger", color(payload));
        assertEquals(":rotating_light: Instance refresh could not start for api-asg", header(payload));
        assertTrue(sections(payload).contains("Refresh of `api-asg` failed"));
        assertTrue(sections(payload).contains("InstanceRefreshInProgress"));
    }

    @Test
    void fanOutNoticeShowsUnknownDetailsHumanised() {
        JsonNode payload = renderFile("sns-notice-fanout-completed.json");
        assertEquals("good", color(payload));
        Map<String, String> fields = fields(payload);
        assertEquals("444455556666, 555566667777, 666677778888", fields.get("Accounts"));
        assertEquals("golden-al2023", fields.get("Image"));
        assertFalse(fields.containsKey("Failed"), "empty values are left out");
    }

    @Test
    void noticeOfAKindThisBuildDoesNotKnowIsStillShown() {
        ObjectNode notice = (ObjectNode) Json.readTree("""
                {"version":"1","kind":"SOMETHING_NEW","severity":"ERROR","title":"Something new broke",
                 "accountId":"444455556666","region":"eu-west-1","details":{"autoScalingGroup":"web-asg","whatBroke":"the thing"}}""");
        JsonNode payload = render(notice);
        assertEquals("danger", color(payload));
        assertEquals(":rotating_light: Something new broke", header(payload));
        assertEquals("the thing", fields(payload).get("What broke"));
        assertEquals("web-asg", fields(payload).get("Group"));
    }

    @Test
    void bareNoticeWithoutGroupStillReads() {
        JsonNode payload = render(Json.readTree("""
                {"kind":"ROLLBACK_STARTED","title":"Rollback started"}"""));
        assertEquals("warning", color(payload), "the kind's default severity");
        assertTrue(sections(payload).contains("*ASG REFRESH* · Rolling back the refresh"), sections(payload));
        assertFalse(sections(payload).contains("tests"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "started|#439FE0|:information_source: Instance refresh started: web-asg|*ASG REFRESH* · Starting refresh of `web-asg`",
            "succeeded|good|:white_check_mark: Instance refresh succeeded: web-asg|*ASG REFRESH* · Refresh of `web-asg` complete: every instance replaced",
            "failed|danger|:rotating_light: Instance refresh failed: web-asg|Refresh of `web-asg` failed",
            "cancelled|warning|:warning: Instance refresh cancelled: web-asg|Refresh of `web-asg` was cancelled",
            "checkpoint-reached|#439FE0|:information_source: Instance refresh checkpoint reached: web-asg|Refresh of `web-asg` reached its 50% checkpoint; it continues after 300 s",
            "started-baking|#439FE0|:information_source: Instance refresh baking: web-asg|All instances of `web-asg` replaced; bake time started",
            "rollback-started|warning|:warning: Instance refresh rollback started: web-asg|*ASG REFRESH* · Rolling back the refresh of `web-asg`",
            "rollback-succeeded|warning|:warning: Instance refresh rolled back: web-asg|Rollback of `web-asg` complete",
            "rollback-failed|danger|:rotating_light: Instance refresh rollback failed: web-asg|Rollback of `web-asg` failed: it needs a person"})
    void everyInstanceRefreshDetailType(String file, String colour, String header, String summary) {
        JsonNode payload = renderFile("asg-instance-refresh-" + file + ".json");
        assertEquals(colour, color(payload));
        assertEquals(header, header(payload));
        assertTrue(sections(payload).contains(summary), sections(payload));
        Map<String, String> fields = fields(payload);
        assertEquals("web-asg", fields.get("Group"));
        assertEquals("444455556666", fields.get("Account"));
        assertEquals("eu-west-1", fields.get("Region"));
        assertEquals("0e5b2c4d-9a1f-4c3b-8e7d-6f5a4b3c2d1e", fields.get("Refresh id"));
        assertTrue(sections(payload).contains("#AutoScalingGroupDetails:id=web-asg;view=instanceRefresh|"));
    }

    @Test
    void checkpointFields() {
        Map<String, String> fields = fields(renderFile("asg-instance-refresh-checkpoint-reached.json"));
        assertEquals("50", fields.get("Checkpoint (%)"));
        assertEquals("300", fields.get("Checkpoint delay (s)"));
    }

    @Test
    void everyDocumentedDetailTypeIsKnown() {
        List<String> documented = List.of("EC2 Auto Scaling Instance Refresh Checkpoint Reached",
                "EC2 Auto Scaling Instance Refresh Started", "EC2 Auto Scaling Instance Refresh Succeeded",
                "EC2 Auto Scaling Instance Refresh Failed", "EC2 Auto Scaling Instance Refresh Cancelled",
                "EC2 Auto Scaling Instance Refresh Rollback Started", "EC2 Auto Scaling Instance Refresh Rollback Succeeded",
                "EC2 Auto Scaling Instance Refresh Rollback Failed", "EC2 Auto Scaling Instance Refresh Started Baking");
        assertEquals(documented.stream().sorted().toList(),
                java.util.Arrays.stream(AwsEventMessages.RefreshEvent.values()).map(AwsEventMessages.RefreshEvent::detailType).sorted().toList());
    }

    @Test
    void awsDocPlaceholdersAndNewFieldsDoNotBreakTheMessage() {
        JsonNode payload = render(Json.readTree("""
                {"version":"0","id":"12345678-1234-1234-1234-123456789012","detail-type":"EC2 Auto Scaling Instance Refresh Started",
                 "source":"aws.autoscaling","account":"123456789012","time":"yyyy-mm-ddThh:mm:ssZ","region":"us-west-2",
                 "resources":["auto-scaling-group-arn"],
                 "detail":{"InstanceRefreshId":"c613620e-07e2-4ed2-a9e2-ef8258911ade","AutoScalingGroupName":"my-asg","PercentageComplete":40}}"""));
        assertEquals(":information_source: Instance refresh started: my-asg", header(payload));
        assertEquals("40", fields(payload).get("Percentage complete"));
        assertTrue(context(payload).contains("time: yyyy-mm-ddThh:mm:ssZ"));
    }

    @Test
    void imageAvailable() {
        JsonNode payload = renderFile("imagebuilder-image-state-change-available.json");
        assertEquals("good", color(payload));
        assertEquals(":white_check_mark: Image golden-al2023 1.0.3/1: AVAILABLE", header(payload));
        assertEquals("DISTRIBUTING → AVAILABLE", fields(payload).get("Status"));
        assertEquals("111122223333", fields(payload).get("Account"));
        assertTrue(sections(payload).contains("*AMI BUILD* · Image `golden-al2023 1.0.3/1` is available"));
        assertTrue(sections(payload).contains("imagebuilder/home?region=eu-west-1#/images|Image Builder images>"));
    }

    @Test
    void imageFailedShowsTheReason() {
        JsonNode payload = renderFile("imagebuilder-image-state-change-failed.json");
        assertEquals("danger", color(payload));
        assertEquals(":rotating_light: Image golden-al2023 1.0.4/1: FAILED", header(payload));
        assertTrue(sections(payload).contains("*Reason*\nImage Testing failed"));
    }

    @Test
    void imageBuilderSnsMessageShowsTheAmis() {
        String message = """
                {"arn":"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1","name":"golden-al2023",
                 "version":"1.0.3","buildVersion":1,"semver":1237940039285380274899124227,"state":{"status":"AVAILABLE"},
                 "outputResources":{"amis":[{"region":"eu-west-1","image":"ami-0123456789abcdef0","accountId":"111122223333"}]},
                 "accountId":"111122223333"}""";
        JsonNode payload = render(snsEvent(message, null));
        assertEquals("good", color(payload));
        assertEquals("ami-0123456789abcdef0 (eu-west-1)", fields(payload).get("AMI"));
        assertTrue(sections(payload).contains("#ImageDetails:imageId=ami-0123456789abcdef0|AMI>"));
    }

    @Test
    void alarmStateChange() {
        JsonNode payload = renderFile("cloudwatch-alarm-state-change-alarm.json");
        assertEquals("danger", color(payload));
        assertEquals(":rotating_light: Alarm ALARM: web-asg-ecs-task-errors", header(payload));
        Map<String, String> fields = fields(payload);
        assertEquals("OK → ALARM", fields.get("State"));
        assertEquals("AmiRollout/ECS TaskErrors", fields.get("Metric"));
        assertTrue(sections(payload).contains("`web-asg-ecs-task-errors` went from OK to *ALARM*"));
        assertTrue(sections(payload).contains("*Reason*\nThreshold Crossed"));
        assertTrue(sections(payload).contains("<https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/web-asg-ecs-task-errors|Alarm>"));
    }

    @Test
    void compositeAlarmBackToOk() {
        JsonNode payload = render(Json.readTree("""
                {"version":"0","id":"d3dfc86d","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                 "account":"444455556666","time":"2026-11-21T11:00:00Z","region":"eu-west-1","resources":[],
                 "detail":{"alarmName":"web service health","state":{"value":"OK","reason":"all children OK"},
                           "previousState":{"value":"ALARM"},"configuration":{"alarmRule":"ALARM(a) OR ALARM(b)"}}}"""));
        assertEquals("good", color(payload));
        assertEquals("ALARM(a) OR ALARM(b)", fields(payload).get("Rule"));
        assertTrue(sections(payload).contains("#alarmsV2:alarm/web%20service%20health|Alarm>"), sections(payload));
    }

    @Test
    void rawAlarmSnsMessage() {
        JsonNode payload = renderFile("sns-cloudwatch-alarm-message.json");
        assertEquals("danger", color(payload));
        assertEquals(":rotating_light: Alarm ALARM: web-asg-ecs-task-errors", header(payload));
        assertEquals("eu-west-1", fields(payload).get("Region"), "region code from the alarm ARN, not 'EU (Ireland)'");
        assertEquals("AmiRollout/ECS TaskErrors", fields(payload).get("Metric"));
        assertTrue(context(payload).contains("CloudWatch alarm via SNS topic ami-rollout-alarms"));
    }

    @Test
    void alarmSamplePlaceholdersGiveNoLink() {
        JsonNode payload = render(snsEvent("""
                {"AlarmName":"EXAMPLE","NewStateValue":"INSUFFICIENT_DATA","Region":"EXAMPLE","AlarmArn":"arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE"}""", null));
        assertEquals("warning", color(payload));
        assertFalse(sections(payload).contains("console.aws.amazon.com"));
    }

    @Test
    void eventBridgeEventDeliveredThroughSns() {
        String inner = TestFiles.read("../../events/slack-notifier/asg-instance-refresh-succeeded.json");
        JsonNode payload = render(snsEvent(inner, null));
        assertEquals(":white_check_mark: Instance refresh succeeded: web-asg", header(payload));
    }

    @Test
    void plainTextSnsMessage() {
        JsonNode payload = renderFile("sns-plain-text-message.json");
        assertEquals("#439FE0", color(payload));
        assertEquals(":information_source: ami-rollout paused", header(payload));
        assertTrue(sections(payload).contains("the ami-rollout pipeline is paused"));
    }

    @Test
    void snsMessageThatOnlyLooksLikeJsonIsShownAsText() {
        JsonNode payload = render(snsEvent("{not json", null));
        assertTrue(sections(payload).contains("{not json"));
        assertEquals(":information_source: Message on SNS topic notices", header(payload));
    }

    @Test
    void unknownJsonInSnsIsShownWithItsTopic() {
        JsonNode payload = render(snsEvent("{\"id\":42,\"name\":\"Bob\"}", "Test sns message"));
        assertEquals("warning", color(payload));
        assertEquals(":warning: Test sns message", header(payload));
        assertEquals("notices", fields(payload).get("Topic"));
        assertTrue(sections(payload).contains("\"name\" : \"Bob\""));
    }

    @Test
    void unknownEventBridgeEvent() {
        JsonNode payload = renderFile("unknown-eventbridge-event.json");
        assertEquals("warning", color(payload), "an 'Unsuccessful' event is worth a look");
        assertEquals(":warning: EC2 Instance Launch Unsuccessful", header(payload));
        Map<String, String> fields = fields(payload);
        assertEquals("aws.autoscaling", fields.get("Source"));
        assertEquals("EC2 Instance Launch Unsuccessful", fields.get("Detail type"));
        assertEquals("444455556666", fields.get("Account"));
        assertEquals("eu-west-1", fields.get("Region"));
        String excerpt = sections(payload);
        assertTrue(excerpt.contains("```{"), excerpt);
        assertTrue(excerpt.contains("sufficient m7i.large capacity"), excerpt);
    }

    @Test
    void unknownJson() {
        JsonNode payload = renderFile("unknown-json.json");
        assertEquals(":warning: Unrecognised event", header(payload));
        assertEquals("alert, host, usedPercent", fields(payload).get("Top-level fields"));
        assertTrue(sections(payload).contains("\"host\" : \"build-runner-03\""));
    }

    @Test
    void severalSnsRecordsGiveSeveralMessages() {
        ObjectNode event = (ObjectNode) snsEvent("one", "first");
        ObjectNode second = event.get("Records").get(0).deepCopy();
        ((ObjectNode) second.get("Sns")).put("Message", "two").put("Subject", "second");
        event.withArray("Records").add(second);
        List<SlackMessage> messages = factory.messagesFor(event);
        assertEquals(List.of("first", "second"), messages.stream().map(SlackMessage::title).toList());
    }

    @Test
    void linksFollowTheConsoleBaseScheme() {
        ConsoleLinks gov = new ConsoleLinks("https://console.amazonaws-us-gov.com/");
        assertEquals("https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#AutoScalingGroupDetails:id=a%7Cb%20c;view=instanceRefresh",
                gov.autoScalingGroup("us-gov-west-1", "a|b c"));
        ConsoleLinks commercial = new ConsoleLinks("https://console.aws.amazon.com");
        assertEquals("https://ap-southeast-2.console.aws.amazon.com/ec2/home?region=ap-southeast-2#ImageDetails:imageId=ami-0abc",
                commercial.ami("ap-southeast-2", "ami-0abc"));
        assertNull(commercial.ami("EU (Ireland)", "ami-0abc"));
        assertNull(commercial.ami("eu-west-1", "not-an-ami"));
    }

    static JsonNode snsEvent(String message, String subject) {
        ObjectNode sns = Json.MAPPER.createObjectNode()
                .put("Type", "Notification").put("MessageId", "m-1")
                .put("TopicArn", "arn:aws:sns:eu-west-1:444455556666:notices")
                .put("Message", message).put("Timestamp", "2026-11-21T10:00:00.000Z");
        if (subject != null) {
            sns.put("Subject", subject);
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns").put("EventVersion", "1.0");
        record.set("Sns", sns);
        return event;
    }
}
