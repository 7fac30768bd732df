package io.amirollout.refresh;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class InstanceRefreshConfigTest {

    @Test
    void withoutTrustedOwnersTheFunctionRefusesToStartAndSaysWhy() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> InstanceRefreshConfig.from(Env.of(Map.of(
                "STATE_TABLE_NAME", "state"))));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("TRUSTED_IMAGE_OWNERS is required"), e.getMessage());
        assertTrue(e.getMessage().contains("look-alike"), e.getMessage());
    }

    @Test
    void everyBadVariableIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", "111122223333,amazon",
                "SCALE_IN_PROTECTED_INSTANCES", "Always",
                "STANDBY_INSTANCES", "Maybe",
                "NOTIFICATION_TOPIC_ARN", "notices",
                "DRY_RUN", "perhaps"))));
        assertEquals(6, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("STATE_TABLE_NAME is required"), e.getMessage());
        assertTrue(e.getMessage().contains("'amazon'"));
        assertTrue(e.getMessage().contains("SCALE_IN_PROTECTED_INSTANCES must be one of Ignore, Refresh, Wait"), e.getMessage());
        assertTrue(e.getMessage().contains("STANDBY_INSTANCES must be one of Ignore, Terminate, Wait"), e.getMessage());
    }

    @Test
    void defaults() {
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", "111122223333 444455556666", "STATE_TABLE_NAME", "state")));
        assertEquals(List.of("111122223333", "444455556666"), config.trustedImageOwners());
        assertEquals(List.of(), config.targetAutoScalingGroups());
        assertFalse(config.explicitGroups());
        assertNull(config.defaultImageName());
        assertEquals("Ignore", config.scaleInProtectedInstances());
        assertEquals("Ignore", config.standbyInstances());
        assertNull(config.notificationTopicArn());
        assertFalse(config.dryRun());
    }

    @Test
    void explicitGroupsAndCaseInsensitiveChoices() {
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", "111122223333", "STATE_TABLE_NAME", "state",
                "TARGET_AUTO_SCALING_GROUPS", "web-asg, api-asg", "DEFAULT_IMAGE_NAME", "golden-al2023",
                "SCALE_IN_PROTECTED_INSTANCES", "refresh", "STANDBY_INSTANCES", "WAIT", "DRY_RUN", "true")));
        assertEquals(List.of("web-asg", "api-asg"), config.targetAutoScalingGroups());
        assertTrue(config.explicitGroups());
        assertEquals("golden-al2023", config.defaultImageName());
        assertEquals("Refresh", config.scaleInProtectedInstances());
        assertEquals("Wait", config.standbyInstances());
        assertTrue(config.dryRun());
    }

    @Test
    void readsExactlyTheDocumentedVariables() {
        Env env = Env.of(Map.of("TRUSTED_IMAGE_OWNERS", "111122223333", "STATE_TABLE_NAME", "state"));
        InstanceRefreshConfig.from(env);
        assertEquals(java.util.Set.of("TRUSTED_IMAGE_OWNERS", "TARGET_AUTO_SCALING_GROUPS", "DEFAULT_IMAGE_NAME",
                "SCALE_IN_PROTECTED_INSTANCES", "STANDBY_INSTANCES", "NOTIFICATION_TOPIC_ARN", "DRY_RUN", "STATE_TABLE_NAME",
                "NEWEST_AMI_BY_NAME_ON_TICK", "TICK_INTERVAL_MINUTES", "DEFAULT_UPDATE_DAY", "DEFAULT_UPDATE_TIME",
                "DEFAULT_WINDOW_MINUTES", "VERSION_RETENTION_DAYS"), env.namesRead());
    }

    /** Item 6: the stack's default window cannot be shorter than the tick interval. */
    @Test
    void aDefaultWindowShorterThanTheTickIntervalIsRefusedAtStart() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", "111122223333", "STATE_TABLE_NAME", "state", "TICK_INTERVAL_MINUTES", "30",
                "DEFAULT_WINDOW_MINUTES", "20"))));
        assertTrue(e.getMessage().contains("shorter than TICK_INTERVAL_MINUTES"), e.getMessage());
    }

    @Test
    void theNewestByNameModeNeedsExactlyOneListedGroup() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", "111122223333", "STATE_TABLE_NAME", "state", "NEWEST_AMI_BY_NAME_ON_TICK", "true",
                "TARGET_AUTO_SCALING_GROUPS", "web-asg,api-asg"))));
        assertTrue(e.getMessage().contains("exactly one group"), e.getMessage());
        assertTrue(InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", "111122223333", "STATE_TABLE_NAME", "state",
                "NEWEST_AMI_BY_NAME_ON_TICK", "true", "TARGET_AUTO_SCALING_GROUPS", "web-asg"))).newestByNameOnTick());
    }
}
