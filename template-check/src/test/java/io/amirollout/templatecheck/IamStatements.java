package io.amirollout.templatecheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM statements as CloudFormation would deploy them for one set of parameter values (intrinsics
 * resolved by {@link Resolver}), with the questions the privilege checks ask of them. Pure functions of
 * the statements, so a check can be shown to fail on a statement written for that purpose.
 */
final class IamStatements {

    private IamStatements() {
    }

    /** The statements of every identity policy of a resource (SAM Policies or an IAM role's Policies), resolved. */
    static List<Map<String, Object>> resolved(Resolver resolver, Map<String, Object> properties) {
        List<Map<String, Object>> statements = new ArrayList<>();
        Object policies = resolver.resolve(properties.getOrDefault("Policies", List.of()));
        for (Object policy : policies instanceof List<?> list ? list : List.of(policies)) {
            if (policy instanceof Map<?, ?> map) {
                Object document = map.containsKey("PolicyDocument") ? map.get("PolicyDocument") : map;
                Object statement = Template.map(document).get("Statement");
                for (Object s : statement instanceof List<?> l ? l : List.of(statement)) {
                    statements.add(Template.map(s));
                }
            }
        }
        return statements;
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }

    static boolean allows(Map<String, Object> statement) {
        return "Allow".equals(statement.get("Effect"));
    }

    /** True when one of the statement's Action patterns (IAM wildcards, case-insensitive) matches the action. */
    static boolean grants(Map<String, Object> statement, String action) {
        if (statement.containsKey("NotAction")) {
            return true; // NotAction grants everything it does not name: treat as granting, so checks stay strict
        }
        for (String pattern : strings(statement.get("Action"))) {
            if (glob(pattern).matcher(action).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** A condition value: {@code Condition.<operator>.<key>}, or null. Operators and keys compare case-insensitively. */
    static Object condition(Map<String, Object> statement, String operator, String key) {
        Object condition = statement.get("Condition");
        if (!(condition instanceof Map<?, ?> operators)) {
            return null;
        }
        for (var op : operators.entrySet()) {
            if (String.valueOf(op.getKey()).equalsIgnoreCase(operator) && op.getValue() instanceof Map<?, ?> keys) {
                for (var k : keys.entrySet()) {
                    if (String.valueOf(k.getKey()).toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                        return k.getValue();
                    }
                }
            }
        }
        return null;
    }

    static boolean hasWildcard(String text) {
        return text.contains("*") || text.contains("?");
    }
}
