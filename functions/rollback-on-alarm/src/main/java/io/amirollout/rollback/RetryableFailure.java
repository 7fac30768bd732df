package io.amirollout.rollback;

/**
 * Thrown out of the handler so the invocation FAILS and Lambda retries it (asynchronous invocations:
 * twice, then the on-failure destination). Raised after every guarded group was handled, when at least one
 * hit a transient AWS error (or lost the decision race more often than is plausible): the retry re-reads and
 * decides again, and because every change is recognised once made, it does only what is still missing.
 */
public final class RetryableFailure extends RuntimeException {

    public RetryableFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
