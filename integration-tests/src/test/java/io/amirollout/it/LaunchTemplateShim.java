package io.amirollout.it;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Fills two gaps in moto's EC2 CreateLaunchTemplateVersion, which otherwise it implements:
 * <ul>
 *   <li>{@code SourceVersion}: moto ignores it and stores only the LaunchTemplateData sent, so a
 *       version "from version 3 with a new ImageId" would lose everything else. AWS copies the
 *       source version's data and overrides the top-level members the request names. The front
 *       remembers the data of every version created through it and sends moto the merged data.</li>
 *   <li>{@code ClientToken}: moto ignores it. AWS answers a repeated token with the version the
 *       first call created; the front replays that answer.</li>
 * </ul>
 * Everything else (storage, numbering, describe) is moto's own. Launch templates used by a
 * scenario must therefore be created through the front (the test seeding clients are).
 */
final class LaunchTemplateShim {

    private static final Pattern TEMPLATE_ID = Pattern.compile("<launchTemplateId>(lt-[0-9a-zA-Z]+)</launchTemplateId>");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("<launchTemplateName>([^<]+)</launchTemplateName>");
    private static final Pattern VERSION = Pattern.compile("<versionNumber>(\\d+)</versionNumber>");
    private static final String DATA = "LaunchTemplateData";

    private final Forwarder moto;
    private final Map<String, String> idsByName = new ConcurrentHashMap<>();
    /** templateId → version → LaunchTemplateData.* parameters (prefix removed). */
    private final Map<String, Map<Long, Map<String, String>>> data = new ConcurrentHashMap<>();
    private final Map<String, HttpResponse<String>> answersByToken = new ConcurrentHashMap<>();

    LaunchTemplateShim(Forwarder moto) {
        this.moto = moto;
    }

    void reset() {
        idsByName.clear();
        data.clear();
        answersByToken.clear();
    }

    synchronized ResponseDefinition createTemplate(Request request) {
        Map<String, String> params = QueryForm.parse(request.getBodyAsString());
        HttpResponse<String> answer = moto.send(request, "POST", "/", request.getBodyAsString());
        Matcher id = TEMPLATE_ID.matcher(answer.body());
        Matcher name = TEMPLATE_NAME.matcher(answer.body());
        if (answer.statusCode() == 200 && id.find()) {
            if (name.find()) {
                idsByName.put(name.group(1), id.group(1));
            }
            data.computeIfAbsent(id.group(1), k -> new ConcurrentHashMap<>()).put(1L, QueryForm.under(params, DATA));
        }
        return relay(answer);
    }

    synchronized ResponseDefinition createVersion(Request request) {
        Map<String, String> params = QueryForm.parse(request.getBodyAsString());
        String templateId = params.containsKey("LaunchTemplateId") ? params.get("LaunchTemplateId")
                : params.containsKey("LaunchTemplateName") ? idsByName.get(params.get("LaunchTemplateName")) : null;
        String token = params.get("ClientToken");
        String tokenKey = templateId + "|" + token;
        if (token != null && answersByToken.containsKey(tokenKey)) {
            return relay(answersByToken.get(tokenKey));
        }
        Map<String, String> requested = QueryForm.under(params, DATA);
        Map<String, String> merged = new LinkedHashMap<>(requested);
        String source = params.get("SourceVersion");
        if (source != null && templateId != null) {
            Map<String, String> sourceData = data.getOrDefault(templateId, Map.of()).get(Long.parseLong(source));
            if (sourceData == null) {
                return InstanceRefreshEmulator.error(400, "InvalidLaunchTemplateVersion.NotFound",
                        "test front: version " + source + " of " + templateId + " was not created through the front, "
                                + "so SourceVersion cannot be emulated for it (seed launch templates through AwsFront)");
            }
            merged = merge(sourceData, requested);
        }
        Map<String, String> forwarded = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!k.startsWith(DATA + ".") && !k.equals("SourceVersion")) {
                forwarded.put(k, v);
            }
        });
        merged.forEach((k, v) -> forwarded.put(DATA + "." + k, v));
        HttpResponse<String> answer = moto.send(request, "POST", "/", QueryForm.encode(forwarded));
        Matcher version = VERSION.matcher(answer.body());
        if (answer.statusCode() == 200 && version.find() && templateId != null) {
            data.computeIfAbsent(templateId, k -> new ConcurrentHashMap<>()).put(Long.parseLong(version.group(1)), merged);
            if (token != null) {
                answersByToken.put(tokenKey, answer);
            }
        }
        return relay(answer);
    }

    /** AWS's SourceVersion rule: the source's data, with each top-level member the request names replaced whole. */
    static Map<String, String> merge(Map<String, String> source, Map<String, String> overrides) {
        java.util.Set<String> replaced = new java.util.HashSet<>();
        overrides.keySet().forEach(k -> replaced.add(topLevel(k)));
        Map<String, String> merged = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            // "Snapshots applied to the block device mapping are ignored when creating a new version unless they
            // are explicitly included" (CreateLaunchTemplateVersion, SourceVersion).
            boolean inheritedSnapshot = k.startsWith("BlockDeviceMapping.") && k.endsWith(".Ebs.SnapshotId");
            if (!replaced.contains(topLevel(k)) && !inheritedSnapshot) {
                merged.put(k, v);
            }
        });
        merged.putAll(overrides);
        return merged;
    }

    private static String topLevel(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    private static ResponseDefinition relay(HttpResponse<String> answer) {
        return responseDefinition().withStatus(answer.statusCode())
                .withHeader("Content-Type", answer.headers().firstValue("Content-Type").orElse("text/xml"))
                .withBody(answer.body()).build();
    }
}
