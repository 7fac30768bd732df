package io.amirollout.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks of a TESTS_PASSED / TESTS_FAILED notice ({@code details.checks}: a list of objects with a
 * {@code name}, a result ({@code passed} true/false, or {@code result}/{@code status} text) and the
 * {@code evidence} that decided it), one line each, so a reader sees what was tested and why it passed
 * or failed. Only these notices say "tests": nothing else in this function claims a test ran.
 */
final class TestChecks {

    private TestChecks() {
    }

    /** One mrkdwn line per check, or null when the notice lists none. */
    static String render(Object checks) {
        if (!(checks instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> check)) {
                lines.add("• " + BlockKit.escape(MessageText.display(entry)));
                continue;
            }
            String name = text(check, "name", "check");
            Boolean passed = passed(check);
            String evidence = text(check, "evidence", "detail", "reason", "message");
            String mark = passed == null ? ":grey_question:" : passed ? ":white_check_mark:" : ":x:";
            lines.add(mark + " *" + BlockKit.escape(name == null ? "(unnamed check)" : name) + "*"
                    + (passed == null ? "" : passed ? " passed" : " failed")
                    + (evidence == null ? "" : " — " + BlockKit.escape(evidence)));
        }
        return "*Checks*\n" + String.join("\n", lines);
    }

    private static Boolean passed(Map<?, ?> check) {
        Object passed = check.get("passed");
        if (passed instanceof Boolean b) {
            return b;
        }
        String result = text(check, "passed", "result", "status", "outcome");
        if (result == null) {
            return null;
        }
        return switch (result.toUpperCase(java.util.Locale.ROOT)) {
            case "TRUE", "PASS", "PASSED", "OK", "SUCCESS", "SUCCEEDED" -> Boolean.TRUE;
            case "FALSE", "FAIL", "FAILED", "ERROR", "FAILURE" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String text(Map<?, ?> map, String... keys) {
        for (String key : keys) {
            Object value = map.get(key);
            if (value != null && !String.valueOf(value).isBlank()) {
                return MessageText.display(value);
            }
        }
        return null;
    }
}
