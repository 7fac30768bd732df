package io.amirollout.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

/** The real Image Builder client against WireMock speaking Image Builder's REST-JSON protocol. */
class ImagebuilderProtocolTest {

    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";
    static final String IMAGE = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private ImagebuilderClient client;
    private RecordingPublisher publisher;
    private PipelineStarterService service;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        client = endpoint.client(ImagebuilderClient.builder());
        publisher = new RecordingPublisher();
        service = new PipelineStarterService(new PipelineStarterConfig(PIPELINE, "payloads", "", ".sh", null, false, "t"),
                client, publisher, new io.amirollout.shared.state.ProcessedEvents(new io.amirollout.shared.testing.InMemoryStateTable()), Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        client.close();
        endpoint.stop();
    }

    private static Candidate payload() {
        return Candidate.of(new PayloadObject("test", "payloads", "golden al2023.sh", "v1", "e1", "s1", "r1", 10L, "ev1"));
    }

    private static String error(String message) {
        return "{\"message\":\"" + message + "\"}";
    }

    @Test
    void startIsAPutWithTokenPipelineAndTags() {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(okJson("""
                {"requestId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","clientToken":"t","imageBuildVersionArn":"%s"}"""
                .formatted(IMAGE))));

        PipelineStarterResult result = service.handle(List.of(payload()), false);

        assertEquals(IMAGE, result.outcomes().get(0).imageBuildVersionArn());
        server.verify(1, putRequestedFor(urlEqualTo("/StartImagePipelineExecution"))
                .withHeader("Content-Type", containing("application/json")));
        JsonNode body = Json.readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertEquals(PIPELINE, body.get("imagePipelineArn").asText());
        assertEquals(ClientTokens.forObject(PIPELINE, payload().object()), body.get("clientToken").asText());
        assertEquals("golden al2023.sh", body.get("tags").get("ami-rollout:payload-key").asText());
        assertEquals("payloads", body.get("tags").get("ami-rollout:payload-bucket").asText());
    }

    @Test
    void missingPipelineIsResourceNotFound() {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(aResponse().withStatus(404)
                .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                .withHeader("Content-Type", "application/json")
                .withBody(error("The resource ARN " + PIPELINE + " does not exist."))));

        ObjectOutcome outcome = service.handle(List.of(payload()), false).outcomes().get(0);

        assertEquals(ObjectOutcome.Status.FAILED, outcome.status());
        assertEquals("ResourceNotFoundException", outcome.errorCode());
        assertTrue(outcome.reason().contains("does not exist"), outcome.reason());
        assertEquals("PIPELINE_START_FAILED", publisher.only().kind().name());
    }

    @Test
    void forbiddenIsAccessDenied() {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(aResponse().withStatus(403)
                .withHeader("x-amzn-ErrorType", "ForbiddenException")
                .withBody(error("You are not authorized to perform this operation."))));
        ObjectOutcome outcome = service.handle(List.of(payload()), false).outcomes().get(0);
        assertEquals("ForbiddenException", outcome.errorCode());
        assertTrue(outcome.reason().startsWith("access denied"), outcome.reason());
    }

    @Test
    void reusedTokenAnsweredWithIdempotentMismatchIsAlreadyStarted() {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(aResponse().withStatus(400)
                .withHeader("x-amzn-ErrorType", "IdempotentParameterMismatchException")
                .withBody(error("The client token has already been used with different parameters."))));
        PipelineStarterResult result = service.handle(List.of(payload()), false);
        assertEquals(ObjectOutcome.Status.ALREADY_STARTED, result.outcomes().get(0).status());
        assertEquals(0, result.failed());
    }

    @Test
    void throttledCallIsRetriedBySdkThenSucceeds() {
        server.stubFor(put("/StartImagePipelineExecution").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("x-amzn-ErrorType", "CallRateLimitExceededException")
                        .withBody(error("Rate exceeded"))).willSetStateTo("ok"));
        server.stubFor(put("/StartImagePipelineExecution").inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"imageBuildVersionArn\":\"" + IMAGE + "\"}")));

        PipelineStarterResult result = service.handle(List.of(payload()), false);

        assertEquals(1, result.started());
        server.verify(2, putRequestedFor(urlEqualTo("/StartImagePipelineExecution")));
        List<String> tokens = server.getAllServeEvents().stream()
                .map(e -> Json.readTree(e.getRequest().getBodyAsString()).get("clientToken").asText()).distinct().toList();
        assertEquals(1, tokens.size(), "the SDK's retry resends the same client token");
    }
}
