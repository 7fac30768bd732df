package io.amirollout.slack;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SlackNotifierConfigTest {

    @Test
    void defaultsWithASecret() {
        SlackNotifierConfig config = SlackNotifierConfig.from(Env.of(Map.of("SLACK_WEBHOOK_SECRET_ID", "ami-rollout/slack")));
        assertEquals(SlackNotifierConfig.WebhookLocation.Kind.SECRETS_MANAGER, config.webhook().kind());
        assertEquals("ami-rollout/slack", config.webhook().id());
        assertEquals(Duration.ofSeconds(300), config.webhookCacheTtl());
        assertEquals(Duration.ofSeconds(5), config.slackTimeout());
        assertEquals("https://console.aws.amazon.com", config.consoleBaseUrl());
        assertFalse(config.dryRun());
    }

    @Test
    void everyVariableSet() {
        SlackNotifierConfig config = SlackNotifierConfig.from(Env.of(Map.of(
                "SLACK_WEBHOOK_PARAMETER", "/ami-rollout/slack-webhook",
                "WEBHOOK_CACHE_SECONDS", "60", "SLACK_TIMEOUT_SECONDS", "3",
                "CONSOLE_BASE_URL", "https://console.amazonaws-us-gov.com/", "DRY_RUN", "true")));
        assertEquals(SlackNotifierConfig.WebhookLocation.Kind.SSM_PARAMETER, config.webhook().kind());
        assertEquals("/ami-rollout/slack-webhook", config.webhook().id());
        assertEquals(Duration.ofSeconds(60), config.webhookCacheTtl());
        assertEquals(Duration.ofSeconds(3), config.slackTimeout());
        assertEquals("https://console.amazonaws-us-gov.com", config.consoleBaseUrl());
        assertTrue(config.dryRun());
    }

    @Test
    void neitherSourceNamesBothVariables() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SlackNotifierConfig.from(Env.of(Map.of())));
        assertTrue(e.getMessage().contains("SLACK_WEBHOOK_SECRET_ID"), e.getMessage());
        assertTrue(e.getMessage().contains("SLACK_WEBHOOK_PARAMETER"), e.getMessage());
        assertTrue(e.getMessage().contains("neither is set"), e.getMessage());
    }

    @Test
    void bothSourcesAreRefused() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SlackNotifierConfig.from(Env.of(Map.of(
                "SLACK_WEBHOOK_SECRET_ID", "a", "SLACK_WEBHOOK_PARAMETER", "/b"))));
        assertTrue(e.getMessage().contains("both are set"), e.getMessage());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SlackNotifierConfig.from(Env.of(Map.of(
                "WEBHOOK_CACHE_SECONDS", "-1", "SLACK_TIMEOUT_SECONDS", "soon",
                "CONSOLE_BASE_URL", "console.aws.amazon.com", "DRY_RUN", "maybe"))));
        assertEquals(5, e.problems().size(), e.problems().toString());
    }

    @Test
    void readsExactlyTheDocumentedVariables() {
        Env env = Env.of(Map.of("SLACK_WEBHOOK_SECRET_ID", "s"));
        SlackNotifierConfig.from(env);
        assertEquals(java.util.Set.of("SLACK_WEBHOOK_SECRET_ID", "SLACK_WEBHOOK_PARAMETER", "WEBHOOK_CACHE_SECONDS",
                "SLACK_TIMEOUT_SECONDS", "CONSOLE_BASE_URL", "DRY_RUN", "PACE_INTERVAL_MILLIS", "STATE_TABLE_NAME",
                "RECORD_RELEASE_STATUS"), env.namesRead());
    }
}
