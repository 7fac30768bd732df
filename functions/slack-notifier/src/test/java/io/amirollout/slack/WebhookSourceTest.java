package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import io.amirollout.shared.testing.IamActions;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

class WebhookSourceTest {

    @SuppressWarnings("unchecked")
    private static SecretsManagerClient secrets(String secretString) {
        SecretsManagerClient client = mock(SecretsManagerClient.class);
        when(client.getSecretValue(any(Consumer.class))).thenCallRealMethod();
        when(client.getSecretValue(any(GetSecretValueRequest.class)))
                .thenReturn(GetSecretValueResponse.builder().name("ami-rollout/slack").secretString(secretString).build());
        return client;
    }

    @Test
    void secretHoldingThePlainUrl() {
        SecretsManagerClient client = secrets(WEBHOOK + "\n");
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(client, "ami-rollout/slack").fetch());
        ArgumentCaptor<GetSecretValueRequest> request = ArgumentCaptor.forClass(GetSecretValueRequest.class);
        verify(client).getSecretValue(request.capture());
        assertEquals("ami-rollout/slack", request.getValue().secretId());
        IamActions.assertListed("iam-actions.txt", Map.of("secretsmanager", client));
    }

    @Test
    void secretHoldingJsonWithWebhookUrlOrUrl() {
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(secrets("{\"webhookUrl\":\"" + WEBHOOK + "\",\"channel\":\"#rollouts\"}"), "s").fetch());
        assertEquals(WEBHOOK_URI, new SecretsManagerWebhookSource(secrets("{\"url\":\"" + WEBHOOK + "\"}"), "s").fetch());
    }

    @Test
    void badSecretValuesAreNamedWithoutTheirContent() {
        for (String bad : new String[] {"{\"hook\":\"" + WEBHOOK + "\"}", "{" + TOKEN, "not a url " + TOKEN, "ftp://x/" + TOKEN, " "}) {
            WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                    () -> new SecretsManagerWebhookSource(secrets(bad), "ami-rollout/slack").fetch());
            assertTrue(e.getMessage().contains("ami-rollout/slack"), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void binarySecretIsRefused() {
        SecretsManagerClient client = mock(SecretsManagerClient.class);
        when(client.getSecretValue(any(Consumer.class))).thenCallRealMethod();
        when(client.getSecretValue(any(GetSecretValueRequest.class))).thenReturn(GetSecretValueResponse.builder().build());
        WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                () -> new SecretsManagerWebhookSource(client, "s").fetch());
        assertTrue(e.getMessage().contains("no SecretString"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void awsErrorsNameTheSecretAndTheCode() {
        SecretsManagerClient client = mock(SecretsManagerClient.class);
        when(client.getSecretValue(any(Consumer.class))).thenCallRealMethod();
        when(client.getSecretValue(any(GetSecretValueRequest.class))).thenThrow(ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                        .errorMessage("Secrets Manager can't find the specified secret.").build()).build());
        WebhookUnavailableException e = assertThrows(WebhookUnavailableException.class,
                () -> new SecretsManagerWebhookSource(client, "ami-rollout/slack").fetch());
        assertTrue(e.getMessage().contains("'ami-rollout/slack'"), e.getMessage());
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void ssmParameterIsReadWithDecryption() {
        SsmClient ssm = mock(SsmClient.class);
        when(ssm.getParameter(any(Consumer.class))).thenCallRealMethod();
        when(ssm.getParameter(any(GetParameterRequest.class))).thenReturn(GetParameterResponse.builder()
                .parameter(Parameter.builder().name("/ami-rollout/slack-webhook").type(ParameterType.SECURE_STRING).value(WEBHOOK).build())
                .build());
        assertEquals(WEBHOOK_URI, new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook").fetch());
        ArgumentCaptor<GetParameterRequest> request = ArgumentCaptor.forClass(GetParameterRequest.class);
        verify(ssm).getParameter(request.capture());
        assertEquals("/ami-rollout/slack-webhook", request.getValue().name());
        assertTrue(request.getValue().withDecryption());
        IamActions.assertListed("iam-actions.txt", Map.of("ssm", ssm));
    }

    @Test
    void cacheReadsOnceThenAgainAfterExpiry() {
        WebhookSource source = mock(WebhookSource.class);
        when(source.fetch()).thenReturn(WEBHOOK_URI);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        CachedWebhookUrl cache = new CachedWebhookUrl(source, Duration.ofSeconds(300), clock);

        assertEquals(WEBHOOK_URI, cache.get());
        clock.advance(Duration.ofSeconds(299));
        assertEquals(WEBHOOK_URI, cache.get());
        verify(source, times(1)).fetch();

        clock.advance(Duration.ofSeconds(1));
        cache.get();
        verify(source, times(2)).fetch();

        cache.invalidate();
        cache.get();
        verify(source, times(3)).fetch();
    }

    @Test
    void zeroTtlReadsEveryTimeAndFailuresAreNotCached() {
        WebhookSource source = mock(WebhookSource.class);
        when(source.fetch()).thenThrow(new WebhookUnavailableException("down")).thenReturn(WEBHOOK_URI);
        CachedWebhookUrl cache = new CachedWebhookUrl(source, Duration.ZERO, new MutableClock(Instant.EPOCH));
        assertThrows(WebhookUnavailableException.class, cache::get);
        assertEquals(WEBHOOK_URI, cache.get());
        cache.get();
        verify(source, times(3)).fetch();
    }
}
