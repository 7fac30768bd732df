package io.amirollout.hostname;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** One line naming an AWS error: its code and message (never a request's secrets: there are none here). */
final class Errors {

    private Errors() {
    }

    static String describe(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String code(RuntimeException e) {
        return e instanceof AwsServiceException aws && aws.awsErrorDetails() != null ? aws.awsErrorDetails().errorCode() : null;
    }
}
