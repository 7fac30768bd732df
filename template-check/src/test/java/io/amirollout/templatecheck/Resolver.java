package io.amirollout.templatecheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the template's intrinsic functions for one set of parameter values, the way
 * CloudFormation would at deploy time, so a check can see the environment a function really gets.
 * Resources resolve to realistic fake physical ids (an SNS topic to a topic ARN, a bucket to a
 * bucket name ...) in account {@value #ACCOUNT}, region {@value #REGION}.
 */
final class Resolver {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String STACK = "ami-rollout";
    /** What {@code AWS::NoValue} resolves to; removed from lists and maps. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private final Template template;
    private final Map<String, String> parameters;
    private final Map<String, Boolean> conditions = new HashMap<>();

    Resolver(Template template, Map<String, String> parameterValues) {
        this.template = template;
        this.parameters = new HashMap<>();
        template.section("Parameters").forEach((name, declaration) -> {
            Object fallback = Template.map(declaration).get("Default");
            parameters.put(name, fallback == null ? null : String.valueOf(fallback));
        });
        parameterValues.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                throw new AssertionError("scenario sets unknown parameter " + name);
            }
            parameters.put(name, value);
        });
        parameters.forEach((name, value) -> {
            if (value == null) {
                throw new AssertionError("parameter " + name + " has no default and the scenario sets none");
            }
        });
    }

    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Object definition = template.section("Conditions").get(name);
        if (definition == null) {
            throw new AssertionError("template.yaml has no condition " + name);
        }
        boolean value = bool(resolve(definition));
        conditions.put(name, value);
        return value;
    }

    /** True when the resource has no Condition or its condition holds. */
    boolean exists(String logicalId) {
        Object condition = template.resource(logicalId).get("Condition");
        return condition == null || condition(String.valueOf(condition));
    }

    /** The resolved value: String, Boolean, List or Map, or {@link #NO_VALUE}. */
    Object resolve(Object node) {
        if (node instanceof Map<?, ?> raw) {
            Map<String, Object> map = Template.map(raw);
            if (Template.isIntrinsic(map)) {
                Map.Entry<String, Object> entry = map.entrySet().iterator().next();
                return intrinsic(entry.getKey(), entry.getValue());
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                Object v = resolve(value);
                if (v != NO_VALUE) {
                    resolved.put(key, v);
                }
            });
            return resolved;
        }
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object v = resolve(item);
                if (v != NO_VALUE) {
                    resolved.add(v);
                }
            }
            return resolved;
        }
        if (node == null) {
            return "";
        }
        return node instanceof Boolean ? node : String.valueOf(node);
    }

    /** The resolved value as an environment variable string. */
    String string(Object node) {
        Object value = resolve(node);
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        throw new AssertionError("expected a string, got " + value + " from " + node);
    }

    private Object intrinsic(String function, Object argument) {
        switch (function) {
            case "Ref":
                return ref(String.valueOf(argument));
            case "Condition":
                return condition(String.valueOf(argument));
            case "Fn::GetAtt": {
                List<?> parts = (List<?>) argument;
                return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            }
            case "Fn::Sub":
                return sub(argument);
            case "Fn::If": {
                List<?> args = (List<?>) argument;
                return condition(String.valueOf(args.get(0))) ? resolve(args.get(1)) : resolve(args.get(2));
            }
            case "Fn::Equals": {
                List<?> args = (List<?>) argument;
                return String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
            }
            case "Fn::Not":
                return !bool(resolve(((List<?>) argument).get(0)));
            case "Fn::And":
                return ((List<?>) argument).stream().allMatch(a -> bool(resolve(a)));
            case "Fn::Or":
                return ((List<?>) argument).stream().anyMatch(a -> bool(resolve(a)));
            case "Fn::Select": {
                List<?> args = (List<?>) argument;
                int index = Integer.parseInt(String.valueOf(resolve(args.get(0))));
                List<?> list = (List<?>) resolve(args.get(1));
                if (index >= list.size()) {
                    throw new AssertionError("Fn::Select index " + index + " out of " + list);
                }
                return list.get(index);
            }
            case "Fn::Split": {
                List<?> args = (List<?>) argument;
                String delimiter = String.valueOf(resolve(args.get(0)));
                String text = String.valueOf(resolve(args.get(1)));
                return new ArrayList<Object>(Arrays.asList(text.split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::Join": {
                List<?> args = (List<?>) argument;
                String delimiter = String.valueOf(resolve(args.get(0)));
                List<String> items = new ArrayList<>();
                for (Object item : (List<?>) resolve(args.get(1))) {
                    items.add(String.valueOf(item));
                }
                return String.join(delimiter, items);
            }
            default:
                throw new AssertionError("the check cannot evaluate " + function + " yet");
        }
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return STACK;
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            String value = parameters.get(name);
            Object declared = Template.map(template.section("Parameters").get(name)).get("Type");
            if (String.valueOf(declared).startsWith("CommaDelimitedList") || String.valueOf(declared).startsWith("List<")) {
                return new ArrayList<Object>(Arrays.asList(value.split(",", -1)));
            }
            return value;
        }
        if (name.endsWith(".Alias")) {
            String function = name.substring(0, name.length() - ".Alias".length());
            return getAtt(function, "Arn") + ":live";
        }
        return physicalId(name);
    }

    /** What {@code Ref} returns for a resource, by type. */
    private String physicalId(String logicalId) {
        String type = template.type(logicalId);
        String lower = logicalId.toLowerCase(Locale.ROOT);
        Map<String, Object> properties = template.properties(logicalId);
        switch (type) {
            case "AWS::SNS::Topic":
                return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + STACK + "-" + logicalId;
            case "AWS::SQS::Queue":
                return "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + STACK + "-" + logicalId;
            case "AWS::S3::Bucket":
                return STACK + "-" + lower;
            case "AWS::Logs::LogGroup":
                return properties.containsKey("LogGroupName") ? string(properties.get("LogGroupName")) : lower;
            case "AWS::ImageBuilder::ImagePipeline":
                return "arn:aws:imagebuilder:" + REGION + ":" + ACCOUNT + ":image-pipeline/" + lower;
            case "AWS::Serverless::Function":
                return properties.containsKey("FunctionName") ? string(properties.get("FunctionName")) : STACK + "-" + logicalId;
            case "AWS::IAM::Role":
                return properties.containsKey("RoleName") ? string(properties.get("RoleName")) : STACK + "-" + logicalId;
            default:
                return STACK + "-" + logicalId;
        }
    }

    private String getAtt(String logicalId, String attribute) {
        String type = template.type(logicalId);
        String id = physicalId(logicalId);
        if (!attribute.equals("Arn")) {
            return id + "." + attribute;
        }
        switch (type) {
            case "AWS::SNS::Topic":
            case "AWS::ImageBuilder::ImagePipeline":
                return id;
            case "AWS::SQS::Queue":
                return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + STACK + "-" + logicalId;
            case "AWS::S3::Bucket":
                return "arn:aws:s3:::" + id;
            case "AWS::Logs::LogGroup":
                return "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + id + ":*";
            case "AWS::Serverless::Function":
                return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + id;
            case "AWS::IAM::Role":
                return "arn:aws:iam::" + ACCOUNT + ":role/" + id;
            default:
                return "arn:aws:" + type + ":" + REGION + ":" + ACCOUNT + ":" + id;
        }
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = new HashMap<>();
        if (argument instanceof List<?> args) {
            text = String.valueOf(args.get(0));
            Template.map(args.get(1)).forEach((name, value) -> variables.put(name, resolve(value)));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + matcher.group(2) + "}";
            } else {
                String name = matcher.group(2);
                if (variables.containsKey(name)) {
                    replacement = String.valueOf(variables.get(name));
                } else if (name.contains(".") && !name.startsWith("AWS::")) {
                    int dot = name.indexOf('.');
                    replacement = getAtt(name.substring(0, dot), name.substring(dot + 1));
                } else {
                    replacement = String.valueOf(ref(name));
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new AssertionError("expected a condition value, got " + value);
    }
}
