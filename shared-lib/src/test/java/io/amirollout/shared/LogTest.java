package io.amirollout.shared;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.testing.CapturedOutput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LogTest {

    @Test
    void writesOneJsonObjectPerLineWithIds() {
        try (CapturedOutput out = CapturedOutput.start()) {
            Log.startInvocation("req-1", "corr-1");
            Log.warn("group skipped", "autoScalingGroup", "web-asg", "count", 3);
            Log.error("failed", new IllegalStateException("boom"), "group", "g");
            assertEquals(2, out.lines().size());
            JsonNode first = Json.readTree(out.lines().get(0));
            assertEquals("WARN", first.get("level").asText());
            assertEquals("group skipped", first.get("message").asText());
            assertEquals("req-1", first.get("AWSRequestId").asText());
            assertEquals("corr-1", first.get("correlationId").asText());
            assertEquals("web-asg", first.get("autoScalingGroup").asText());
            assertEquals(3, first.get("count").asInt());
            assertNotNull(first.get("timestamp"));
            JsonNode second = Json.readTree(out.lines().get(1));
            assertEquals("java.lang.IllegalStateException", second.get("errorType").asText());
            assertEquals("boom", second.get("errorMessage").asText());
        } finally {
            Log.startInvocation(null, null);
        }
    }

    @Test
    void thresholdFollowsLambdaLogLevel() {
        assertEquals(Log.Level.INFO, Log.threshold(null));
        assertEquals(Log.Level.DEBUG, Log.threshold("trace"));
        assertEquals(Log.Level.WARN, Log.threshold("WARN"));
        assertEquals(Log.Level.ERROR, Log.threshold("fatal"));
    }
}
