package io.amirollout.verifier;

import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in command output before it reaches a notice or a log: {@code key=value} /
 * {@code key: value} pairs whose key names a password, secret, token or key; AWS access key ids; credentials in URLs;
 * Slack webhook paths. A test should not print secrets; this is the safety net, not a licence.
 */
final class Redaction {

    private static final Pattern PAIRS = Pattern.compile(
            "(?i)\\b([\\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|authorization)[\\w.-]*)(\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern ACCESS_KEY = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");
    private static final Pattern SLACK_WEBHOOK = Pattern.compile("(?i)hooks\\.slack\\.com/\\S+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\bBearer\\s+[A-Za-z0-9._~+/=-]+");

    private Redaction() {
    }

    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = BEARER.matcher(text).replaceAll("Bearer [redacted]");
        out = PAIRS.matcher(out).replaceAll("$1$2[redacted]");
        out = ACCESS_KEY.matcher(out).replaceAll("[redacted]");
        out = URL_CREDENTIALS.matcher(out).replaceAll("$1[redacted]@");
        return SLACK_WEBHOOK.matcher(out).replaceAll("hooks.slack.com/[redacted]");
    }
}
