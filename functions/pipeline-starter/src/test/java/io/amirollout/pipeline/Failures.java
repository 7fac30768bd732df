package io.amirollout.pipeline;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.imagebuilder.model.ImagebuilderException;

/** Image Builder errors as the SDK raises them (code, status, message), for mocks. */
final class Failures {

    private Failures() {
    }

    static <B extends AwsServiceException.Builder> AwsServiceException of(B builder, int status, String code, String message) {
        return builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).build();
    }

    static AwsServiceException generic(int status, String code, String message) {
        return of(ImagebuilderException.builder(), status, code, message);
    }
}
