package io.amirollout.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs with the JDK's {@link HttpClient}, built once per container (it owns a connection pool and a
 * selector thread). Redirects are not followed: a webhook that redirects is misconfigured, and
 * following it could send the message elsewhere.
 */
public final class JdkWebhookTransport implements WebhookTransport {

    private final HttpClient http;

    public JdkWebhookTransport(Duration connectTimeout) {
        this(connectTimeout, HttpClient.Version.HTTP_2);
    }

    /** {@code version}: tests against a plain-HTTP local server use HTTP/1.1 (no h2c upgrade attempt per request). */
    JdkWebhookTransport(Duration connectTimeout, HttpClient.Version version) {
        this.http = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response post(URI url, String json, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
    }
}
