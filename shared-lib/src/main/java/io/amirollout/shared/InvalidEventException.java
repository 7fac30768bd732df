package io.amirollout.shared;

/**
 * The event has the wrong shape or misses a field. Handlers log it as one line, return a failed
 * or skipped result, and make no AWS call that changes anything.
 */
public class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
