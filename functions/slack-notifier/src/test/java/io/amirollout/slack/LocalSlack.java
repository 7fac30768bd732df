package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.amirollout.shared.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A local incoming webhook (JDK HttpServer on loopback) that enforces Slack's documented limit the strict way:
 * a post less than one second after the last accepted one is refused with {@code 429} and
 * {@code Retry-After: 1}, as Slack does. Time is read from the given clock, so a test can drive it with a
 * simulated clock (the client's thread is blocked waiting for the answer while the server reads it).
 */
final class LocalSlack implements AutoCloseable {

    static final Duration LIMIT = Duration.ofSeconds(1);

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor;
    private final Clock clock;
    private Instant lastAccepted;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    final List<Instant> acceptedAt = Collections.synchronizedList(new ArrayList<>());
    volatile int refused;
    /** Every request: when it arrived and what it was answered. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each answer waits ~40 ms for a
        // delayed ACK (Nagle), which made 400 local posts take 20 s. Read once, when the server class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    LocalSlack(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            String answer;
            synchronized (this) {
                Instant now = clock.instant();
                log.add(now.toEpochMilli() + " " + (lastAccepted != null && now.isBefore(lastAccepted.plus(LIMIT)) ? 429 : 200));
                if (lastAccepted != null && now.isBefore(lastAccepted.plus(LIMIT))) {
                    refused++;
                    status = 429;
                    answer = "rate_limited";
                    exchange.getResponseHeaders().add("Retry-After", "1");
                } else {
                    lastAccepted = now;
                    JsonNode payload = Json.readTree(new String(body, StandardCharsets.UTF_8));
                    accepted.add(payload.path("text").asText());
                    acceptedAt.add(now);
                    status = 200;
                    answer = "ok";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        executor = java.util.concurrent.Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
    }

    URI webhook() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0LOCAL/B0LOCAL/secret-token");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
