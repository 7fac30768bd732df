package io.amirollout.rollback;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.Set;

/**
 * Which AWS errors are worth a Lambda retry. The SDK has already retried these with back-off (standard
 * retry strategy); if they still fail, failing the invocation lets Lambda's async retry (and then the
 * on-failure destination) take over instead of silently dropping an undo that must happen: the alarm, still
 * in ALARM, sends no second event. Everything else (validation, access denied, a group that does not exist)
 * will fail the same way on every retry, so it is a FAILED result with a notice instead.
 */
final class AwsErrors {

    /**
     * Error codes that mean "try again later" although not every service marks them as throttling.
     * Auto Scaling answers ResourceContention (HTTP 500) "You already have a pending update to an Auto
     * Scaling resource"; DynamoDB may answer InternalServerError or ServiceUnavailable.
     */
    private static final Set<String> TRANSIENT_CODES = Set.of("ResourceContention", "InternalFailure",
            "InternalServerError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException");

    private AwsErrors() {
    }

    static boolean isTransient(RuntimeException e) {
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            return aws.isThrottlingException() || aws.statusCode() >= 500 || (code != null && TRANSIENT_CODES.contains(code));
        }
        // Connection refused, timeouts, a broken stream: the request may not have reached AWS at all.
        return e instanceof SdkClientException;
    }

    /** "ErrorCode: message" for AWS errors (never credentials: AWS error messages do not carry them). */
    static String describe(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
