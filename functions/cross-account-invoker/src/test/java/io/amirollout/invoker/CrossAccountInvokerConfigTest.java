package io.amirollout.invoker;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CrossAccountInvokerConfigTest {

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_ROLE_NAME", "ami-rollout/ami-rollout-invoke");
        env.put("TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh");
        env.put("SOURCE_PIPELINE_ARNS", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023");
        env.put("STATE_TABLE_NAME", "ami-rollout-state");
        return env;
    }

    @Test
    void defaults() {
        CrossAccountInvokerConfig c = CrossAccountInvokerConfig.from(Env.of(required()));
        assertEquals("ami-rollout/ami-rollout-invoke", c.targetRoleName());
        assertNull(c.externalId());
        assertEquals(List.of(), c.targetAccounts());
        assertEquals(CrossAccountInvokerConfig.DEFAULT_MAX_CONCURRENCY, c.maxConcurrency());
        assertEquals(Duration.ofSeconds(900), c.assumeRoleDuration());
        assertEquals(Duration.ofSeconds(30), c.timeSafetyMargin());
        assertFalse(c.dryRun());
    }

    @Test
    void everyVariable() {
        Map<String, String> env = required();
        env.put("TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh:live");
        env.put("EXTERNAL_ID", "ami-rollout-2026");
        env.put("ORGANIZATIONAL_UNITS", "ou-ab12-cd34ef56, r-a1b2");
        env.put("ALLOW_ACCOUNTS", "444455556666");
        env.put("DENY_ACCOUNTS", "777788889999 111122223333");
        env.put("TARGET_REGIONS", "eu-west-1,us-east-1");
        env.put("MAX_CONCURRENCY", "64");
        env.put("ASSUME_ROLE_DURATION_SECONDS", "3600");
        env.put("TIME_SAFETY_MARGIN_SECONDS", "45");
        env.put("NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:111122223333:notices");
        env.put("DRY_RUN", "true");
        CrossAccountInvokerConfig c = CrossAccountInvokerConfig.from(Env.of(env));
        assertEquals(List.of("ou-ab12-cd34ef56", "r-a1b2"), c.organizationalUnits());
        assertEquals(List.of("777788889999", "111122223333"), c.denyAccounts());
        assertEquals(64, c.maxConcurrency());
        assertEquals(Duration.ofHours(1), c.assumeRoleDuration());
        assertEquals(Duration.ofSeconds(45), c.timeSafetyMargin());
        assertTrue(c.dryRun());
        assertFalse(c.toString().contains("ami-rollout-2026"), "the external id is never printed");
    }

    @Test
    void roleChainingCapsTheSessionAtOneHour() {
        Map<String, String> env = required();
        env.put("ASSUME_ROLE_DURATION_SECONDS", "7200");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CrossAccountInvokerConfig.from(Env.of(env)));
        assertTrue(e.getMessage().contains("between 900 and 3600"), e.getMessage());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_ROLE_NAME", "arn:aws:iam::111122223333:role/x");
        env.put("EXTERNAL_ID", "x");
        env.put("TARGET_ACCOUNTS", "111122223333,12345");
        env.put("ORGANIZATIONAL_UNITS", "ou-ab12-cd34ef56");
        env.put("TARGET_REGIONS", "Ireland");
        env.put("MAX_CONCURRENCY", "0");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CrossAccountInvokerConfig.from(Env.of(env)));
        String all = String.join("\n", e.problems());
        for (String name : List.of("TARGET_ROLE_NAME", "TARGET_FUNCTION_NAME", "EXTERNAL_ID", "TARGET_ACCOUNTS",
                "not both", "TARGET_REGIONS", "MAX_CONCURRENCY")) {
            assertTrue(all.contains(name), name + " missing from " + all);
        }
        assertFalse(all.contains("EXTERNAL_ID must be 2-1224 characters of letters, digits and _+=,.@:/- (got"),
                "the external id value is never echoed");
    }
}
