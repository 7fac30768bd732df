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
        String text = Files.readString(readme);
        assertTrue(text.contains(file.getFileName().toString()),
                "functions/" + function + "/README.md names the sample " + file.getFileName());
    }

    static List<Path> all() throws IOException {
        return samples().toList();
    }
}
