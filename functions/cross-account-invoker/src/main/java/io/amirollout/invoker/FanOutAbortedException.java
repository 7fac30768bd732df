package io.amirollout.invoker;

/**
 * Nothing could be attempted (the organization could not be listed, the image could not be read).
 * The handler lets it fail the invocation, so Lambda's asynchronous retry tries again later.
 */
public class FanOutAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FanOutAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
