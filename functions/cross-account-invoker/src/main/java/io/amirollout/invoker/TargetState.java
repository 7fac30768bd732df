package io.amirollout.invoker;

/** Where one target (account × region) of a release stands; the {@code state} of its record in the state table. */
public enum TargetState {
    /** Not invoked yet: never attempted, or a retryable failure waits for its next attempt ({@code nextAttemptAt}). */
    PENDING,
    /** Lambda accepted the asynchronous invocation (202). Final. */
    INVOKED,
    /** A permanent failure, or the bounded attempts are spent; {@code error} says why. Final until a redrive. */
    FAILED,
    /** Never attempted before the fan-out gave up (continuations spent). Final until a redrive. */
    NOT_ATTEMPTED,
    /** instance-refresh does not exist in that account and region (ResourceNotFoundException). Final until a redrive. */
    NOT_DEPLOYED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
