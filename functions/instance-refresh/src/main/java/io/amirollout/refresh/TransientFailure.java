package io.amirollout.refresh;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.List;
import java.util.Set;

/**
 * Thrown after every group was tried when some failed for a reason that may pass (throttling, 5xx, contention,
 * I/O — after the SDK's own retries): the invocation fails, so Lambda retries it; every decision is idempotent
 * (the state table's conditional writes, client tokens, the running-refresh check), so a retry is safe. Permanent
 * errors (validation, access denied, not found) stay FAILED results with a notice.
 */
public final class TransientFailure extends RuntimeException {

    static final Set<String> CODES = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled",
            "ResourceContention", "ProvisionedThroughputExceededException", "TransactionConflictException",
            "ServiceUnavailable", "InternalError", "InternalFailure", "InternalServerError", "RequestTimeout");

    TransientFailure(List<String> groups) {
        super("transient AWS errors for " + String.join(", ", groups) + "; failing the invocation so Lambda retries it");
    }

    static boolean is(RuntimeException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            return ase.isThrottlingException() || ase.statusCode() >= 500 || (code != null && CODES.contains(code));
        }
        return false;
    }
}
