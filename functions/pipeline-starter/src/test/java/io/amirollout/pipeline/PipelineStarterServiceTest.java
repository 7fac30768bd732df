package io.amirollout.pipeline;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.CallRateLimitExceededException;
import software.amazon.awssdk.services.imagebuilder.model.ForbiddenException;
import software.amazon.awssdk.services.imagebuilder.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.imagebuilder.model.InvalidRequestException;
import software.amazon.awssdk.services.imagebuilder.model.ResourceInUseException;
import software.amazon.awssdk.services.imagebuilder.model.ResourceNotFoundException;
import software.amazon.awssdk.services.imagebuilder.model.ServiceUnavailableException;
import software.amazon.awssdk.services.imagebuilder.model.StartImagePipelineExecutionRequest;
import software.amazon.awssdk.services.imagebuilder.model.StartImagePipelineExecutionResponse;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

class PipelineStarterServiceTest {

    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";
    static final String IMAGE = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    private ImagebuilderClient imagebuilder;
    private RecordingPublisher publisher;
    private InMemoryStateTable table;

    @BeforeEach
    void setUp() {
        imagebuilder = mock(ImagebuilderClient.class);
        publisher = new RecordingPublisher();
        table = new InMemoryStateTable();
    }

    private PipelineStarterService service(boolean dryRun) {
        return new PipelineStarterService(new PipelineStarterConfig(PIPELINE, "payloads", "builds/", ".sh", null, dryRun, "t"),
                imagebuilder, publisher, new ProcessedEvents(table), CLOCK);
    }

    private static Candidate payload(String key, String version, Long size) {
        return Candidate.of(new PayloadObject("test", "payloads", key, version, "etag1", "seq1", "req1", size, "ev1"));
    }

    @SuppressWarnings("unchecked")
    private List<StartImagePipelineExecutionRequest> startRequests() {
        ArgumentCaptor<Consumer<StartImagePipelineExecutionRequest.Builder>> captor = ArgumentCaptor.forClass(Consumer.class);
        verify(imagebuilder, atLeast(0)).startImagePipelineExecution(captor.capture());
        return captor.getAllValues().stream().map(c -> {
            StartImagePipelineExecutionRequest.Builder b = StartImagePipelineExecutionRequest.builder();
            c.accept(b);
            return b.build();
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private void answer(Object... results) {
        var stub = when(imagebuilder.startImagePipelineExecution(any(Consumer.class)));
        for (Object result : results) {
            stub = result instanceof RuntimeException e ? stub.thenThrow(e) : stub.thenReturn((StartImagePipelineExecutionResponse) result);
        }
    }

    private static StartImagePipelineExecutionResponse started() {
        return StartImagePipelineExecutionResponse.builder().imageBuildVersionArn(IMAGE).clientToken("t").requestId("r").build();
    }

    @Test
    void startsThePipelineWithATokenAndTagsFromTheObject() {
        answer(started());
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/golden al2023.sh", "v1", 100L)), false);

        StartImagePipelineExecutionRequest request = startRequests().get(0);
        assertEquals(PIPELINE, request.imagePipelineArn());
        assertEquals(ClientTokens.forObject(PIPELINE, payload("builds/golden al2023.sh", "v1", 100L).object()), request.clientToken());
        assertEquals(Map.of(PayloadBinding.TAG_BUCKET, "payloads",
                PayloadBinding.TAG_KEY, "builds/golden al2023.sh",
                PayloadBinding.TAG_KEY_B64 + "1", "YnVpbGRzL2dvbGRlbiBhbDIwMjMuc2g=",
                PayloadBinding.TAG_VERSION, "v1", PayloadBinding.TAG_ETAG, "etag1"), request.tags());
        assertEquals("builds/golden al2023.sh", PayloadBinding.decodeKey(request.tags()));
        assertEquals(1, result.started());
        assertEquals(IMAGE, result.outcomes().get(0).imageBuildVersionArn());
        Notification notice = publisher.only();
        assertEquals(NotificationKind.PIPELINE_STARTED, notice.kind());
        assertEquals(IMAGE, notice.details().get("imageBuildVersionArn"));
        assertEquals("payloads", notice.details().get("bucket"));
        assertEquals("builds/golden al2023.sh", notice.details().get("key"));
        assertEquals("v1", notice.details().get("versionId"));
        assertEquals(IMAGE, notice.correlationId(), "the image ARN links this notice to the rest of the rollout");
        assertEquals("111122223333", notice.accountId());
        assertEquals("2026-11-21T10:00:00Z", notice.time());
        IamActions.assertListed("iam-actions.txt", Map.of("imagebuilder", imagebuilder));
        assertEquals(1, table.writes(), "one notice marker");
    }

    @Test
    void duplicateDeliveryUsesTheSameTokenAndImageBuilderAnswersWithTheSameBuild() {
        answer(started(), started());
        PipelineStarterService service = service(false);
        service.handle(List.of(payload("builds/x.sh", "v1", 10L)), false);
        service.handle(List.of(payload("builds/x.sh", "v1", 10L)), false);
        List<StartImagePipelineExecutionRequest> requests = startRequests();
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).clientToken(), requests.get(1).clientToken());
        assertEquals(requests.get(0), requests.get(1), "identical parameters: Image Builder treats the retry as the same request");
        assertEquals(1, publisher.ofKind(NotificationKind.PIPELINE_STARTED).size(), "one PIPELINE_STARTED per upload");
    }

    @Test
    void duplicateDeliveryOfAPermanentFailureSendsOneFailedNotice() {
        answer(Failures.of(ResourceNotFoundException.builder(), 404, "ResourceNotFoundException", "no pipeline"),
                Failures.of(ResourceNotFoundException.builder(), 404, "ResourceNotFoundException", "no pipeline"));
        PipelineStarterService service = service(false);
        service.handle(List.of(payload("builds/x.sh", "v1", 10L)), false);
        PipelineStarterResult again = service.handle(List.of(payload("builds/x.sh", "v1", 10L)), false);
        assertEquals(1, again.failed());
        assertEquals(1, publisher.ofKind(NotificationKind.PIPELINE_START_FAILED).size());
    }

    @Test
    void anUploadWithoutVersionOrEtagIsRefusedBecauseTheBuildCouldNotBeBoundToIt() {
        PipelineStarterResult result = service(false).handle(List.of(Candidate.of(
                new PayloadObject("t", "payloads", "builds/x.sh", null, null, null, "req9", 5L, "ev9"))), false);
        verifyNoInteractions(imagebuilder);
        assertEquals(ObjectOutcome.Status.FAILED, result.outcomes().get(0).status());
        assertTrue(result.outcomes().get(0).reason().contains("versioning"), result.outcomes().get(0).reason());
        assertEquals(NotificationKind.PIPELINE_START_FAILED, publisher.only().kind());
        assertFalse(result.retryable());
    }

    @Test
    void keysAreTaggedExactlyEvenWhenLongOrFullOfOddCharacters() {
        answer(started());
        String key = "builds/ spaced ,;#?%" + "é".repeat(300) + " .sh";
        service(false).handle(List.of(payload(key, "v1", 5L)), false);
        Map<String, String> tags = startRequests().get(0).tags();
        assertEquals(key, PayloadBinding.decodeKey(tags));
        assertTrue(tags.values().stream().allMatch(v -> v.length() <= 256), "Image Builder tag values are at most 256 characters");
        assertTrue(tags.size() <= 50);
    }

    @Test
    void duplicateDeliveryRefusedAsIdempotentMismatchIsAlreadyStartedNotAFailure() {
        answer(Failures.of(IdempotentParameterMismatchException.builder(), 400, "IdempotentParameterMismatchException",
                "The client token has already been used with different parameters."));
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/x.sh", "v1", 10L)), false);
        assertEquals(ObjectOutcome.Status.ALREADY_STARTED, result.outcomes().get(0).status());
        assertEquals(1, result.alreadyStarted());
        assertEquals(0, result.failed());
        assertFalse(result.retryable());
        assertTrue(publisher.ofKind(NotificationKind.PIPELINE_START_FAILED).isEmpty());
    }

    @Test
    void objectsThatAreNotPayloadsChangeNothing() {
        PipelineStarterResult result = service(false).handle(List.of(
                Candidate.of(new PayloadObject("t", "other-bucket", "builds/x.sh", null, "e", "s", null, 5L, null)),
                payload("other/x.sh", null, 5L),
                payload("builds/x.txt", null, 5L),
                payload("builds/", null, 0L),
                Candidate.skip("S3 event ObjectRemoved:Delete does not create an object", "payloads", "builds/x.sh")), false);
        verifyNoInteractions(imagebuilder);
        assertEquals(5, result.skipped());
        assertTrue(result.outcomes().get(0).reason().contains("other-bucket"));
        assertTrue(result.outcomes().get(1).reason().contains("prefix"));
        assertTrue(result.outcomes().get(2).reason().contains("suffix"));
        assertTrue(result.outcomes().get(3).reason().contains("folder"));
        assertTrue(result.outcomes().get(4).reason().contains("ObjectRemoved"));
        assertTrue(publisher.all().isEmpty(), "unrelated objects are not worth a notice");
    }

    @Test
    void emptyPayloadIsSkippedWithANotice() {
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/x.sh", "v1", 0L)), false);
        verifyNoInteractions(imagebuilder);
        assertEquals(ObjectOutcome.Status.SKIPPED, result.outcomes().get(0).status());
        assertTrue(result.outcomes().get(0).reason().contains("empty"));
        assertEquals(NotificationKind.PIPELINE_SKIPPED, publisher.only().kind());
    }

    @Test
    void unknownSizeIsNotTreatedAsEmpty() {
        answer(started());
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/x.sh", "v1", null)), false);
        assertEquals(1, result.started(), "CloudTrail records may not carry a size");
    }

    @Test
    void dryRunFromConfigurationOrEventStartsNothing() {
        PipelineStarterResult fromConfig = service(true).handle(List.of(payload("builds/x.sh", "v1", 5L)), false);
        PipelineStarterResult fromEvent = service(false).handle(List.of(payload("builds/x.sh", "v1", 5L)), true);
        verifyNoInteractions(imagebuilder);
        for (PipelineStarterResult r : List.of(fromConfig, fromEvent)) {
            assertTrue(r.dryRun());
            assertEquals(ObjectOutcome.Status.DRY_RUN, r.outcomes().get(0).status());
            assertNotNull(r.outcomes().get(0).clientToken());
        }
        assertEquals(2, publisher.all().size());
        publisher.all().forEach(n -> {
            assertTrue(n.title().startsWith("[dry run]"));
            assertEquals(Boolean.TRUE, n.details().get("dryRun"));
        });
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(Failures.of(ResourceNotFoundException.builder(), 404, "ResourceNotFoundException",
                        "The image pipeline does not exist."), "does not exist", false),
                Arguments.of(Failures.of(ForbiddenException.builder(), 403, "ForbiddenException",
                        "You are not authorized to perform this operation."), "access denied", false),
                Arguments.of(Failures.generic(403, "AccessDeniedException",
                        "User is not authorized to perform: imagebuilder:StartImagePipelineExecution"), "access denied", false),
                Arguments.of(Failures.of(ResourceInUseException.builder(), 400, "ResourceInUseException",
                        "The resource is in use."), "in use", true),
                Arguments.of(Failures.of(InvalidRequestException.builder(), 400, "InvalidRequestException",
                        "Image pipeline is DISABLED and cannot be started."), "disabled", false),
                Arguments.of(Failures.of(CallRateLimitExceededException.builder(), 429, "CallRateLimitExceededException",
                        "Rate exceeded"), "throttled", true),
                Arguments.of(Failures.of(ServiceUnavailableException.builder(), 503, "ServiceUnavailableException",
                        "Service unavailable"), "service error", true),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request: connect timed out"), "no answer", true));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresAreReportedWithTheServiceReason(RuntimeException error, String reason, boolean retryable) {
        answer(error);
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/x.sh", "v1", 5L)), false);
        ObjectOutcome outcome = result.outcomes().get(0);
        assertEquals(ObjectOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.reason().contains(reason), outcome.reason());
        assertEquals(retryable, result.retryable());
        if (retryable) {
            // The handler fails the invocation and Lambda retries: no notice for an attempt that will be repeated.
            assertTrue(publisher.all().isEmpty());
            return;
        }
        Notification notice = publisher.only();
        assertEquals(NotificationKind.PIPELINE_START_FAILED, notice.kind());
        assertEquals(outcome.reason(), notice.details().get("reason"));
        if (error instanceof AwsServiceException e) {
            assertEquals(e.awsErrorDetails().errorCode(), notice.details().get("errorCode"));
        }
    }

    @Test
    void oneFailedObjectDoesNotStopTheOthers() {
        answer(Failures.of(ResourceNotFoundException.builder(), 404, "ResourceNotFoundException", "gone"), started());
        PipelineStarterResult result = service(false).handle(List.of(payload("builds/a.sh", "v1", 5L),
                payload("builds/b.sh", "v1", 5L)), false);
        assertEquals(1, result.failed());
        assertEquals(1, result.started());
        assertEquals(2, startRequests().size());
    }

    @Test
    void aMalformedRecordIsReportedAndTheValidOnesStillStart() {
        answer(started());
        PipelineStarterResult result = service(false).handle(List.of(Candidate.invalid("Records[0]: no 's3' object"),
                payload("builds/b.sh", "v1", 5L)), false);
        assertEquals(ObjectOutcome.Status.INVALID, result.outcomes().get(0).status());
        assertEquals(1, result.invalid());
        assertEquals(1, result.started());
    }

    @Test
    void readableTagValuesFollowImageBuilderRules() {
        assertEquals("a_b_c (1).sh".replace("(", "_").replace(")", "_"), PayloadBinding.readable("a,b;c (1).sh"));
        assertEquals(256, PayloadBinding.readable("k".repeat(1024)).length());
        assertEquals("builds/x+y=z@v-1.sh", PayloadBinding.readable("builds/x+y=z@v-1.sh"));
    }
}
