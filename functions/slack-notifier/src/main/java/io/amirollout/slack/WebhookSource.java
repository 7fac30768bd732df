package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.URI;
import java.util.Locale;

/** Reads the Slack webhook URL from where it is kept. Implementations never put the value in a message. */
public interface WebhookSource {

    /** Reads the current URL; failures are a {@link WebhookUnavailableException} naming the place, not the value. */
    URI fetch();

    /** Where the URL is kept, for log lines. */
    String describe();

    /**
     * The URL from a stored value: either the URL itself or a JSON object with a {@code webhookUrl}
     * (or {@code url}) field, the shapes people store in Secrets Manager. Every error message here is
     * written without the value: Jackson's and {@link URI}'s own messages quote their input.
     */
    static URI parse(String stored, String where) {
        if (stored == null || stored.isBlank()) {
            throw new WebhookUnavailableException(where + " is empty");
        }
        String value = stored.trim();
        if (value.startsWith("{")) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(value);
            } catch (Exception e) {
                throw new WebhookUnavailableException(where + " starts with '{' but is not valid JSON");
            }
            String field = Json.text(node, "webhookUrl") != null ? "webhookUrl" : "url";
            value = Json.text(node, field);
            if (value == null) {
                throw new WebhookUnavailableException(where + " is a JSON object without a 'webhookUrl' or 'url' text field");
            }
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (Exception e) {
            throw new WebhookUnavailableException(where + " does not hold a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new WebhookUnavailableException(where + " does not hold an absolute http(s) URL");
        }
        return uri;
    }

    /** One line about an AWS failure: the error code and AWS's message (which never carries the secret's value). */
    static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + " (" + service.awsErrorDetails().errorMessage() + ")";
        }
        return e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
    }
}
