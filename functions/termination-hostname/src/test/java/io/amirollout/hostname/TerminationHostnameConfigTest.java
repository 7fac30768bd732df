package io.amirollout.hostname;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TerminationHostnameConfigTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:444455556666:instance-hostnames";

    @Test
    void defaults() {
        Env env = Env.of(Map.of("HOSTNAME_TOPIC_ARN", TOPIC, "STATE_TABLE_NAME", "state"));
        TerminationHostnameConfig config = TerminationHostnameConfig.from(env);
        assertEquals(TOPIC, config.hostnameTopicArn());
        assertEquals(List.of("hostname"), config.hostnameTagKeys());
        assertFalse(config.privateDnsName());
        assertEquals(List.of("shutting-down", "terminated"), config.instanceStates(), "act while the tags are attached");
        assertTrue(config.publishWithoutHostname(), "never silent: hostname null is published by default");
        assertFalse(config.publishHostnameNotice());
        assertEquals("ami-rollout-hostname", config.lifecycleHookName());
        assertEquals("state", config.stateTableName());
        assertEquals("", config.notificationTopicArn());
        assertFalse(config.dryRun());
        assertFalse(config.fifoTopic());
        assertEquals(List.of("tag:hostname"), config.sources());
        assertEquals(Set.of("HOSTNAME_TOPIC_ARN", "HOSTNAME_TAG_KEY", "HOSTNAME_FROM_PRIVATE_DNS", "INSTANCE_STATES",
                "PUBLISH_WITHOUT_HOSTNAME", "PUBLISH_HOSTNAME_NOTICE", "NOTIFICATION_TOPIC_ARN", "LIFECYCLE_HOOK_NAME",
                "STATE_TABLE_NAME", "DRY_RUN"), env.namesRead());
    }

    @Test
    void everyVariable() {
        TerminationHostnameConfig config = TerminationHostnameConfig.from(Env.of(Map.ofEntries(
                Map.entry("HOSTNAME_TOPIC_ARN", TOPIC + ".fifo"), Map.entry("HOSTNAME_TAG_KEY", "hostname, Computer Name,Name"),
                Map.entry("HOSTNAME_FROM_PRIVATE_DNS", "true"),
                Map.entry("INSTANCE_STATES", "Shutting-Down, terminated"), Map.entry("PUBLISH_WITHOUT_HOSTNAME", "false"),
                Map.entry("PUBLISH_HOSTNAME_NOTICE", "yes"), Map.entry("NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:444455556666:notices"),
                Map.entry("LIFECYCLE_HOOK_NAME", "hostname-hook"), Map.entry("STATE_TABLE_NAME", "state"), Map.entry("DRY_RUN", "1"))));
        assertEquals(List.of("hostname", "Computer Name", "Name"), config.hostnameTagKeys(), "commas only: keys may hold spaces");
        assertEquals(List.of("tag:hostname", "tag:Computer Name", "tag:Name", "privateDnsName"), config.sources());
        assertEquals(List.of("shutting-down", "terminated"), config.instanceStates());
        assertFalse(config.publishWithoutHostname());
        assertTrue(config.publishHostnameNotice());
        assertEquals("hostname-hook", config.lifecycleHookName());
        assertTrue(config.dryRun());
        assertTrue(config.fifoTopic());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> TerminationHostnameConfig.from(Env.of(Map.of(
                "INSTANCE_STATES", "terminated,gone", "PUBLISH_WITHOUT_HOSTNAME", "perhaps"))));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("HOSTNAME_TOPIC_ARN is required"));
        assertTrue(e.getMessage().contains("STATE_TABLE_NAME is required"));
        assertTrue(e.getMessage().contains("'gone'"));
        assertTrue(e.getMessage().contains("PUBLISH_WITHOUT_HOSTNAME"));
        ConfigurationException running = assertThrows(ConfigurationException.class, () -> TerminationHostnameConfig.from(Env.of(Map.of(
                "HOSTNAME_TOPIC_ARN", TOPIC, "STATE_TABLE_NAME", "s", "INSTANCE_STATES", "running,terminated"))));
        assertTrue(running.getMessage().contains("'running'") && running.getMessage().contains("one message"), running.getMessage());
        ConfigurationException notArn = assertThrows(ConfigurationException.class,
                () -> TerminationHostnameConfig.from(Env.of(Map.of("HOSTNAME_TOPIC_ARN", "instance-hostnames", "STATE_TABLE_NAME", "s"))));
        assertTrue(notArn.getMessage().contains("must be an SNS topic ARN"));
    }
}
