package io.amirollout.slack;

import io.amirollout.shared.testing.FakeContext;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Test doubles for slack-notifier: a scripted webhook, a sleeper that records instead of waiting, a settable clock. */
final class Fakes {

    static final String TOKEN = "xXsEcReTtOkEnXx42";
    static final String WEBHOOK = "https://hooks.slack.com/services/T0ROLLOUT/B0NOTICES/" + TOKEN;
    static final URI WEBHOOK_URI = URI.create(WEBHOOK);

    private Fakes() {
    }

    /** What the fake Slack does for one request: answer or throw. */
    @FunctionalInterface
    interface Answer {
        WebhookTransport.Response answer() throws IOException, InterruptedException;
    }

    static Answer status(int status, String body) {
        return () -> WebhookTransport.Response.of(status, body);
    }

    static Answer rateLimited(String retryAfter) {
        return () -> new WebhookTransport.Response(429, "{\"ok\":false,\"error\":\"ratelimited\"}", Optional.ofNullable(retryAfter));
    }

    static Answer fails(IOException e) {
        return () -> {
            throw e;
        };
    }

    record Request(URI url, String json, Duration timeout) {
    }

    /** Answers from a script; the last answer repeats. Records every request. */
    static final class ScriptedTransport implements WebhookTransport {
        private final Deque<Answer> script = new ArrayDeque<>();
        final List<Request> requests = new ArrayList<>();

        ScriptedTransport(Answer... answers) {
            script.addAll(List.of(answers));
        }

        static ScriptedTransport ok() {
            return new ScriptedTransport(status(200, "ok"));
        }

        @Override
        public Response post(URI url, String json, Duration timeout) throws IOException, InterruptedException {
            requests.add(new Request(url, json, timeout));
            Answer answer = script.size() > 1 ? script.poll() : script.peek();
            return answer.answer();
        }
    }

    /** Records waits; each wait also uses up the invocation's remaining time, as a real one would. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new ArrayList<>();
        private final FakeContext context;

        RecordingSleeper(FakeContext context) {
            this.context = context;
        }

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
            if (context != null) {
                context.remainingMillis(context.getRemainingTimeInMillis() - duration.toMillis());
            }
        }
    }

}
