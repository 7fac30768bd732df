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
        Env env = Env.of(Map.of());
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(env);
        assertEquals(List.of(), config.targetAutoScalingGroups());
        assertEquals(Duration.ofMinutes(60), config.rollForwardGrace());
        assertEquals("", config.notificationTopicArn());
        assertFalse(config.dryRun());
        assertEquals(java.util.Set.of("TARGET_AUTO_SCALING_GROUPS", "ROLL_FORWARD_GRACE_MINUTES", "NOTIFICATION_TOPIC_ARN", "DRY_RUN"),
                env.namesRead());
    }

    @Test
    void everyVariable() {
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(Env.of(Map.of(
                "TARGET_AUTO_SCALING_GROUPS", "web-asg, api-asg",
                "ROLL_FORWARD_GRACE_MINUTES", "180",
                "NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:444455556666:ami-rollout-notices",
                "DRY_RUN", "true")));
        assertEquals(List.of("web-asg", "api-asg"), config.targetAutoScalingGroups());
        assertEquals(Duration.ofMinutes(180), config.rollForwardGrace());
        assertTrue(config.dryRun());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> RollbackOnAlarmConfig.from(Env.of(Map.of(
                "ROLL_FORWARD_GRACE_MINUTES", "soon", "NOTIFICATION_TOPIC_ARN", "notices", "DRY_RUN", "maybe"))));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("ROLL_FORWARD_GRACE_MINUTES"));
        assertTrue(e.getMessage().contains("NOTIFICATION_TOPIC_ARN"));
        assertTrue(e.getMessage().contains("DRY_RUN"));
    }
}
