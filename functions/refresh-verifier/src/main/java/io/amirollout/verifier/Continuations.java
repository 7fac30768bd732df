package io.amirollout.verifier;

import io.amirollout.shared.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

import java.util.Map;

/**
 * Hands a verification over to a new invocation of this function when its checks need more time than one
 * invocation has: an asynchronous Invoke ({@code InvocationType=Event}: Lambda queues it and answers 202) with
 * {@code {"continuation": {"id": ...}}}. The verification record, not the payload, carries the state.
 */
@FunctionalInterface
public interface Continuations {

    /** @param functionArn the ARN this invocation was called with (the alias, so the same version runs on) */
    void schedule(String functionArn, String verificationId);

    static Continuations lambda(LambdaClient lambda) {
        return (functionArn, id) -> lambda.invoke(r -> r.functionName(functionArn).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(Json.write(Map.of("continuation", Map.of("id", id))))));
    }
}
