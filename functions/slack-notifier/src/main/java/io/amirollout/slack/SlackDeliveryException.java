package io.amirollout.slack;

/**
 * Thrown at the end of an invocation whose messages could not be delivered for a reason a retry may
 * fix, so Lambda's asynchronous retries (SNS and EventBridge invoke asynchronously) try again.
 * Its message never holds the webhook URL.
 */
public class SlackDeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SlackDeliveryException(String message) {
        super(message);
    }
}
