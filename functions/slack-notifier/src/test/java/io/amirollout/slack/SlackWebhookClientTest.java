package io.amirollout.slack;

import io.amirollout.shared.testing.CapturedOutput;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

class SlackWebhookClientTest {

    private final FakeContext context = new FakeContext("slack-notifier", 60_000);
    private final RecordingSleeper sleeper = new RecordingSleeper(context);

    private SlackWebhookClient client(ScriptedTransport transport) {
        // jitter 1.0: each back-off is its full exponential step, so waits are exact.
        return new SlackWebhookClient(transport, sleeper, Duration.ofSeconds(5), () -> 1.0);
    }

    private DeliveryResult post(ScriptedTransport transport) {
        return client(transport).post(WEBHOOK_URI, "{\"text\":\"hi\"}", () -> context.getRemainingTimeInMillis());
    }

    @Test
    void okIsDeliveredInOneRequest() {
        ScriptedTransport slack = ScriptedTransport.ok();
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(1, slack.requests.size());
        assertEquals(Duration.ofSeconds(5), slack.requests.get(0).timeout());
        assertEquals("{\"text\":\"hi\"}", slack.requests.get(0).json());
        assertTrue(sleeper.waits.isEmpty());
    }

    @Test
    void rateLimitedThenOkWaitsTheRetryAfterSeconds() {
        ScriptedTransport slack = new ScriptedTransport(rateLimited("3"), status(200, "ok"));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(2, result.attempts());
        assertEquals(List.of(Duration.ofSeconds(3)), sleeper.waits);
    }

    @Test
    void retryAfterIsCappedAndBadValuesFallBackToBackoff() {
        ScriptedTransport slack = new ScriptedTransport(rateLimited("3600"), rateLimited("soon"), rateLimited(null), status(200, "ok"));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(List.of(SlackWebhookClient.MAX_RETRY_AFTER, Duration.ofMillis(500), Duration.ofMillis(500)), sleeper.waits);
    }

    @Test
    void serverErrorThenOkBacksOffExponentially() {
        ScriptedTransport slack = new ScriptedTransport(status(500, "rollup_error"), status(503, ""), status(200, "ok"));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(3, result.attempts());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), sleeper.waits);
    }

    @Test
    void jitterKeepsEachWaitBetweenHalfAndAllOfItsStep() {
        SlackWebhookClient low = new SlackWebhookClient(ScriptedTransport.ok(), sleeper, Duration.ofSeconds(5), () -> 0.0);
        assertEquals(Duration.ofMillis(250), low.backoff(1));
        assertEquals(Duration.ofMillis(4000), low.backoff(5));
        SlackWebhookClient high = new SlackWebhookClient(ScriptedTransport.ok(), sleeper, Duration.ofSeconds(5), () -> 0.999);
        assertEquals(SlackWebhookClient.MAX_BACKOFF.toMillis(), high.backoff(12).toMillis(), 10);
    }

    @Test
    void timeoutThenOkIsRetried() {
        ScriptedTransport slack = new ScriptedTransport(fails(new HttpTimeoutException("request timed out")), status(200, "ok"));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.DELIVERED, result.outcome());
        assertEquals(2, slack.requests.size());
        assertEquals(1, sleeper.waits.size());
    }

    @Test
    void connectionFailuresUntilAttemptsRunOutAreTransient() {
        ScriptedTransport slack = new ScriptedTransport(fails(new ConnectException("Connection refused")));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.TRANSIENT_FAILURE, result.outcome());
        assertEquals(SlackWebhookClient.MAX_ATTEMPTS, slack.requests.size());
        assertEquals(SlackWebhookClient.MAX_ATTEMPTS - 1, sleeper.waits.size());
        assertTrue(result.slackError().contains("ConnectException"), result.slackError());
    }

    @Test
    void invalidPayloadFailsWithoutRetryAndLogsSlacksText() {
        ScriptedTransport slack = new ScriptedTransport(status(400, "invalid_payload"));
        try (CapturedOutput out = CapturedOutput.start()) {
            DeliveryResult result = post(slack);
            assertEquals(DeliveryResult.Outcome.PERMANENT_FAILURE, result.outcome());
            assertEquals(400, result.httpStatus());
            assertEquals("invalid_payload", result.slackError());
            assertEquals(1, slack.requests.size(), "exactly one request: a 400 is never retried");
            assertTrue(sleeper.waits.isEmpty());
            assertTrue(out.text().contains("invalid_payload"), out.text());
        }
    }

    @ParameterizedTest
    @CsvSource({"403,action_prohibited", "404,channel_not_found", "404,no_service", "410,channel_is_archived", "401,invalid_token"})
    void otherClientErrorsArePermanent(int status, String error) {
        ScriptedTransport slack = new ScriptedTransport(status(status, error));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.PERMANENT_FAILURE, result.outcome());
        assertEquals(error, result.slackError());
        assertEquals(1, slack.requests.size());
    }

    @Test
    void stopsWhenTheInvocationHasNoTimeToWaitAndRetry() {
        context.remainingMillis(3_000);
        ScriptedTransport slack = new ScriptedTransport(rateLimited("10"));
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.TRANSIENT_FAILURE, result.outcome());
        assertEquals(1, slack.requests.size());
        assertTrue(sleeper.waits.isEmpty(), "never sleeps past the invocation's end");
        assertTrue(result.slackError().contains("not enough time"), result.slackError());
    }

    @Test
    void eachAttemptTimeoutFitsTheRemainingTime() {
        context.remainingMillis(3_000);
        ScriptedTransport slack = ScriptedTransport.ok();
        post(slack);
        assertEquals(Duration.ofMillis(2_000), slack.requests.get(0).timeout());
    }

    @Test
    void noAttemptWithoutTime() {
        context.remainingMillis(500);
        ScriptedTransport slack = ScriptedTransport.ok();
        DeliveryResult result = post(slack);
        assertEquals(DeliveryResult.Outcome.TRANSIENT_FAILURE, result.outcome());
        assertEquals(0, slack.requests.size());
    }

    @Test
    void slacksTextIsScrubbedOfTheUrlAndShortened() throws IOException {
        ScriptedTransport slack = new ScriptedTransport(status(400, "bad " + WEBHOOK + " " + "x".repeat(1000)));
        DeliveryResult result = post(slack);
        assertFalse(result.slackError().contains(TOKEN));
        assertTrue(result.slackError().contains(Redactor.MARK));
        assertTrue(result.slackError().length() <= 301);
    }
}
