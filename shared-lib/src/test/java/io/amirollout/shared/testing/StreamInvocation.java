package io.amirollout.shared.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Feeds a stream handler what Lambda would (raw bytes) and reads its JSON result: one place for every handler test. */
public final class StreamInvocation {

    private StreamInvocation() {
    }

    public static JsonNode invoke(RequestStreamHandler handler, InputStream input, Context context) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(input, output, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.readTree(output.toString(StandardCharsets.UTF_8));
    }

    public static JsonNode invoke(RequestStreamHandler handler, String json, Context context) {
        return invoke(handler, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), context);
    }
}
