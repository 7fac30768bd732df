package io.amirollout.slack;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes the webhook URL and the secret parts of its path (Slack's team / channel / token segments)
 * from any text before it is logged or returned: a last line of defence behind the rule of never
 * putting the URL in a message in the first place.
 */
final class Redactor {

    static final String MARK = "[redacted]";
    private final List<String> secrets = new ArrayList<>();

    Redactor(URI url) {
        secrets.add(url.toString());
        if (url.getRawPath() != null && url.getRawPath().length() > 1) {
            secrets.add(url.getRawPath());
            for (String segment : url.getRawPath().split("/")) {
                // "services" and other short words are not secret; Slack's ids and token are long.
                if (segment.length() >= 6 && !segment.equals("services")) {
                    secrets.add(segment);
                }
            }
        }
        if (url.getRawQuery() != null) {
            secrets.add(url.getRawQuery());
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MARK);
        }
        return result;
    }
}
