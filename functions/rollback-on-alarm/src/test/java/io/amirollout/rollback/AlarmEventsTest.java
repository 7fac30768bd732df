package io.amirollout.rollback;

import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every alarm input shape, including composite and metric-math configurations, read into one type. */
class AlarmEventsTest {

    private static final String EVENTS = "../../events/rollback-on-alarm/";

    private static AlarmStateChange only(String file) {
        List<AlarmStateChange> changes = AlarmEvents.parse(Json.readTree(io.amirollout.shared.testing.TestFiles.read(EVENTS + file)));
        assertEquals(1, changes.size());
        return changes.get(0);
    }

    @Test
    void eventBridgeMetricAlarm() {
        AlarmStateChange change = only("eventbridge-alarm-state-change-alarm.json");
        assertEquals("web-ecs-task-errors", change.alarmName());
        assertEquals("arn:aws:cloudwatch:eu-west-1:444455556666:alarm:web-ecs-task-errors", change.alarmArn());
        assertEquals(AlarmKind.METRIC, change.kind());
        assertEquals("OK -> ALARM", change.transition());
        assertEquals(AlarmStateChange.Via.EVENTBRIDGE, change.via());
        assertEquals("444455556666", change.accountId());
        assertEquals("eu-west-1", change.region());
        assertEquals("3f1c9a52-7d0e-4b8a-9c61-2e5d8f4a1b07", change.eventId());
        assertTrue(change.reason().startsWith("Threshold Crossed"));
        assertNull(change.actionsSuppressedBy());
        assertNull(change.mutedBy());
    }

    @Test
    void eventBridgeOk() {
        assertEquals("ALARM -> OK", only("eventbridge-alarm-state-change-ok.json").transition());
    }

    @Test
    void eventBridgeMetricMath() {
        AlarmStateChange change = only("eventbridge-alarm-state-change-metric-math.json");
        assertEquals(AlarmKind.METRIC_MATH, change.kind());
        assertEquals("INSUFFICIENT_DATA -> ALARM", change.transition());
    }

    @Test
    void eventBridgeComposite() {
        AlarmStateChange change = only("eventbridge-composite-alarm.json");
        assertEquals(AlarmKind.COMPOSITE, change.kind());
        assertEquals("web-rollout-health", change.alarmName());
    }

    @Test
    void snsWrappedAlarm() {
        AlarmStateChange change = only("sns-alarm-notification.json");
        assertEquals(AlarmStateChange.Via.SNS, change.via());
        assertEquals("web-ecs-task-errors", change.alarmName());
        assertEquals("OK -> ALARM", change.transition());
        assertEquals(AlarmKind.METRIC, change.kind());
        assertEquals("444455556666", change.accountId());
        assertNull(change.region(), "SNS gives a display name, not a region code");
        assertEquals("b1e6f2a9-3c7d-5e48-9a0b-c4d2e8f17a35", change.eventId());
    }

    @Test
    void snsMetricMathAndCompositeMessages() {
        AlarmStateChange math = AlarmEvents.fromSnsMessage("""
                {"AlarmName":"EXAMPLE","NewStateValue":"ALARM","OldStateValue":"INSUFFICIENT_DATA",
                 "Trigger":{"Period":60,"Metrics":[{"Expression":"m1*1","Id":"e1","ReturnData":true},
                   {"Id":"m1","MetricStat":{"Metric":{"MetricName":"NetworkOut","Namespace":"AWS/EC2"}},"ReturnData":false}]}}""", "m");
        assertEquals(AlarmKind.METRIC_MATH, math.kind());
        AlarmStateChange composite = AlarmEvents.fromSnsMessage("""
                {"AlarmName":"web-rollout-health","NewStateValue":"ALARM","OldStateValue":"OK",
                 "AlarmRule":"ALARM(web-ecs-task-errors) OR ALARM(web-5xx-rate)"}""", "m");
        assertEquals(AlarmKind.COMPOSITE, composite.kind());
        assertEquals(AlarmKind.UNKNOWN, AlarmEvents.fromSnsMessage("{\"AlarmName\":\"a\",\"NewStateValue\":\"ok\"}", "m").kind());
        assertEquals("OK", AlarmEvents.fromSnsMessage("{\"AlarmName\":\"a\",\"NewStateValue\":\" ok \"}", "m").state());
    }

    @Test
    void directAlarmActionMetricAlarm() {
        AlarmStateChange change = only("alarm-action-metric-alarm.json");
        assertEquals(AlarmStateChange.Via.ALARM_ACTION, change.via());
        assertEquals(AlarmKind.METRIC, change.kind());
        assertEquals("OK -> ALARM", change.transition());
        assertEquals("arn:aws:cloudwatch:eu-west-1:444455556666:alarm:web-ecs-task-errors", change.alarmArn());
    }

    @Test
    void directAlarmActionCompositeAfterSuppression() {
        AlarmStateChange change = only("alarm-action-composite-alarm.json");
        assertEquals(AlarmKind.COMPOSITE, change.kind());
        assertEquals("ALARM -> ALARM", change.transition());
        assertEquals("WaitPeriod", change.previousSuppressedBy());
        assertNull(change.actionsSuppressedBy());
        assertTrue(AlarmTriage.reasonToIgnore(change).isEmpty(), "the first ALARM whose actions run");
    }

    @Test
    void suppressedCompositeAndMutedAlarmsAreRead() {
        AlarmStateChange suppressed = AlarmEvents.parse(Json.readTree("""
                {"version":"0","id":"x","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                 "account":"1","time":"t","region":"eu-west-1","resources":["arn:a"],
                 "detail":{"alarmName":"agg","state":{"actionsSuppressedBy":"WaitPeriod","value":"ALARM"},
                   "previousState":{"value":"OK"},"configuration":{"alarmRule":"ALARM(a)","actionsSuppressor":"m"}}}""")).get(0);
        assertEquals("WaitPeriod", suppressed.actionsSuppressedBy());
        assertTrue(AlarmTriage.reasonToIgnore(suppressed).isPresent());
        AlarmStateChange muted = AlarmEvents.parse(Json.readTree("""
                {"version":"0","id":"x","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                 "account":"1","time":"t","region":"eu-west-1","resources":[],
                 "detail":{"alarmName":"cpu","state":{"value":"ALARM"},"previousState":{"value":"OK"},
                   "muteDetail":{"mutedByArn":"arn:aws:cloudwatch:eu-west-1:1:alarm-mute-rule:m"}}}""")).get(0);
        assertEquals("arn:aws:cloudwatch:eu-west-1:1:alarm-mute-rule:m", muted.mutedBy());
        assertNull(muted.alarmArn());
        assertEquals(AlarmKind.UNKNOWN, muted.kind());
    }

    @Test
    void anomalyDetectionBandIsMetricMath() {
        assertEquals(AlarmKind.METRIC_MATH, AlarmEvents.kindOf(Json.readTree("""
                {"metrics":[{"id":"m1","metricStat":{"metric":{"name":"CPUUtilization"}},"returnData":true},
                            {"id":"ad1","expression":"ANOMALY_DETECTION_BAND(m1, 0.8)","returnData":true}]}""")));
    }

    @Test
    void otherCloudWatchEventsAreRejectedByName() {
        InvalidEventException contributor = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("""
                {"version":"0","id":"x","detail-type":"CloudWatch Alarm Contributor State Change","source":"aws.cloudwatch",
                 "detail":{"alarmName":"a","state":{"value":"ALARM"}}}""")));
        assertTrue(contributor.getMessage().contains("'CloudWatch Alarm Contributor State Change'"), contributor.getMessage());
        InvalidEventException config = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("""
                {"version":"0","id":"x","detail-type":"CloudWatch Alarm Configuration Change","source":"aws.cloudwatch",
                 "detail":{"alarmName":"a","operation":"create"}}""")));
        assertTrue(config.getMessage().contains("only acts on alarm state changes"), config.getMessage());
    }

    @Test
    void missingFieldsAreNamed() {
        InvalidEventException noName = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("""
                {"detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch","detail":{"state":{"value":"ALARM"}}}""")));
        assertEquals("the alarm state change detail has no 'alarmName'", noName.getMessage());
        InvalidEventException noState = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("""
                {"source":"aws.cloudwatch","alarmData":{"alarmName":"a"}}""")));
        assertEquals("the alarm-action payload's alarmData.state has no 'value'", noState.getMessage());
        InvalidEventException wrongSource = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("""
                {"source":"aws.events","alarmData":{"alarmName":"a","state":{"value":"ALARM"}}}""")));
        assertTrue(wrongSource.getMessage().contains("'aws.events'"));
    }

    @Test
    void snsMessagesThatAreNotAlarmsAreRejected() {
        InvalidEventException text = assertThrows(InvalidEventException.class, () -> AlarmEvents.fromSnsMessage("hello", "m"));
        assertTrue(text.getMessage().startsWith("the SNS message is not a CloudWatch alarm notification"), text.getMessage());
        InvalidEventException other = assertThrows(InvalidEventException.class,
                () -> AlarmEvents.fromSnsMessage("{\"kind\":\"REFRESH_STARTED\"}", "m"));
        assertEquals("the SNS alarm notification has no 'AlarmName'", other.getMessage());
        assertThrows(InvalidEventException.class, () -> AlarmEvents.fromSnsMessage("[1]", "m"));
    }

    @Test
    void anUnknownShapeIsRejected() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> AlarmEvents.parse(Json.readTree("{\"hello\":1}")));
        assertTrue(e.getMessage().startsWith("not a CloudWatch alarm event"), e.getMessage());
    }
}
