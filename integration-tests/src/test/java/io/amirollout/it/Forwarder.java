package io.amirollout.it;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Sends a (possibly rewritten) copy of a request the front received on to moto, keeping the
 * headers moto reads: Authorization (service, region and, through the access key, the account),
 * X-Amz-* and moto's own x-moto-account-id.
 */
final class Forwarder {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final URI moto;

    Forwarder(URI moto) {
        this.moto = moto;
    }

    HttpResponse<String> send(Request original, String method, String pathAndQuery, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(moto + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (HttpHeader header : original.getHeaders().all()) {
            String name = header.key().toLowerCase(Locale.ROOT);
            if (name.equals("authorization") || name.equals("content-type") || name.startsWith("x-amz-")
                    || name.equals("x-moto-account-id")) {
                header.values().forEach(v -> request.header(header.key(), v));
            }
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("forwarding to moto failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
