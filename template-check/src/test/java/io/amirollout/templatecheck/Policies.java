package io.amirollout.templatecheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * IAM statements as written in template.yaml. Both branches of an {@code Fn::If} count: the check
 * is about what a deployment may be granted under any parameter values.
 */
final class Policies {

    private Policies() {
    }

    /** Every statement in a resource's identity policies (SAM Policies, Role Policies, PolicyDocument). */
    static List<Map<String, Object>> statements(Map<String, Object> properties) {
        List<Map<String, Object>> statements = new ArrayList<>();
        Object policies = properties.get("Policies");
        if (policies instanceof List<?> list) {
            for (Object policy : list) {
                collectFromPolicy(policy, statements);
            }
        } else if (policies instanceof Map<?, ?>) {
            collectFromPolicy(policies, statements);
        }
        if (properties.get("PolicyDocument") != null) {
            collectFromPolicy(properties.get("PolicyDocument"), statements);
        }
        return statements;
    }

    /** The statements of the policies that apply to a function's execution role. */
    static List<Map<String, Object>> functionStatements(Template template, String functionId) {
        Map<String, Object> properties = template.properties(functionId);
        Object role = properties.get("Role");
        if (role == null) {
            return statements(properties);
        }
        String roleId = roleId(role, functionId);
        List<Map<String, Object>> statements = new ArrayList<>(statements(template.properties(roleId)));
        template.resources().forEach((id, raw) -> {
            Map<String, Object> resource = Template.map(raw);
            String type = String.valueOf(resource.get("Type"));
            if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
                Map<String, Object> policy = Template.map(resource.getOrDefault("Properties", Map.of()));
                Object roles = policy.get("Roles");
                if (roles instanceof List<?> list && list.contains(Map.of("Ref", roleId))) {
                    statements.addAll(statements(policy));
                }
            }
        });
        return statements;
    }

    /** Logical id of the role a {@code Role} property points at. */
    static String roleId(Object role, String owner) {
        if (role instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> getAtt) {
            return String.valueOf(getAtt.get(0));
        }
        throw new AssertionError(owner + ": Role must be !GetAtt <Role>.Arn of a role in this template, got " + role);
    }

    /** Allowed actions of statements, lower-cased for comparison (IAM actions are case-insensitive). */
    static Set<String> allowedActions(List<Map<String, Object>> statements) {
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> statement : statements) {
            if ("Allow".equals(statement.get("Effect"))) {
                for (String action : actions(statement)) {
                    actions.add(action.toLowerCase(Locale.ROOT));
                }
            }
        }
        return actions;
    }

    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        List<String> actions = new ArrayList<>();
        if (action instanceof String s) {
            actions.add(s);
        } else if (action instanceof List<?> list) {
            list.forEach(a -> actions.add(String.valueOf(a)));
        } else if (action != null) {
            throw new AssertionError("Action must be a string or a list of strings, got " + action);
        }
        return actions;
    }

    private static void collectFromPolicy(Object policy, List<Map<String, Object>> into) {
        if (!(policy instanceof Map<?, ?>)) {
            return; // a SAM policy template name or a managed policy ARN: no statements here
        }
        Map<String, Object> map = Template.map(policy);
        if (map.containsKey("Fn::If")) {
            List<?> branches = (List<?>) map.get("Fn::If");
            collectFromPolicy(branches.get(1), into);
            collectFromPolicy(branches.get(2), into);
        } else if (map.containsKey("PolicyDocument")) {
            collectFromPolicy(map.get("PolicyDocument"), into);
        } else if (map.containsKey("Statement")) {
            collectStatements(map.get("Statement"), into);
        }
    }

    private static void collectStatements(Object node, List<Map<String, Object>> into) {
        if (node instanceof List<?> list) {
            list.forEach(item -> collectStatements(item, into));
        } else if (node instanceof Map<?, ?> raw) {
            Map<String, Object> map = Template.map(raw);
            if (map.containsKey("Fn::If")) {
                List<?> branches = (List<?>) map.get("Fn::If");
                collectStatements(branches.get(1), into);
                collectStatements(branches.get(2), into);
            } else if (map.containsKey("Effect")) {
                into.add(map);
            }
            // {Ref: AWS::NoValue} and other intrinsics stand for no statement
        }
    }
}
