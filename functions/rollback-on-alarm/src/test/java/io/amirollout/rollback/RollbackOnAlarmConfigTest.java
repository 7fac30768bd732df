package io.amirollout.rollback;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RollbackOnAlarmConfigTest {

    @Test
    void defaults() {
        Env env = Env.of(Map.of("STATE_TABLE_NAME", "ami-rollout-state"));
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(env);
        assertEquals(List.of(), config.targetAutoScalingGroups());
        assertEquals(List.of(), config.guardAlarmNames());
        assertEquals(Duration.ofMinutes(60), config.rollForwardGrace());
        assertEquals("Ignore", config.scaleInProtectedInstances());
        assertEquals("Ignore", config.standbyInstances());
        assertEquals("ami-rollout-state", config.stateTableName());
        assertEquals("", config.notificationTopicArn());
        assertFalse(config.dryRun());
        assertEquals(java.util.Set.of("TARGET_AUTO_SCALING_GROUPS", "GUARD_ALARM_NAMES", "ROLL_FORWARD_GRACE_MINUTES",
                "SCALE_IN_PROTECTED_INSTANCES", "STANDBY_INSTANCES", "STATE_TABLE_NAME", "NOTIFICATION_TOPIC_ARN", "DRY_RUN"),
                env.namesRead());
    }

    @Test
    void everyVariable() {
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(Env.of(Map.of(
                "TARGET_AUTO_SCALING_GROUPS", "web-asg, api-asg",
                "GUARD_ALARM_NAMES", "ami-rollout-ecs-errors,EC2 CPU Utilization Anomaly, ",
                "ROLL_FORWARD_GRACE_MINUTES", "180",
                "SCALE_IN_PROTECTED_INSTANCES", "Refresh",
                "STANDBY_INSTANCES", "Terminate",
                "STATE_TABLE_NAME", "ami-rollout-state",
                "NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:444455556666:ami-rollout-notices",
                "DRY_RUN", "true")));
        assertEquals(List.of("web-asg", "api-asg"), config.targetAutoScalingGroups());
        assertEquals(List.of("ami-rollout-ecs-errors", "EC2 CPU Utilization Anomaly"), config.guardAlarmNames(),
                "comma list; alarm names may contain spaces");
        assertEquals("Refresh", config.scaleInProtectedInstances());
        assertEquals("Terminate", config.standbyInstances());
        assertEquals(Duration.ofMinutes(180), config.rollForwardGrace());
        assertTrue(config.dryRun());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> RollbackOnAlarmConfig.from(Env.of(Map.of(
                "ROLL_FORWARD_GRACE_MINUTES", "soon", "NOTIFICATION_TOPIC_ARN", "notices", "DRY_RUN", "maybe",
                "SCALE_IN_PROTECTED_INSTANCES", "Terminate", "STANDBY_INSTANCES", "Refresh"))));
        assertEquals(6, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("STATE_TABLE_NAME"));
        assertTrue(e.getMessage().contains("SCALE_IN_PROTECTED_INSTANCES"));
        assertTrue(e.getMessage().contains("STANDBY_INSTANCES"));
        assertTrue(e.getMessage().contains("ROLL_FORWARD_GRACE_MINUTES"));
        assertTrue(e.getMessage().contains("NOTIFICATION_TOPIC_ARN"));
        assertTrue(e.getMessage().contains("DRY_RUN"));
    }
}
