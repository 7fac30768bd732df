package io.amirollout.shared;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EnvTest {

    @Test
    void readsTypedValuesWithDefaults() {
        Env env = Env.of(Map.of("A", " text ", "N", "42", "B", "TRUE", "L", "a, b ,,c d", "S", "30"));
        assertEquals("text", env.string("A", "x"));
        assertEquals("fallback", env.string("MISSING", "fallback"));
        assertEquals(42, env.integer("N", 1, 0, 100));
        assertEquals(7, env.integer("MISSING", 7, 0, 100));
        assertTrue(env.bool("B", false));
        assertEquals(List.of("a", "b", "c", "d"), env.list("L"));
        assertEquals(List.of(), env.list("MISSING"));
        assertEquals(Duration.ofSeconds(30), env.seconds("S", Duration.ofSeconds(5), 1, 60));
        assertFalse(env.dryRun());
        env.check();
    }

    @Test
    void checkNamesEveryProblemAtOnce() {
        Env env = Env.of(Map.of("N", "lots", "B", "maybe", "P", "150", "L", "123,abc"));
        env.required("TOPIC", "where notices go");
        env.integer("N", 1, 0, 10);
        env.bool("B", false);
        env.integer("P", 90, 0, 100);
        env.list("L", s -> s.matches("\\d+"), "account ids");
        ConfigurationException e = assertThrows(ConfigurationException.class, env::check);
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("TOPIC is required (where notices go)"));
        assertTrue(e.getMessage().contains("N must be a whole number (got 'lots')"));
        assertTrue(e.getMessage().contains("B must be true or false (got 'maybe')"));
        assertTrue(e.getMessage().contains("P must be between 0 and 100 (got 150)"));
        assertTrue(e.getMessage().contains("L items must be account ids (got 'abc')"));
    }

    @Test
    void requiredWithFormCheck() {
        Env env = Env.of(Map.of("ARN", "not-an-arn"));
        env.required("ARN", "the pipeline", v -> v.startsWith("arn:"), "an ARN");
        ConfigurationException e = assertThrows(ConfigurationException.class, env::check);
        assertEquals(List.of("ARN must be an ARN (got 'not-an-arn')"), e.problems());
    }

    @Test
    void blankCountsAsUnset() {
        Env env = Env.of(Map.of("X", "   "));
        assertTrue(env.optional("X").isEmpty());
        env.required("X", "needed");
        assertThrows(ConfigurationException.class, env::check);
    }

    @Test
    void dryRunFromEnvironment() {
        assertTrue(Env.of(Map.of("DRY_RUN", "true")).dryRun());
    }

    @Test
    void snsTopicArnIsOptionalButMustBeATopicArn() {
        assertNull(Env.of(Map.of()).snsTopicArn("NOTIFICATION_TOPIC_ARN"));
        Env ok = Env.of(Map.of("NOTIFICATION_TOPIC_ARN", " arn:aws:sns:eu-west-1:111122223333:ami-rollout-notices "));
        assertEquals("arn:aws:sns:eu-west-1:111122223333:ami-rollout-notices", ok.snsTopicArn("NOTIFICATION_TOPIC_ARN"));
        ok.check();

        Env bad = Env.of(Map.of("NOTIFICATION_TOPIC_ARN", "ami-rollout-notices"));
        bad.snsTopicArn("NOTIFICATION_TOPIC_ARN");
        ConfigurationException e = assertThrows(ConfigurationException.class, bad::check);
        assertTrue(e.getMessage().contains("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got 'ami-rollout-notices')"), e.getMessage());
    }
}
