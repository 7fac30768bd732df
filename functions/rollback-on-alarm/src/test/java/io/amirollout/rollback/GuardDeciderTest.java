package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.List;
import java.util.Map;

import static io.amirollout.rollback.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Which groups an alarm guards, as plain values. */
class GuardDeciderTest {

    private static List<String> names(GuardDecider.Guarded guarded) {
        return guarded.groups().stream().map(AutoScalingGroup::autoScalingGroupName).toList();
    }

    @Test
    void aTagGuardsByNameOrArnAndNamesMayContainSpaces() {
        AutoScalingGroup byName = group("a", Map.of(RolloutTags.ALARMS, "x, " + ALARM));
        AutoScalingGroup byArn = group("b", Map.of(RolloutTags.ALARMS, ALARM_ARN));
        AutoScalingGroup other = group("c", Map.of(RolloutTags.ALARMS, ALARM + "-2,web-ecs-task"));
        AutoScalingGroup spaced = group("d", Map.of(RolloutTags.ALARMS, "EC2 CPU Utilization Anomaly ,y"));

        assertEquals(List.of("a", "b"), names(GuardDecider.guarded(firing(), config(), List.of(byName, byArn, other), Map.of())));
        AlarmStateChange cpu = new AlarmStateChange("EC2 CPU Utilization Anomaly", null, AlarmKind.METRIC_MATH, "ALARM", "OK",
                "r", null, null, null, "1", null, "t", AlarmStateChange.Via.SNS, null);
        assertEquals(List.of("d"), names(GuardDecider.guarded(cpu, config(), List.of(spaced, byName), Map.of())));
    }

    @Test
    void aStackGuardAlarmAlsoGuardsTheTargetGroupsAndNamesTheMissingOnes() {
        AutoScalingGroup seed = group("seed", java.util.Collections.singletonMap(RolloutTags.ALARMS, null));
        AutoScalingGroup tagged = group("tagged");
        RollbackOnAlarmConfig config = config(List.of("seed", "tagged", "gone"), List.of(ALARM));

        GuardDecider.Guarded guarded = GuardDecider.guarded(firing(), config, List.of(tagged), Map.of("seed", seed, "tagged", tagged));

        assertEquals(List.of("tagged", "seed"), names(guarded), "each group once");
        assertEquals(List.of("gone"), guarded.missingTargets());
    }

    @Test
    void targetGroupsAreNotGuardedByAnyOtherAlarm() {
        RollbackOnAlarmConfig config = config(List.of("seed"), List.of("ami-rollout-ecs-errors"));

        assertFalse(GuardDecider.isStackGuardAlarm(firing(), config));
        assertTrue(GuardDecider.guarded(firing(), config, List.of(), Map.of("seed", group("seed"))).none());
    }

    @Test
    void aStackGuardAlarmMayBeNamedByArn() {
        assertTrue(GuardDecider.isStackGuardAlarm(firing(), config(List.of(), List.of(ALARM_ARN))));
    }
}
