package io.amirollout.refresh;

import io.amirollout.it.Moto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 7 on the wire: ami-rollout:alarms is checked with the real CloudWatch client's DescribeAlarms
 * against CloudWatch in moto (the wire format and paging are the SDK's, not a mock's).
 */
class AlarmCheckIT {

    CloudWatchClient cloudWatch;

    @BeforeEach
    void alarms() {
        Moto.reset();
        cloudWatch = Moto.client(CloudWatchClient.builder());
        for (String name : List.of("web-5xx", "web-latency")) {
            cloudWatch.putMetricAlarm(r -> r.alarmName(name).namespace("AWS/ApplicationELB").metricName("HTTPCode_Target_5XX_Count")
                    .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
        }
    }

    @Test
    void alarmsThatExistAreAccepted() {
        assertEquals(Optional.empty(), new AlarmCheck(cloudWatch).problem(List.of("web-5xx", "web-latency"), "web-5xx, web-latency"));
    }

    @Test
    void anAlarmThatDoesNotExistIsNamedBeforeAnythingChanges() {
        Optional<String> problem = new AlarmCheck(cloudWatch).problem(List.of("web-5xx", "web-5xxx"), "web-5xx,web-5xxx");
        assertTrue(problem.isPresent());
        assertTrue(problem.get().endsWith("no such CloudWatch alarm in this account and region: web-5xxx"), problem.get());
    }
}
