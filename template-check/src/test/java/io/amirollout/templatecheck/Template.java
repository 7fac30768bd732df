package io.amirollout.templatecheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** template.yaml as maps, with the lookups the drift checks need. */
final class Template {

    /** The project root, seen from template-check/ (surefire runs in the module directory). */
    static final Path ROOT = Files.exists(Path.of("template.yaml")) ? Path.of(".") : Path.of("..");

    private static final Pattern CODE_URI = Pattern.compile("functions/([a-z0-9-]+)/target/function\\.zip");

    private static Template loaded;

    final Map<String, Object> document;

    private Template(Map<String, Object> document) {
        this.document = document;
    }

    static synchronized Template load() {
        if (loaded == null) {
            loaded = new Template(CloudFormationYaml.load(ROOT.resolve("template.yaml")));
        }
        return loaded;
    }

    Map<String, Object> section(String name) {
        return map(document.getOrDefault(name, Map.of()));
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return map(resource);
    }

    String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).getOrDefault("Properties", Map.of()));
    }

    /** Globals.Function merged under each function's own properties (SAM's rule for maps). */
    Map<String, Object> functionProperties(String logicalId) {
        Map<String, Object> globals = map(map(section("Globals").getOrDefault("Function", Map.of())));
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        properties(logicalId).forEach((key, value) -> {
            Object global = merged.get(key);
            if (global instanceof Map<?, ?> g && value instanceof Map<?, ?> v && !isIntrinsic(v)) {
                Map<String, Object> both = new LinkedHashMap<>(map(g));
                both.putAll(map(v));
                merged.put(key, both);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** Logical ids of every AWS::Serverless::Function, in template order. */
    List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The functions/ folder of a function, from its CodeUri. */
    String folder(String functionId) {
        Object codeUri = properties(functionId).get("CodeUri");
        Matcher matcher = CODE_URI.matcher(String.valueOf(codeUri));
        if (!(codeUri instanceof String) || !matcher.matches()) {
            throw new AssertionError(functionId + ": CodeUri must be functions/<name>/target/function.zip, got " + codeUri);
        }
        return matcher.group(1);
    }

    String handlerClass(String functionId) {
        String handler = String.valueOf(properties(functionId).get("Handler"));
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** Environment.Variables as written (values may be intrinsic functions). */
    Map<String, Object> environment(String functionId) {
        Map<String, Object> environment = map(functionProperties(functionId).getOrDefault("Environment", Map.of()));
        return map(environment.getOrDefault("Variables", Map.of()));
    }

    static boolean isIntrinsic(Map<?, ?> value) {
        if (value.size() != 1) {
            return false;
        }
        String key = String.valueOf(value.keySet().iterator().next());
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }
}
