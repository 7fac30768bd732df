package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.StreamInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The queue path end to end in simulated time: a burst of 200 notices (plus SNS's duplicate deliveries) on
 * the Slack queue, the event source's batches of 10, the real handler, pacing and HTTP client, and a local
 * webhook on loopback that refuses (429, Retry-After: 1) any post less than a second after the last one.
 * Every notice must reach it exactly once; none may end in the dead-letter queue.
 */
class QueuePacingTest {

    static final int NOTICES = 200;
    static final int DUPLICATES = 10;
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    private MutableClock clock;
    private LocalSlack slack;
    private FakeContext context;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(START);
        slack = new LocalSlack(clock);
    }

    @AfterEach
    void tearDown() {
        slack.close();
    }

    /** Waiting in simulated time: the clock moves, and so does the invocation's remaining time. */
    private final Sleeper sleeper = duration -> {
        clock.advance(duration);
        context.remainingMillis(context.getRemainingTimeInMillis() - duration.toMillis());
    };

    private SlackNotifierHandler handler(Duration paceInterval) {
        URI url = slack.webhook();
        WebhookSource source = new WebhookSource() {
            @Override
            public URI fetch() {
                return url;
            }

            @Override
            public String describe() {
                return "test webhook";
            }
        };
        InMemoryStateTable table = new InMemoryStateTable();
        // The slots shared through the state table, as deployed.
        WebhookTransport paced = new PacedTransport(new JdkWebhookTransport(Duration.ofSeconds(5), java.net.http.HttpClient.Version.HTTP_1_1),
                clock, sleeper, PostSlots.table(table, paceInterval));
        SlackNotifierService service = new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(source, Duration.ofSeconds(300), clock),
                new SlackWebhookClient(paced, sleeper, Duration.ofSeconds(5), () -> 0.5), false, clock,
                DeliveryLedger.table(new ProcessedEvents(table), clock), null, null);
        return new SlackNotifierHandler(service);
    }

    static String notice(int n) {
        return Json.write(Json.readTree("""
                {"version":"1","kind":"REFRESH_DEFERRED","severity":"INFO","title":"Instance refresh deferred for asg-%03d",
                 "accountId":"444455556666","region":"eu-west-1","time":"2026-11-21T10:00:00Z",
                 "details":{"autoScalingGroup":"asg-%03d","reason":"window opens Wed 15:00 UTC"}}""".formatted(n, n)));
    }

    /** Runs the event source until the queue is empty; returns the invocations made. */
    private int drain(SimulatedQueue queue, SlackNotifierHandler handler) {
        int invocations = 0;
        while (!queue.isEmpty()) {
            ObjectNode event = queue.receive(10);
            if (event == null) {
                Instant next = queue.nextVisible();
                clock.advance(Duration.between(clock.instant(), next));
                continue;
            }
            invocations++;
            context = new FakeContext("slack-notifier", 60_000);
            try {
                JsonNode result = StreamInvocation.invoke(handler,
                        new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), context);
                List<String> failed = new ArrayList<>();
                result.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
                queue.settle(event, failed, false);
            } catch (SlackDeliveryException e) {
                queue.settle(event, List.of(), true);
            }
            assertTrue(invocations < 1000, "the queue drains");
        }
        return invocations;
    }

    private SimulatedQueue burst() {
        SimulatedQueue queue = new SimulatedQueue(clock, Duration.ofSeconds(360), 10);
        for (int n = 0; n < NOTICES; n++) {
            queue.send(SimulatedQueue.snsEnvelope("sns-" + n, notice(n)));
            if (n % (NOTICES / DUPLICATES) == 0) {
                // SNS delivers at least once: the same message id again.
                queue.send(SimulatedQueue.snsEnvelope("sns-" + n, notice(n)));
            }
        }
        return queue;
    }

    private void assertEachDeliveredOnce(SimulatedQueue queue) {
        assertEquals(List.of(), queue.deadLetters, "nothing reached the dead-letter queue");
        assertEquals(NOTICES, slack.accepted.size(), "every notice, once");
        for (int n = 0; n < NOTICES; n++) {
            String group = "asg-%03d ".formatted(n);
            assertEquals(1, slack.accepted.stream().filter(t -> t.contains(group)).count(), group);
        }
        for (int i = 1; i < slack.acceptedAt.size(); i++) {
            assertFalse(slack.acceptedAt.get(i).isBefore(slack.acceptedAt.get(i - 1).plus(LocalSlack.LIMIT)),
                    "accepted posts are a second apart");
        }
    }

    @Test
    void aBurstOf200IsDeliveredInFullAndOnceAtTheWebhooksPace() {
        SimulatedQueue queue = burst();
        int invocations = drain(queue, handler(Duration.ofSeconds(1)));
        assertEachDeliveredOnce(queue);
        assertEquals(0, slack.refused, "paced: Slack never had to refuse");
        Duration took = Duration.between(START, clock.instant());
        assertTrue(took.compareTo(Duration.ofSeconds(NOTICES - 1)) >= 0 && took.compareTo(Duration.ofSeconds(NOTICES + 10)) <= 0,
                "about one post per second: " + took);
        assertTrue(invocations >= NOTICES / 10, "batches of at most 10: " + invocations);
    }

    @Test
    void withoutPacingTheRefusalsAreWaitedOutAndStillNothingIsLostOrDoubled() {
        SimulatedQueue queue = burst();
        drain(queue, handler(Duration.ZERO));
        assertEachDeliveredOnce(queue);
        assertTrue(slack.refused >= NOTICES - 1, "unpaced, the webhook refused almost every second post: " + slack.refused);
    }

    @Test
    void anInvocationNearlyOutOfTimeHandsTheRestOfTheBatchBack() {
        SimulatedQueue queue = new SimulatedQueue(clock, Duration.ofSeconds(360), 10);
        for (int n = 0; n < 3; n++) {
            queue.send(SimulatedQueue.snsEnvelope("sns-" + n, notice(n)));
        }
        SlackNotifierHandler handler = handler(Duration.ofSeconds(1));
        ObjectNode event = queue.receive(10);
        context = new FakeContext("slack-notifier", 60_000);
        // 10.5 s left: two posts (with the pacing wait between them) start in time; the third would not.
        context.remainingMillis(10_500);
        JsonNode result = StreamInvocation.invoke(handler,
                new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), context);
        List<String> failed = new ArrayList<>();
        result.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        assertEquals(List.of("msg-3"), failed);
        assertEquals(2, slack.accepted.size());
    }
}
