package io.amirollout.it;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The AWS query protocol (EC2, Auto Scaling, SNS, STS): form-encoded requests with flattened
 * parameter names ({@code Preferences.CheckpointPercentages.member.1=20}), XML answers.
 */
public final class QueryForm {

    private QueryForm() {
    }

    public static Map<String, String> parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    public static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The parameters under {@code prefix + "."}, with the prefix removed. */
    public static Map<String, String> under(Map<String, String> params, String prefix) {
        Map<String, String> sub = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                sub.put(k.substring(prefix.length() + 1), v);
            }
        });
        return sub;
    }

    /**
     * Renders flattened awsquery parameters as the XML the same service answers with: structures
     * become elements named after their members, {@code member.N} lists become {@code <member>}
     * elements in index order.
     */
    public static String toXml(Map<String, String> flat) {
        Node root = new Node();
        flat.forEach((key, value) -> {
            Node node = root;
            for (String segment : key.split("\\.")) {
                node = node.children.computeIfAbsent(segment, s -> new Node());
            }
            node.value = value;
        });
        StringBuilder xml = new StringBuilder();
        root.children.forEach((name, child) -> render(name, child, xml));
        return xml.toString();
    }

    private static void render(String name, Node node, StringBuilder xml) {
        xml.append('<').append(name).append('>');
        if (node.value != null && node.children.isEmpty()) {
            xml.append(escape(node.value));
        } else {
            node.children.forEach((childName, child) -> {
                if (childName.equals("member")) {
                    // member.N: the numbered children are the list items, in numeric order.
                    new TreeMap<Integer, Node>(child.children.entrySet().stream()
                            .collect(Collectors.toMap(e -> Integer.parseInt(e.getKey()), Map.Entry::getValue)))
                            .values().forEach(item -> render("member", item, xml));
                } else {
                    render(childName, child, xml);
                }
            });
        }
        xml.append("</").append(name).append('>');
    }

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        String value;
    }
}
