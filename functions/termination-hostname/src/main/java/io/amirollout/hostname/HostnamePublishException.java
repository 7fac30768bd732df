package io.amirollout.hostname;

/**
 * EC2 or SNS failed after the SDK's own retries. The handler lets it escape so that Lambda's
 * asynchronous retries (and the function's on-failure destination) get another go: a dropped
 * termination message would leave a stale computer account behind.
 */
public class HostnamePublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostnamePublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
