package io.amirollout.pipeline;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.ServiceUnavailableException;
import software.amazon.awssdk.services.imagebuilder.model.StartImagePipelineExecutionRequest;
import software.amazon.awssdk.services.imagebuilder.model.StartImagePipelineExecutionResponse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Every file in events/pipeline-starter/ through the Lambda runtime's own types and as raw bytes. */
class PipelineStarterHandlerTest {

    static final String EVENTS = "../../events/pipeline-starter/";
    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";
    static final String BUCKET = "ami-rollout-payloads-111122223333";
    static final String IMAGE = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";

    private ImagebuilderClient imagebuilder;
    private RecordingPublisher publisher;
    private PipelineStarterHandler handler;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        imagebuilder = mock(ImagebuilderClient.class);
        when(imagebuilder.startImagePipelineExecution(any(Consumer.class))).thenReturn(
                StartImagePipelineExecutionResponse.builder().imageBuildVersionArn(IMAGE).build());
        publisher = new RecordingPublisher();
        handler = handler(false);
    }

    private PipelineStarterHandler handler(boolean dryRun) {
        return new PipelineStarterHandler(new PipelineStarterService(
                new PipelineStarterConfig(PIPELINE, BUCKET, "payloads/", ".sh", null, dryRun, "t"), imagebuilder, publisher,
                new ProcessedEvents(new InMemoryStateTable()), Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC)));
    }

    private JsonNode run(InputStream input) {
        return StreamInvocation.invoke(handler, input, new FakeContext("pipeline-starter", 60_000));
    }

    @SuppressWarnings("unchecked")
    private List<String> tokensSent() {
        ArgumentCaptor<Consumer<StartImagePipelineExecutionRequest.Builder>> captor = ArgumentCaptor.forClass(Consumer.class);
        verify(imagebuilder, atLeast(0)).startImagePipelineExecution(captor.capture());
        return captor.getAllValues().stream().map(c -> {
            var b = StartImagePipelineExecutionRequest.builder();
            c.accept(b);
            return b.build().clientToken();
        }).toList();
    }

    @ParameterizedTest
    @Event(value = EVENTS + "object-created.json", type = ScheduledEvent.class)
    void objectCreated(ScheduledEvent event) {
        assertEquals("Object Created", event.getDetailType());
        assertEquals("aws.s3", event.getSource());
        JsonNode result = run(TestFiles.stream(EVENTS + "object-created.json"));
        assertEquals(1, result.get("started").asInt());
        assertEquals("payloads/golden-al2023.sh", result.get("outcomes").get(0).get("key").asText());
        assertEquals(IMAGE, result.get("outcomes").get(0).get("imageBuildVersionArn").asText());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "cloudtrail-put-object.json", type = ScheduledEvent.class)
    void cloudTrailPutObject(ScheduledEvent event) {
        assertEquals("AWS API Call via CloudTrail", event.getDetailType());
        assertEquals("PutObject", event.getDetail().get("eventName"));
        JsonNode result = run(TestFiles.stream(EVENTS + "cloudtrail-put-object.json"));
        assertEquals(1, result.get("started").asInt());
    }

    @Test
    void theSameVersionedUploadDeliveredInTwoShapesGetsOneToken() {
        run(TestFiles.stream(EVENTS + "object-created.json"));
        run(TestFiles.stream(EVENTS + "cloudtrail-put-object.json"));
        List<String> tokens = tokensSent();
        assertEquals(2, tokens.size());
        assertEquals(tokens.get(0), tokens.get(1));
    }

    @ParameterizedTest
    @Event(value = EVENTS + "s3-notification.json", type = S3Event.class)
    void classicNotificationWithSeveralRecords(S3Event event) {
        assertEquals(2, event.getRecords().size());
        assertEquals("payloads/golden+al2023+hotfix%2B1.sh", event.getRecords().get(0).getS3().getObject().getKey());
        JsonNode result = run(TestFiles.stream(EVENTS + "s3-notification.json"));
        JsonNode outcomes = result.get("outcomes");
        assertEquals(2, outcomes.size());
        assertEquals("payloads/golden al2023 hotfix+1.sh", outcomes.get(0).get("key").asText(), "URL-decoded");
        assertEquals("STARTED", outcomes.get(0).get("status").asText());
        assertEquals("SKIPPED", outcomes.get(1).get("status").asText());
        assertEquals(1, tokensSent().size());
    }

    @Test
    void s3TestEventIsSkipped() {
        JsonNode result = run(TestFiles.stream(EVENTS + "s3-test-event.json"));
        assertEquals(1, result.get("skipped").asInt());
        verifyNoInteractions(imagebuilder);
    }

    @Test
    void redeliveredEventStartsNothingNew() {
        run(TestFiles.stream(EVENTS + "object-created.json"));
        run(TestFiles.stream(EVENTS + "object-created.json"));
        List<String> tokens = tokensSent();
        assertEquals(tokens.get(0), tokens.get(1));
    }

    @Test
    void dryRunInTheEvent() {
        String event = TestFiles.read(EVENTS + "object-created.json").replaceFirst("\\{", "{\"dryRun\": true,");
        JsonNode result = run(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("DRY_RUN", result.get("outcomes").get(0).get("status").asText());
        verifyNoInteractions(imagebuilder);
    }

    @Test
    void invalidEventsAnswerWithTheReasonAndCallNothing() {
        for (String bad : List.of("", "not json", "{\"foo\":\"bar\"}", "[1,2]")) {
            JsonNode result = run(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)));
            assertNotNull(result.get("error"), bad);
        }
        verifyNoInteractions(imagebuilder);
    }

    @Test
    @SuppressWarnings("unchecked")
    void transientFailureFailsTheInvocationSoLambdaRetries() {
        reset(imagebuilder);
        when(imagebuilder.startImagePipelineExecution(any(Consumer.class))).thenThrow(
                Failures.of(ServiceUnavailableException.builder(), 503, "ServiceUnavailableException", "try later"));
        assertThrows(IllegalStateException.class, () -> run(TestFiles.stream(EVENTS + "object-created.json")));
    }
}
