package io.amirollout.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** One HTTP POST of a JSON body to the webhook. Tests replace it; production uses {@link JdkWebhookTransport}. */
@FunctionalInterface
public interface WebhookTransport {

    Response post(URI url, String json, Duration timeout) throws IOException, InterruptedException;

    /** What Slack answered: status, body (Slack's error text on failures) and the Retry-After header. */
    record Response(int status, String body, Optional<String> retryAfter) {
        public Response {
            body = body == null ? "" : body;
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        }

        public static Response of(int status, String body) {
            return new Response(status, body, Optional.empty());
        }
    }
}
