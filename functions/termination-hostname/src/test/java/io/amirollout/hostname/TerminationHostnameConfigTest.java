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
        Env env = Env.of(Map.of("HOSTNAME_TOPIC_ARN", TOPIC));
        TerminationHostnameConfig config = TerminationHostnameConfig.from(env);
        assertEquals(TOPIC, config.hostnameTopicArn());
        assertEquals("hostname", config.hostnameTagKey());
        assertEquals(List.of("terminated"), config.instanceStates());
        assertFalse(config.publishWithoutHostname());
        assertFalse(config.publishHostnameNotice());
        assertEquals("", config.notificationTopicArn());
        assertFalse(config.dryRun());
        assertFalse(config.fifoTopic());
        assertEquals(Set.of("HOSTNAME_TOPIC_ARN", "HOSTNAME_TAG_KEY", "INSTANCE_STATES", "PUBLISH_WITHOUT_HOSTNAME",
                "PUBLISH_HOSTNAME_NOTICE", "NOTIFICATION_TOPIC_ARN", "DRY_RUN"), env.namesRead());
    }

    @Test
    void everyVariable() {
        TerminationHostnameConfig config = TerminationHostnameConfig.from(Env.of(Map.of(
                "HOSTNAME_TOPIC_ARN", TOPIC + ".fifo", "HOSTNAME_TAG_KEY", "ComputerName",
                "INSTANCE_STATES", "Shutting-Down, terminated", "PUBLISH_WITHOUT_HOSTNAME", "true",
                "PUBLISH_HOSTNAME_NOTICE", "yes", "NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:444455556666:notices",
                "DRY_RUN", "1")));
        assertEquals("ComputerName", config.hostnameTagKey());
        assertEquals(List.of("shutting-down", "terminated"), config.instanceStates());
        assertTrue(config.publishWithoutHostname());
        assertTrue(config.publishHostnameNotice());
        assertTrue(config.dryRun());
        assertTrue(config.fifoTopic());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> TerminationHostnameConfig.from(Env.of(Map.of(
                "INSTANCE_STATES", "terminated,gone", "PUBLISH_WITHOUT_HOSTNAME", "perhaps"))));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("HOSTNAME_TOPIC_ARN is required"));
        assertTrue(e.getMessage().contains("'gone'"));
        assertTrue(e.getMessage().contains("PUBLISH_WITHOUT_HOSTNAME"));
        ConfigurationException notArn = assertThrows(ConfigurationException.class,
                () -> TerminationHostnameConfig.from(Env.of(Map.of("HOSTNAME_TOPIC_ARN", "instance-hostnames"))));
        assertTrue(notArn.getMessage().contains("must be an SNS topic ARN"));
    }
}
