package io.amirollout.invoker;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Env;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import software.amazon.awssdk.services.lambda.LambdaClient;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.Ami;
import software.amazon.awssdk.services.imagebuilder.model.GetImageResponse;
import software.amazon.awssdk.services.imagebuilder.model.Image;
import software.amazon.awssdk.services.imagebuilder.model.ImageState;
import software.amazon.awssdk.services.imagebuilder.model.OutputResources;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.amirollout.invoker.Fakes.account;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** Every file in events/cross-account-invoker/ through the Lambda runtime's own types and as raw bytes. */
class CrossAccountInvokerHandlerTest {

    static final String EVENTS = "../../events/cross-account-invoker/";
    static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";

    private OrganizationsClient organizations;
    private ImagebuilderClient imagebuilder;
    private List<AssumeRoleRequest> assumed;
    private StsClient sts;
    private Fakes.Lambdas lambdas;
    private RecordingPublisher publisher;
    private CrossAccountInvokerHandler handler;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        organizations = TargetAccountsTest.organizations();
        doReturn(ListAccountsResponse.builder().accounts(account("444455556666", "ACTIVE", "ACTIVE"),
                account("555566667777", "ACTIVE", "ACTIVE")).build())
                .when(organizations).listAccounts(any(ListAccountsRequest.class));
        imagebuilder = mock(ImagebuilderClient.class);
        when(imagebuilder.getImage(any(Consumer.class))).thenReturn(GetImageResponse.builder().image(Image.builder()
                .arn(IMAGE_ARN).name("golden-al2023").version("1.0.3/4").state(ImageState.builder().status("AVAILABLE").build())
                .sourcePipelineArn(InvokerWorld.PIPELINE)
                .outputResources(OutputResources.builder().amis(
                        Ami.builder().region("eu-west-1").image("ami-0a1b2c3d4e5f60718").accountId("111122223333").build(),
                        Ami.builder().region("us-east-1").image("ami-0f9e8d7c6b5a49382").accountId("111122223333").build())
                        .build()).build()).build());
        assumed = new CopyOnWriteArrayList<>();
        sts = Fakes.sts(assumed, new HashMap<>());
        lambdas = new Fakes.Lambdas();
        publisher = new RecordingPublisher();
        table = new InMemoryStateTable();
        self = mock(LambdaClient.class);
        handler = new CrossAccountInvokerHandler(new CrossAccountInvokerService(CrossAccountInvokerConfig.from(Env.of(Map.of(
                "TARGET_ROLE_NAME", "ami-rollout-invoke", "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh",
                "SOURCE_PIPELINE_ARNS", InvokerWorld.PIPELINE, "STATE_TABLE_NAME", "state"))),
                organizations, imagebuilder, sts, lambdas, region -> ProtocolTest.sharedWithOrganization(), table, publisher,
                Clock.fixed(Instant.parse("2026-11-21T10:45:00Z"), ZoneOffset.UTC)), () -> self);
    }

    private InMemoryStateTable table;
    private LambdaClient self;

    private JsonNode run(InputStream input) {
        JsonNode results = StreamInvocation.invoke(handler, input, new FakeContext("cross-account-invoker", 900_000)).get("results");
        assertEquals(1, results.size());
        return results.get(0);
    }

    @ParameterizedTest
    @Event(value = EVENTS + "sns-image-available.json", type = SNSEvent.class)
    void snsImageAvailable(SNSEvent event) {
        assertEquals("arn:aws:sns:eu-west-1:111122223333:ami-rollout-image-notices", event.getRecords().get(0).getSNS().getTopicArn());
        assertTrue(event.getRecords().get(0).getSNS().getMessage().contains("\"AVAILABLE\""));
        JsonNode result = run(TestFiles.stream(EVENTS + "sns-image-available.json"));
        assertEquals("FANNED_OUT", result.get("status").asText());
        assertEquals(4, result.get("succeeded").asInt());
        assertEquals(4, lambdas.calls.size());
        assertEquals(IMAGE_ARN, result.get("imageArn").asText());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "sns-image-failed.json", type = SNSEvent.class)
    void snsImageFailed(SNSEvent event) {
        assertTrue(event.getRecords().get(0).getSNS().getMessage().contains("\"FAILED\""));
        JsonNode result = run(TestFiles.stream(EVENTS + "sns-image-failed.json"));
        assertEquals("IMAGE_BUILD_FAILED", result.get("status").asText());
        assertEquals("IMAGE_BUILD_FAILED", publisher.only().kind().name());
        assertTrue(lambdas.calls.isEmpty());
    }

    @ParameterizedTest
    @Event(value = EVENTS + "eventbridge-image-available.json", type = ScheduledEvent.class)
    void eventBridgeImageStateChange(ScheduledEvent event) {
        assertEquals("EC2 Image Builder Image State Change", event.getDetailType());
        assertEquals(List.of(IMAGE_ARN), event.getResources());
        JsonNode result = run(TestFiles.stream(EVENTS + "eventbridge-image-available.json"));
        assertEquals("FANNED_OUT", result.get("status").asText());
        assertEquals(4, result.get("succeeded").asInt());
        verify(imagebuilder).getImage(any(Consumer.class));
    }

    @Test
    void imageJsonInvokedByHandWithDryRun() {
        String event = TestFiles.read(EVENTS + "image-available.json").replaceFirst("\\{", "{\"dryRun\": true,");
        JsonNode result = run(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
        assertEquals("DRY_RUN", result.get("status").asText());
        assertEquals(4, result.get("dryRunTargets").size());
        verifyNoInteractions(sts);
        assertTrue(lambdas.calls.isEmpty());
    }

    @Test
    void imageJsonInvokedByHand() {
        JsonNode result = run(TestFiles.stream(EVENTS + "image-available.json"));
        assertEquals("FANNED_OUT", result.get("status").asText());
        assertEquals("image-json", result.get("shape").asText());
    }

    @Test
    void invalidEventsAnswerWithTheReasonAndCallNothing() {
        for (String bad : List.of("", "not json", "{\"foo\":\"bar\"}",
                "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":\"not an image\"}}]}")) {
            JsonNode result = run(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)));
            assertEquals("INVALID_EVENT", result.get("status").asText(), bad);
            assertNotNull(result.get("reason"));
        }
        verifyNoInteractions(sts);
        verify(organizations, never()).listAccounts(any(ListAccountsRequest.class));
    }

    @Test
    void aRedriveRequestRetriesWhatWasNotInvoked() {
        run(TestFiles.stream(EVENTS + "sns-image-available.json"));
        JsonNode result = run(TestFiles.stream(EVENTS + "redrive.json"));
        assertEquals("FANNED_OUT", result.get("status").asText(), result.toString());
        assertEquals(1, result.get("round").asInt());
        assertEquals(4, lambdas.calls.size(), "everything was invoked the first time: nothing to redo");
        assertEquals(2, publisher.ofKind(io.amirollout.shared.NotificationKind.FANOUT_COMPLETED).size());
    }

    @Test
    void aContinuationCarriesTheFanOutOnAndOurRequestsRefuseUnknownFields() {
        JsonNode unknown = run(new ByteArrayInputStream("{\"redrive\":\"%s\",\"force\":true}".formatted(IMAGE_ARN)
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("INVALID_EVENT", unknown.get("status").asText());
        assertTrue(unknown.get("reason").asText().contains("force"));
        JsonNode noRecord = run(TestFiles.stream(EVENTS + "continuation.json"));
        assertEquals("INVALID_EVENT", noRecord.get("status").asText(), "no fan-out record for that image yet");
        verifyNoInteractions(sts);
    }

    @Test
    void nothingAttemptedFailsTheInvocation() {
        doThrow(Fakes.error(software.amazon.awssdk.services.organizations.model.TooManyRequestsException.builder(), 400,
                "TooManyRequestsException", "AWS Organizations can't complete your request because another request is already in progress."))
                .when(organizations).listAccounts(any(ListAccountsRequest.class));
        assertThrows(FanOutAbortedException.class, () -> run(TestFiles.stream(EVENTS + "sns-image-available.json")));
    }
}
