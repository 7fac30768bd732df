package io.amirollout.verifier;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Set;

/**
 * Transient or permanent: transient AWS errors (throttling, 5xx, contention, after the SDK's own retries) are thrown
 * so the invocation fails and Lambda retries it; permanent ones (validation, not found, access denied) become an
 * answer with the error code in it.
 */
final class AwsErrors {

    private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "ResourceContention", "ServiceUnavailable", "InternalFailure", "InternalError", "InternalServerError");

    private AwsErrors() {
    }

    static boolean isTransient(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500
                || (e.awsErrorDetails() != null && TRANSIENT_CODES.contains(e.awsErrorDetails().errorCode()));
    }

    static void rethrowIfTransient(AwsServiceException e) {
        if (isTransient(e)) {
            throw e;
        }
    }

    /** {@code Code: message}, for evidence and notices (AWS error messages carry no secrets of ours). */
    static String describe(AwsServiceException e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.getMessage())
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }
}
