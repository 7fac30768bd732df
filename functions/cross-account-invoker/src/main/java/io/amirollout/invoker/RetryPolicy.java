package io.amirollout.invoker;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What an attempt's outcome means for the target (a decider: plain values in, a value out), and when a
 * retryable failure is tried again. The SDK has already retried throttling and 5xx within the call; what
 * reaches here outlasted that, so the next attempt waits longer: {@code BASE × 2^(attempts-1)}, at most
 * {@code CAP}, for at most {@code maxAttempts} attempts in all; then the target is FAILED by name.
 */
record RetryPolicy(int maxAttempts) {

    static final Duration BASE = Duration.ofSeconds(10);
    static final Duration CAP = Duration.ofMinutes(5);

    /** Error codes that say "try again later" beyond throttling and 5xx (Lambda: function being updated, ...). */
    private static final Set<String> RETRYABLE_CODES = Set.of("TooManyRequestsException", "ThrottlingException",
            "Throttling", "RequestLimitExceeded", "ResourceConflictException", "ServiceException",
            "EC2ThrottledException", "ENILimitReachedException", "RequestTimeout", "RequestTimeoutException",
            "IDPCommunicationError");

    enum Kind { INVOKED, RETRY, FAILED, NOT_DEPLOYED }

    /** An attempt's outcome before the policy applies. */
    record Outcome(Kind kind, String error, String errorCode) {
        static final Outcome INVOKED = new Outcome(Kind.INVOKED, null, null);
    }

    static Outcome classify(SdkException e, String what, boolean invoke) {
        String reason = what + " failed: " + FanOut.describe(e);
        if (!(e instanceof AwsServiceException service)) {
            return new Outcome(Kind.RETRY, reason, null); // no answer (network, timeout)
        }
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        if (invoke && ("ResourceNotFoundException".equals(code) || service.statusCode() == 404)) {
            return new Outcome(Kind.NOT_DEPLOYED, reason, code);
        }
        if (service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500
                || (code != null && RETRYABLE_CODES.contains(code))) {
            return new Outcome(Kind.RETRY, reason, code);
        }
        return new Outcome(Kind.FAILED, reason, code);
    }

    /** The record after an attempt (whose claim already counted it in {@code attempts}). */
    TargetRecord settle(TargetRecord attempted, Outcome outcome, Instant now) {
        return switch (outcome.kind()) {
            case INVOKED -> attempted.settled(TargetState.INVOKED, null, null, null, now);
            case NOT_DEPLOYED -> attempted.settled(TargetState.NOT_DEPLOYED, outcome.error(), outcome.errorCode(), null, now);
            case FAILED -> attempted.settled(TargetState.FAILED, outcome.error(), outcome.errorCode(), null, now);
            case RETRY -> attempted.attempts() >= maxAttempts
                    ? attempted.settled(TargetState.FAILED, "gave up after " + attempted.attempts() + " attempts: "
                    + outcome.error(), outcome.errorCode(), null, now)
                    : attempted.settled(TargetState.PENDING, outcome.error(), outcome.errorCode(),
                    now.plus(backoff(attempted.attempts())), now);
        };
    }

    static Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration wait = BASE.multipliedBy(factor);
        return wait.compareTo(CAP) > 0 ? CAP : wait;
    }
}
