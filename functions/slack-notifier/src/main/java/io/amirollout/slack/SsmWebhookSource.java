package io.amirollout.slack;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;

import java.net.URI;

/**
 * The webhook URL from an SSM Parameter Store SecureString parameter (ssm:GetParameter with
 * WithDecryption; SSM decrypts with KMS on the caller's behalf, so the role also needs kms:Decrypt on
 * the parameter's key when it is a customer managed key).
 */
public final class SsmWebhookSource implements WebhookSource {

    private final SsmClient ssm;
    private final String parameterName;

    public SsmWebhookSource(SsmClient ssm, String parameterName) {
        this.ssm = ssm;
        this.parameterName = parameterName;
    }

    @Override
    public URI fetch() {
        GetParameterResponse response;
        try {
            response = ssm.getParameter(b -> b.name(parameterName).withDecryption(true));
        } catch (SdkException e) {
            throw new WebhookUnavailableException("cannot read the Slack webhook URL from " + describe() + ": "
                    + WebhookSource.describe(e));
        }
        if (response.parameter() == null) {
            throw new WebhookUnavailableException(describe() + " returned no value");
        }
        return WebhookSource.parse(response.parameter().value(), describe());
    }

    @Override
    public String describe() {
        return "SSM parameter '" + parameterName + "'";
    }
}
