package io.amirollout.verifier;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefreshVerifierConfigTest {

    @Test
    void defaults() {
        RefreshVerifierConfig config = RefreshVerifierConfig.from(Env.of(Map.of("STATE_TABLE_NAME", "stack-StateTable-1ABC")));
        assertEquals("Ignore", config.scaleInProtectedInstances());
        assertEquals("Ignore", config.standbyInstances());
        assertEquals(Duration.ofSeconds(15), config.pollInterval());
        assertEquals(12, config.maxContinuations());
        assertNull(config.notificationTopicArn());
        assertEquals(false, config.dryRun());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> RefreshVerifierConfig.from(Env.of(Map.of(
                "SCALE_IN_PROTECTED_INSTANCES", "Sometimes", "POLL_INTERVAL_SECONDS", "0", "MAX_CONTINUATIONS", "x",
                "NOTIFICATION_TOPIC_ARN", "topic", "DRY_RUN", "maybe"))));
        for (String name : new String[] {"STATE_TABLE_NAME", "SCALE_IN_PROTECTED_INSTANCES", "POLL_INTERVAL_SECONDS",
                "MAX_CONTINUATIONS", "NOTIFICATION_TOPIC_ARN", "DRY_RUN"}) {
            assertTrue(e.getMessage().contains(name), name + " in " + e.getMessage());
        }
    }
}
