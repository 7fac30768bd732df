package io.amirollout.invoker;

import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands the rest of a release's fan-out to a new invocation of this same function (asynchronous Invoke of
 * its own ARN and alias, with {@code {"continuation": {...}}}): when the time budget ran out with targets
 * still pending, or when the next retry is due later than this invocation can wait. A lost or duplicated
 * continuation is harmless: the ledger's conditional claims keep every target invoked at most once per
 * attempt, and Lambda's async retries and the on-failure queue apply to it like to any event.
 */
@FunctionalInterface
interface Continuations {

    void schedule(Continuation continuation);

    /** Production: {@code lambda:InvokeFunction} on the function's own ARN (from the Context), InvocationType Event. */
    static Continuations selfInvoke(LambdaClient lambda, String functionArn) {
        return continuation -> {
            byte[] payload = Json.write(Map.of("continuation", continuation)).getBytes(StandardCharsets.UTF_8);
            Integer status = lambda.invoke(r -> r.functionName(functionArn).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload))).statusCode();
            if (status == null || status != 202) {
                throw new IllegalStateException("continuation Invoke answered " + status + " instead of 202");
            }
            Log.info("fan-out continued in a new invocation", "imageArn", continuation.imageArn(),
                    "round", continuation.round(), "notBefore", continuation.notBefore());
        };
    }

    /**
     * The continuation request: which release, which round, and the earliest time to work (a retry's backoff).
     * Also what a person may send by hand to resume a fan-out now.
     */
    record Continuation(String imageArn, int round, String notBefore) {

        static Continuation of(String imageArn, int round, Instant notBefore) {
            return new Continuation(imageArn, round, notBefore == null ? null : notBefore.toString());
        }

        Instant notBeforeInstant() {
            return notBefore == null ? null : Instant.parse(notBefore);
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("imageArn", imageArn);
            map.put("round", round);
            map.put("notBefore", notBefore);
            return map;
        }
    }
}
