package io.amirollout.templatecheck;

import com.amazonaws.services.lambda.runtime.events.CloudWatchCompositeAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.CloudWatchMetricAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file in {@code events/<function>/} (what users pass to {@code sam local invoke -e}) belongs
 * to a function in template.yaml, is documented in that function's README, and deserialises with
 * the Lambda Java runtime's own event type for its shape (EventBridge envelope, SNS, S3, SQS,
 * CloudWatch alarm action); direct-invocation payloads must be JSON objects. What each handler
 * does with the file is asserted by the function's own handler tests, which feed it every file.
 */
class EventSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.walk(Template.ROOT.resolve("events"))) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    @Test
    void everyEventFolderIsAFunctionAndEveryFunctionHasSamples() throws IOException {
        Set<String> folders;
        try (Stream<Path> list = Files.list(Template.ROOT.resolve("events"))) {
            folders = list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Template template = Template.load();
        Set<String> functions = template.functionIds().stream().map(template::folder)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(functions, folders, "events/ folders vs functions in template.yaml");
        for (String folder : folders) {
            try (Stream<Path> files = Files.list(Template.ROOT.resolve("events").resolve(folder))) {
                assertTrue(files.anyMatch(p -> p.toString().endsWith(".json")), "events/" + folder + " has samples");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void deserialisesAsTheRuntimeTypeOfItsShape(Path file) throws IOException {
        String name = Template.ROOT.resolve("events").relativize(file).toString();
        assertTrue(name.endsWith(".json"), name + " is a .json file");
        JsonNode json = JSON.readTree(file.toFile());
        assertTrue(json != null && json.isObject(), name + " is a JSON object");
        String path = file.toString();
        JsonNode firstRecord = json.path("Records").path(0);

        if (json.has("detail-type")) {
            ScheduledEvent event = EventLoader.loadScheduledEvent(path);
            assertEquals(json.get("detail-type").asText(), event.getDetailType(), name + " detail-type");
            assertEquals(json.path("source").asText(), event.getSource(), name + " source");
            assertEquals(json.path("account").asText(), event.getAccount(), name + " account");
            assertTrue(event.getDetail() != null, name + " detail");
        } else if ("aws:sns".equals(firstRecord.path("EventSource").asText())) {
            SNSEvent event = EventLoader.loadSNSEvent(path);
            assertFalse(event.getRecords().isEmpty(), name + " records");
            assertEquals(firstRecord.path("Sns").path("Message").asText(), event.getRecords().get(0).getSNS().getMessage(), name + " message");
            assertEquals(firstRecord.path("Sns").path("TopicArn").asText(), event.getRecords().get(0).getSNS().getTopicArn(), name + " topic");
        } else if ("aws:s3".equals(firstRecord.path("eventSource").asText())) {
            S3Event event = EventLoader.loadS3Event(path);
            assertEquals(firstRecord.path("s3").path("bucket").path("name").asText(),
                    event.getRecords().get(0).getS3().getBucket().getName(), name + " bucket");
            assertEquals(firstRecord.path("s3").path("object").path("key").asText(),
                    event.getRecords().get(0).getS3().getObject().getKey(), name + " key");
        } else if ("aws:sqs".equals(firstRecord.path("eventSource").asText())) {
            SQSEvent event = EventLoader.loadSQSEvent(path);
            assertEquals(firstRecord.path("body").asText(), event.getRecords().get(0).getBody(), name + " body");
        } else if (json.has("alarmData")) {
            String alarm = json.path("alarmData").path("alarmName").asText();
            if (json.path("alarmData").path("configuration").has("alarmRule")) {
                CloudWatchCompositeAlarmEvent event = EventLoader.loadCloudWatchCompositeAlarmEvent(path);
                assertEquals(alarm, event.getAlarmData().getAlarmName(), name + " alarm name");
            } else {
                CloudWatchMetricAlarmEvent event = EventLoader.loadCloudWatchMetricAlarmEvent(path);
                assertEquals(alarm, event.getAlarmData().getAlarmName(), name + " alarm name");
                assertEquals(json.path("alarmData").path("state").path("value").asText(),
                        event.getAlarmData().getState().getValue(), name + " state");
            }
        } else {
            // A direct-invocation payload (for example ImageReleased): no runtime type; the
            // function's handler tests parse it.
            assertFalse(json.isEmpty() && !name.contains("unknown"), name + " is not an empty object");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void isDocumentedInItsFunctionsReadme(Path file) throws IOException {
        Path folder = file.getParent();
        String function = folder.getFileName().toString();
        Path readme = Template.ROOT.resolve("functions").resolve(function).resolve("README.md");
        assertTrue(Files.exists(readme), readme + " exists");
        String text = expandBraces(Files.readString(readme));
        assertTrue(text.contains(file.getFileName().toString()),
                "functions/" + function + "/README.md names the sample " + file.getFileName());
    }

    /**
     * Every trigger the template wires to a function has a sample in its events/ folder: each
     * EventBridge detail-type of its rules, "Scheduled Event" for a schedule, an SNS record for a
     * topic subscription, an alarm-action payload for an alarm that invokes it, and a direct
     * payload for instance-refresh (invoked across accounts by cross-account-invoker).
     */
    @Test
    void everyTriggerInTheTemplateHasASample() throws IOException {
        Template template = Template.load();
        List<String> missing = new java.util.ArrayList<>();
        for (String functionId : template.functionIds()) {
            String folder = template.folder(functionId);
            List<JsonNode> samples = new java.util.ArrayList<>();
            try (Stream<Path> files = Files.list(Template.ROOT.resolve("events").resolve(folder))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    samples.add(JSON.readTree(file.toFile()));
                }
            }
            Set<String> detailTypes = samples.stream().filter(j -> j.has("detail-type"))
                    .map(j -> j.get("detail-type").asText()).collect(Collectors.toSet());
            Object events = template.properties(functionId).get("Events");
            for (Object raw : events == null ? List.of() : Template.map(events).values()) {
                java.util.Map<String, Object> event = Template.map(raw);
                java.util.Map<String, Object> properties = Template.map(event.getOrDefault("Properties", java.util.Map.of()));
                switch (String.valueOf(event.get("Type"))) {
                    case "EventBridgeRule", "CloudWatchEvent" -> {
                        for (String detailType : detailTypes(properties.get("Pattern"))) {
                            if (!detailTypes.contains(detailType)) {
                                missing.add(folder + ": '" + detailType + "'");
                            }
                        }
                    }
                    case "Schedule", "ScheduleV2" -> {
                        if (!detailTypes.contains("Scheduled Event")) {
                            missing.add(folder + ": 'Scheduled Event'");
                        }
                    }
                    case "SNS" -> {
                        if (samples.stream().noneMatch(j -> "aws:sns".equals(j.path("Records").path(0).path("EventSource").asText()))) {
                            missing.add(folder + ": an SNS record");
                        }
                    }
                    default -> missing.add(folder + ": no sample rule for event type " + event.get("Type"));
                }
            }
        }
        // Alarms whose action invokes a function directly.
        template.resources().forEach((id, raw) -> {
            if ("AWS::CloudWatch::Alarm".equals(Template.map(raw).get("Type"))) {
                String actions = String.valueOf(template.properties(id).get("AlarmActions"));
                for (String functionId : template.functionIds()) {
                    if (actions.contains(functionId)) {
                        if (!hasSample(template.folder(functionId), j -> j.has("alarmData"))) {
                            missing.add(template.folder(functionId) + ": an alarm-action payload (alarmData)");
                        }
                    }
                }
            }
        });
        // instance-refresh is invoked directly with an ImageReleased payload.
        if (!hasSample("instance-refresh", j -> j.has("image") && j.has("amis"))) {
            missing.add("instance-refresh: an ImageReleased payload");
        }
        assertEquals(List.of(), missing, "triggers in template.yaml without a sample in events/");
    }

    private static boolean hasSample(String folder, java.util.function.Predicate<JsonNode> shape) {
        try (Stream<Path> files = Files.list(Template.ROOT.resolve("events").resolve(folder))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                if (shape.test(JSON.readTree(file.toFile()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** detail-type values of an EventBridge pattern, including those inside $or branches. */
    private static Set<String> detailTypes(Object pattern) {
        Set<String> types = new TreeSet<>();
        if (pattern instanceof java.util.Map<?, ?> map) {
            Object direct = map.get("detail-type");
            if (direct instanceof List<?> list) {
                list.forEach(t -> types.add(String.valueOf(t)));
            }
            if (map.get("$or") instanceof List<?> branches) {
                branches.forEach(b -> types.addAll(detailTypes(b)));
            }
        }
        return types;
    }

    /** Spells out shell-style brace lists, as READMEs write them: {@code a-{b,c}.json} -> {@code a-b.json a-c.json}. */
    static String expandBraces(String text) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("([\\w.-]*)\\{([\\w.,-]+)}([\\w.-]*)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            StringBuilder expanded = new StringBuilder();
            for (String item : matcher.group(2).split(",")) {
                expanded.append(matcher.group(1)).append(item).append(matcher.group(3)).append(' ');
            }
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(expanded.toString()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Test
    void braceListsInReadmesAreSpelledOut() {
        assertEquals("x-a.json x-b.json  and y.json", expandBraces("x-{a,b}.json and y.json"));
    }

    static List<Path> all() throws IOException {
        return samples().toList();
    }
}
