package io.amirollout.slack;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;

/** The webhook URL from a Secrets Manager secret (secretsmanager:GetSecretValue, AWSCURRENT version). */
public final class SecretsManagerWebhookSource implements WebhookSource {

    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerWebhookSource(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    @Override
    public URI fetch() {
        GetSecretValueResponse response;
        try {
            response = secrets.getSecretValue(b -> b.secretId(secretId));
        } catch (SdkException e) {
            throw new WebhookUnavailableException("cannot read the Slack webhook URL from " + describe() + ": "
                    + WebhookSource.describe(e));
        }
        if (response.secretString() == null) {
            throw new WebhookUnavailableException(describe() + " has no SecretString (a binary secret cannot hold the webhook URL)");
        }
        return WebhookSource.parse(response.secretString(), describe());
    }

    @Override
    public String describe() {
        return "Secrets Manager secret '" + secretId + "'";
    }
}
