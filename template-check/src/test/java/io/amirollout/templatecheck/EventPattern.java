package io.amirollout.templatecheck;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of EventBridge's event-pattern matching the template uses: exact values, {@code prefix},
 * {@code anything-but}, {@code exists}, {@code equals-ignore-case}, nested objects, array fields
 * (any element matches) and {@code $or}.
 */
final class EventPattern {

    private EventPattern() {
    }

    static boolean matches(Object pattern, JsonNode event) {
        Map<String, Object> fields = Template.map(pattern);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (field.getKey().equals("$or")) {
                boolean any = false;
                for (Object branch : (List<?>) field.getValue()) {
                    any |= matches(branch, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event.get(field.getKey());
            if (field.getValue() instanceof Map<?, ?> nested) {
                if (value == null || !value.isObject() || !matches(nested, value)) {
                    return false;
                }
            } else if (!matchesAny((List<?>) field.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(List<?> matchers, JsonNode value) {
        for (Object matcher : matchers) {
            if (value != null && value.isArray()) {
                for (JsonNode item : value) {
                    if (matchesOne(matcher, item)) {
                        return true;
                    }
                }
            } else if (matchesOne(matcher, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(Object matcher, JsonNode value) {
        if (matcher instanceof Map<?, ?> rule) {
            Map.Entry<?, ?> only = rule.entrySet().iterator().next();
            Object operand = only.getValue();
            switch (String.valueOf(only.getKey())) {
                case "exists":
                    return Boolean.parseBoolean(String.valueOf(operand)) == (value != null);
                case "prefix":
                    return value != null && value.isTextual() && value.asText().startsWith(String.valueOf(operand));
                case "equals-ignore-case":
                    return value != null && value.isTextual()
                            && value.asText().toLowerCase(Locale.ROOT).equals(String.valueOf(operand).toLowerCase(Locale.ROOT));
                case "anything-but":
                    if (value == null) {
                        return false;
                    }
                    List<?> excluded = operand instanceof List<?> list ? list : List.of(operand);
                    return excluded.stream().noneMatch(e -> matchesOne(e, value));
                default:
                    throw new AssertionError("the check does not know the EventBridge matcher " + only.getKey());
            }
        }
        if (value == null || value.isNull() || value.isContainerNode()) {
            return false;
        }
        return value.asText().equals(String.valueOf(matcher));
    }
}
