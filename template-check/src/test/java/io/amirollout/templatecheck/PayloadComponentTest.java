package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payload component the pipeline runs is functions/pipeline-starter/component/run-payload.sh (the
 * script the integration tests run against moto), with only its three settings taken from the same stack
 * parameters pipeline-starter gets: the bucket, PayloadPrefix and PayloadSuffix.
 */
class PayloadComponentTest {

    private final Template template = Template.load();

    @Test
    void theComponentRunsTheTestedScriptWithTheFunctionsOwnFilterSettings() throws IOException {
        Map<String, Object> data = Template.map(template.properties("PayloadComponent").get("Data"));
        List<?> sub = (List<?>) data.get("Fn::Sub");
        String document = (String) sub.get(0);
        String marker = "commands:\n";
        int at = document.indexOf(marker);
        assertTrue(at > 0, "the component's ExecuteBash runs one block: " + document);
        String[] lines = document.substring(at + marker.length()).split("\n", -1);
        assertTrue(lines[0].strip().equals("- |"), "one block scalar: " + lines[0]);
        int indent = lines[1].length() - lines[1].stripLeading().length();
        String inTemplate = Arrays.stream(lines, 1, lines.length)
                .map(line -> line.length() >= indent ? line.substring(indent) : line.strip())
                .collect(Collectors.joining("\n")).strip();
        String file = Files.readString(Template.ROOT.resolve("functions/pipeline-starter/component/run-payload.sh"))
                .replaceFirst("(?m)^PAYLOAD_BUCKET=.*$", "PAYLOAD_BUCKET='\\${Bucket}'")
                .replaceFirst("(?m)^PAYLOAD_PREFIX=.*$", "PAYLOAD_PREFIX='\\${PayloadPrefix}'")
                .replaceFirst("(?m)^PAYLOAD_SUFFIX=.*$", "PAYLOAD_SUFFIX='\\${PayloadSuffix}'").strip();
        assertEquals(file, inTemplate, "template.yaml's PayloadComponent must run run-payload.sh as it is");
        assertFalse(file.replace("${Bucket}", "").replace("${PayloadPrefix}", "").replace("${PayloadSuffix}", "")
                .contains("${"), "Fn::Sub would rewrite any other ${...} in the script");
    }

    @Test
    void theFunctionAndTheBuildShareOneSuffixAndPrefixSetting() {
        Map<String, Object> env = template.environment("PipelineStarterFunction");
        assertEquals(Map.of("Ref", "PayloadSuffix"), env.get("PAYLOAD_SUFFIX"));
        assertEquals(Map.of("Ref", "PayloadPrefix"), env.get("PAYLOAD_PREFIX"));
        String document = (String) ((List<?>) Template.map(template.properties("PayloadComponent").get("Data")).get("Fn::Sub")).get(0);
        assertTrue(document.contains("PAYLOAD_SUFFIX='${PayloadSuffix}'") && document.contains("PAYLOAD_PREFIX='${PayloadPrefix}'"));
    }
}
