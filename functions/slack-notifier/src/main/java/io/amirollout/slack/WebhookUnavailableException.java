package io.amirollout.slack;

/**
 * The webhook URL could not be read or is not usable. The message names where it was looked for and
 * why, never the URL or any part of the secret's value.
 */
public class WebhookUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WebhookUnavailableException(String message) {
        super(message);
    }
}
