package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.StreamInvocation;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Benchmark, in real time (not a test): N notices queued at once, drained by C concurrent "containers" (threads,
 * each with its own handler, sharing the state table's post slots, as Lambda runs them under the event
 * source's MaximumConcurrency) in
 * batches of 10, against the local webhook that refuses anything faster than one post per second. Prints the
 * sustained rate, the refusals and whether every notice arrived exactly once.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) io.amirollout.slack.PacingBenchmark [notices] [containers] [paceMillis]</pre>
 */
public final class PacingBenchmark {

    public static void main(String[] args) throws Exception {
        int notices = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int containers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long paceMillis = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        Clock clock = Clock.systemUTC();
        InMemoryStateTable table = new InMemoryStateTable();
        ConcurrentLinkedQueue<JsonNode> batches = new ConcurrentLinkedQueue<>();
        for (int start = 0; start < notices; start += 10) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            ArrayNode records = event.putArray("Records");
            for (int n = start; n < Math.min(notices, start + 10); n++) {
                ObjectNode r = records.addObject();
                r.put("messageId", "m-" + n);
                r.put("body", SimulatedQueue.snsEnvelope("sns-" + n, QueuePacingTest.notice(n)));
                r.put("eventSource", "aws:sqs");
            }
            batches.add(event);
        }
        try (LocalSlack slack = new LocalSlack(clock)) {
            URI url = slack.webhook();
            List<Thread> threads = new ArrayList<>();
            long began = System.nanoTime();
            for (int c = 0; c < containers; c++) {
                SlackNotifierHandler handler = handler(url, clock, table, Duration.ofMillis(paceMillis));
                Thread t = new Thread(() -> {
                    JsonNode batch;
                    while ((batch = batches.poll()) != null) {
                        StreamInvocation.invoke(handler, new ByteArrayInputStream(Json.write(batch).getBytes(StandardCharsets.UTF_8)),
                                new FakeContext("slack-notifier", 60_000));
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            if (System.getenv("BENCH_TRACE") != null) {
                long t0 = Long.parseLong(slack.log.get(0).split(" ")[0]);
                slack.log.stream().limit(30).forEach(l -> System.err.println("  +" + (Long.parseLong(l.split(" ")[0]) - t0) + " ms " + l.split(" ")[1]));
            }
            long distinct = slack.accepted.stream().distinct().count();
            System.err.printf("PACING BENCHMARK notices=%d containers=%d pace=%d ms: delivered %d (distinct %d) in %.1f s = %.2f messages/s sustained; 429 refusals %d%n",
                    notices, containers, paceMillis, slack.accepted.size(), distinct, seconds, slack.accepted.size() / seconds, slack.refused);
        }
    }

    private static SlackNotifierHandler handler(URI url, Clock clock, InMemoryStateTable table, Duration pace) {
        WebhookSource source = new WebhookSource() {
            @Override
            public URI fetch() {
                return url;
            }

            @Override
            public String describe() {
                return "benchmark webhook";
            }
        };
        // The slots shared through the (in-memory) state table, as deployed: the interval is the webhook's.
        WebhookTransport paced = new PacedTransport(new JdkWebhookTransport(Duration.ofSeconds(5), java.net.http.HttpClient.Version.HTTP_1_1),
                clock, Sleeper.threadSleep(), PostSlots.table(table, pace));
        return new SlackNotifierHandler(new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(source, Duration.ofSeconds(300), clock),
                new SlackWebhookClient(paced, Sleeper.threadSleep(), Duration.ofSeconds(5), Math::random), false, clock,
                DeliveryLedger.table(new ProcessedEvents(table), clock), null, null));
    }
}
