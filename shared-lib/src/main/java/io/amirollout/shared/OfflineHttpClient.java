package io.amirollout.shared;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An SDK HTTP client that opens no connection: it reads the marshalled request body (as sending would)
 * and answers HTTP 400 with a {@code SnapStartPriming} error in the request's protocol (XML for the
 * query protocols, JSON otherwise), which the SDK turns into a service exception. Used only for
 * {@link SnapStartPriming} warm-ups.
 */
final class OfflineHttpClient implements SdkHttpClient {

    static final String ERROR_CODE = "SnapStartPriming";
    private static final String MESSAGE = "SnapStart priming: the request was marshalled and signed but not sent";

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream body = request.contentStreamProvider().get().newStream()) {
                        body.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                return answer(request.httpRequest());
            }

            @Override
            public void abort() {
            }
        };
    }

    private static HttpExecuteResponse answer(SdkHttpRequest request) {
        boolean query = request.firstMatchingHeader("Content-Type").map(t -> t.contains("x-www-form-urlencoded")).orElse(false);
        String body = query
                ? "<ErrorResponse><Error><Type>Sender</Type><Code>" + ERROR_CODE + "</Code><Message>" + MESSAGE
                        + "</Message></Error><RequestId>snapstart-priming</RequestId></ErrorResponse>"
                : "{\"__type\":\"" + ERROR_CODE + "\",\"message\":\"" + MESSAGE + "\"}";
        SdkHttpResponse response = SdkHttpResponse.builder()
                .statusCode(400)
                .putHeader("Content-Type", query ? "text/xml" : "application/json")
                .putHeader("x-amzn-ErrorType", ERROR_CODE)
                .putHeader("x-amzn-RequestId", "snapstart-priming")
                .build();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
                .response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    @Override
    public String clientName() {
        return "SnapStartPrimingOffline";
    }

    @Override
    public void close() {
    }
}
