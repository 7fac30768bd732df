package io.amirollout.shared;

import io.amirollout.shared.testing.CapturedOutput;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapStartPrimingTest {

    @Test
    void offlineClientMarshalsAndFailsWithoutSendingAnything() {
        // No endpoint listens anywhere here: the answer can only come from the offline HTTP client.
        try (SnsClient sns = SnapStartPriming.offlineClient(SnsClient.builder())) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> sns.publish(r -> r
                    .topicArn("arn:aws:sns:eu-west-1:444455556666:topic").message("{\"priming\":true}")));
            assertEquals("SnapStartPriming", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    void warmUpRunsBeforeCheckpointWithItsLogsDiscardedAndRestoreHooksRunAfter() {
        List<String> calls = new ArrayList<>();
        SnapStartPriming.register("test-warm-up", () -> {
            calls.add("warm-up");
            Log.info("a line of the pretend invocation");
        }, () -> calls.add("after-restore"));

        try (CapturedOutput out = CapturedOutput.start()) {
            SnapStartPriming.simulateCheckpointAndRestore();
            assertFalse(out.text().contains("pretend invocation"), out.text());
            assertTrue(out.text().contains("SnapStart priming done") && out.text().contains("test-warm-up"), out.text());
        }
        assertEquals(List.of("warm-up", "after-restore"), calls.subList(calls.indexOf("warm-up"), calls.indexOf("warm-up") + 2));
        assertTrue(SnapStartPriming.registeredNames().contains("test-warm-up"));
    }

    @Test
    void aFailingWarmUpIsLoggedAndDoesNotStopTheCheckpoint() {
        SnapStartPriming.register("test-failing", () -> {
            throw new IllegalStateException("boom");
        });
        try (CapturedOutput out = CapturedOutput.start()) {
            SnapStartPriming.simulateCheckpointAndRestore();
            assertTrue(out.text().contains("SnapStart priming failed") && out.text().contains("boom"), out.text());
        }
    }

    @Test
    void invokeSwallowsWhatTheHandlerThrowsForItsOfflineCalls() {
        List<String> read = new ArrayList<>();
        SnapStartPriming.invoke((input, output, context) -> {
            read.add(new String(input.readAllBytes(), StandardCharsets.UTF_8) + " " + context.getAwsRequestId());
            throw new IllegalStateException("offline call failed");
        }, new ByteArrayInputStream("{\"dryRun\":true}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("{\"dryRun\":true} snapstart-priming"), read);
    }
}
