package io.amirollout.verifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts: convergence from what was read, test tags, redaction. */
class ChecksTest {

    static final Duration LIMIT = Duration.ofSeconds(600);

    static GroupView group(GroupView.Member... members) {
        return new GroupView("web-asg", Map.of(), List.of(members), List.of());
    }

    static GroupView.Member m(String id, String state, String version, boolean prot) {
        return new GroupView.Member(id, state, "Healthy", version, prot);
    }

    @Test
    void convergenceAtACheckpointLooksOnlyAtTheReplacedInstances() {
        GroupView g = group(m("i-1", "InService", "8", false), m("i-2", "InService", "7", false));
        CheckResult ok = ConvergenceCheck.evaluate(true, g, "8", "ami-new", false, LIMIT, "Ignore", "Ignore");
        assertEquals(CheckResult.Status.PASSED, ok.status(), ok.evidence());
        assertTrue(ok.evidence().startsWith("1 new instance(s) on version 8 run ami-new"), ok.evidence());
    }

    @Test
    void convergenceWaitsForLaunchingInstancesUntilTheDeadline() {
        GroupView g = group(m("i-1", "Pending:Wait", "8", false));
        assertEquals(CheckResult.Status.PENDING,
                ConvergenceCheck.evaluate(true, g, "8", "ami-new", false, LIMIT, "Ignore", "Ignore").status());
        assertEquals(CheckResult.Status.FAILED,
                ConvergenceCheck.evaluate(true, g, "8", "ami-new", true, LIMIT, "Ignore", "Ignore").status());
        assertEquals(CheckResult.Status.PENDING,
                ConvergenceCheck.evaluate(true, group(), "8", "ami-new", false, LIMIT, "Ignore", "Ignore").status());
    }

    @Test
    void convergenceAtTheEndLeavesAloneWhatTheSettingsKeepAndFailsTheRest() {
        GroupView g = group(m("i-1", "InService", "8", false), m("i-2", "InService", "7", true), m("i-3", "Standby", "7", false));
        CheckResult kept = ConvergenceCheck.evaluate(false, g, "8", "ami-new", false, LIMIT, "Ignore", "Ignore");
        assertEquals(CheckResult.Status.PASSED, kept.status(), kept.evidence());
        assertTrue(kept.evidence().contains("i-2 protected") && kept.evidence().contains("i-3 in standby"));
        CheckResult stuck = ConvergenceCheck.evaluate(false, g, "8", "ami-new", false, LIMIT, "Refresh", "Terminate");
        assertEquals(CheckResult.Status.FAILED, stuck.status());
        assertTrue(stuck.evidence().contains("i-2 on version 7") && stuck.evidence().contains("i-3 in standby"), stuck.evidence());
    }

    @Test
    void testTagsHaveDefaultsAndEveryMalformedOneIsNamed() {
        TestSettings defaults = TestSettings.from(Map.of());
        assertTrue(defaults.convergence());
        assertTrue(defaults.loadBalancerOn(true));
        assertFalse(defaults.loadBalancerOn(false));
        assertEquals(Duration.ofSeconds(300), defaults.loadBalancerGrace());
        assertEquals(1, defaults.sample());
        assertEquals(null, defaults.document());
        TestSettings set = TestSettings.from(Map.of("ami-rollout:test-load-balancer", "false", "ami-rollout:test-document",
                "arn:aws:ssm:eu-west-1:111122223333:document/web-health", "ami-rollout:test-sample", "3"));
        assertFalse(set.loadBalancerOn(true));
        assertEquals(3, set.sample());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestSettings.from(Map.of(
                "ami-rollout:test-convergence", "yes", "ami-rollout:test-sample", "51", "ami-rollout:test-document-timeout", "5",
                "ami-rollout:test-document", "rm -rf /")));
        for (String tag : List.of("test-convergence", "test-sample", "test-document-timeout", "test-document ")) {
            assertTrue(e.getMessage().contains("ami-rollout:" + tag), tag + " in " + e.getMessage());
        }
    }

    @Test
    void commandOutputLosesWhatLooksLikeASecret() {
        String out = Redaction.redact("DB_PASSWORD=hunter2 api_key: \"k-123\" AKIAABCDEFGHIJKLMNOP "
                + "https://user:pw@example.com/x Authorization: Bearer eyJhbGciOi hooks.slack.com/services/T0/B0/xyz ok");
        for (String secret : List.of("hunter2", "k-123", "AKIAABCDEFGHIJKLMNOP", "user:pw", "eyJhbGciOi", "T0/B0/xyz")) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        assertTrue(out.endsWith(" ok"), out);
    }

    @Test
    void evidenceIsBounded() {
        assertEquals(CheckResult.MAX_EVIDENCE, CheckResult.failed("x", "y".repeat(5000)).evidence().length());
    }
}
