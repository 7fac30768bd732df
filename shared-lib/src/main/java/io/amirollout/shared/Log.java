package io.amirollout.shared;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * Structured logging: one JSON object per line, with the keys Lambda's JSON log format uses
 * ({@code timestamp}, {@code level}, {@code message}, {@code AWSRequestId}) plus the invocation's
 * {@code correlationId} and the caller's key/value fields, so CloudWatch Logs Insights can filter
 * on any of them. {@code AWS_LAMBDA_LOG_LEVEL} (set by Lambda's log-level control) filters lines.
 *
 * <p>Lambda runs one invocation at a time per container, so the request and correlation ids are
 * per-container state set by the handler at the start of each invocation. Never log a secret:
 * nothing here can tell one from another value.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final Level THRESHOLD = threshold(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    private static volatile String requestId;
    private static volatile String correlationId;

    private Log() {
    }

    /** Starts an invocation: every following line carries these ids. */
    public static void startInvocation(String awsRequestId, String correlation) {
        requestId = awsRequestId;
        correlationId = correlation;
    }

    /** Sets the correlation id once the event has been read far enough to know it. */
    public static void correlationId(String correlation) {
        correlationId = correlation;
    }

    public static String correlationId() {
        return correlationId;
    }

    public static void debug(String message, Object... keyValues) {
        log(Level.DEBUG, message, null, keyValues);
    }

    public static void info(String message, Object... keyValues) {
        log(Level.INFO, message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        log(Level.WARN, message, null, keyValues);
    }

    public static void error(String message, Object... keyValues) {
        log(Level.ERROR, message, null, keyValues);
    }

    /** An error with its exception's type and message (no stack trace: one line per failure). */
    public static void error(String message, Throwable error, Object... keyValues) {
        log(Level.ERROR, message, error, keyValues);
    }

    private static void log(Level level, String message, Throwable error, Object... keyValues) {
        if (level.ordinal() < THRESHOLD.ordinal()) {
            return;
        }
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", message);
        if (requestId != null) {
            line.put("AWSRequestId", requestId);
        }
        if (correlationId != null) {
            line.put("correlationId", correlationId);
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            line.set(String.valueOf(keyValues[i]), Json.MAPPER.valueToTree(value));
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            line.put("errorMessage", String.valueOf(error.getMessage()));
        }
        // Read System.out at call time so tests can capture output by replacing it.
        PrintStream out = System.out;
        out.println(line);
    }

    static Level threshold(String configured) {
        if (configured == null || configured.isBlank()) {
            return Level.INFO;
        }
        return switch (configured.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE", "DEBUG" -> Level.DEBUG;
            case "WARN" -> Level.WARN;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
