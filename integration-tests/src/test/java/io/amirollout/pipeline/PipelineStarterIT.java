package io.amirollout.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.ImageBuilderEmulator;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.StateTableInMoto;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.it.TopicQueue;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Scenario 1: a build payload lands in a versioned bucket in moto; the S3 "Object Created" event
 * (built from moto's real PutObject answer) starts one Image Builder pipeline execution with a
 * deterministic client token; the same event again starts nothing new.
 */
class PipelineStarterIT extends MotoScenario {

    static final String BUCKET = "ami-rollout-payloads-" + Moto.ACCOUNT;
    static final String KEY = "payloads/golden-al2023.sh";
    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image-pipeline/golden-al2023";

    S3Client s3;
    TopicQueue notices;
    PipelineStarterHandler handler;

    @BeforeEach
    void seed() {
        s3 = Moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(r -> r.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        notices = TopicQueue.create("ami-rollout-notices");
        front.imageBuilder().pipeline(PIPELINE, "golden-al2023", "1.0.3");

        PipelineStarterConfig config = PipelineStarterConfig.from(Env.of(Map.of(
                "PIPELINE_ARN", PIPELINE, "PAYLOAD_BUCKET", BUCKET, "PAYLOAD_PREFIX", "payloads/",
                "NOTIFICATION_TOPIC_ARN", notices.topicArn(), "STATE_TABLE_NAME", "ami-rollout-state")));
        handler = new PipelineStarterHandler(new PipelineStarterService(config, AwsClients.build(ImagebuilderClient.builder()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                new ProcessedEvents(StateTableInMoto.create("ami-rollout-state")), CLOCK));
    }

    @Test
    void oneUploadStartsOneBuildWithADeterministicTokenEvenWhenTheEventComesTwice() {
        PutObjectResponse put = upload("#!/bin/bash\ndnf -y update\n");
        String event = objectCreated(put, 27);

        JsonNode first = invoke(event);
        JsonNode second = invoke(event);

        JsonNode firstOutcome = first.get("outcomes").get(0);
        JsonNode secondOutcome = second.get("outcomes").get(0);
        assertEquals("STARTED", firstOutcome.get("status").asText(), first.toString());
        String token = firstOutcome.get("clientToken").asText();
        assertEquals(36, token.length(), "Image Builder client tokens are 1-36 characters");
        assertEquals(token, secondOutcome.get("clientToken").asText(), "a redelivered event carries the same token");
        assertEquals(firstOutcome.get("imageBuildVersionArn").asText(), secondOutcome.path("imageBuildVersionArn").asText(
                firstOutcome.get("imageBuildVersionArn").asText()), "the redelivery is answered with the same build");

        // What reached Image Builder: two requests, one token, one build.
        List<ImageBuilderEmulator.Execution> builds = front.imageBuilder().started();
        assertEquals(1, builds.size(), "one build for one upload");
        assertEquals(PIPELINE, builds.get(0).pipelineArn());
        assertEquals(token, builds.get(0).clientToken());
        assertEquals(Map.of("ami-rollout:payload-bucket", BUCKET, "ami-rollout:payload-key", KEY,
                "ami-rollout:payload-key-b64-1", java.util.Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8)),
                "ami-rollout:payload-version", put.versionId(), "ami-rollout:payload-etag", put.eTag().replace("\"", "")),
                builds.get(0).tags());
        long requests = front.requests().stream().filter(r -> r.getUrl().startsWith("/StartImagePipelineExecution")).count();
        assertEquals(2, requests, "each delivery asked once; Image Builder's token made the second a no-op");

        // The notice went through moto's SNS to a subscribed queue.
        List<JsonNode> envelopes = notices.drain();
        assertEquals(1, envelopes.size(), "one PIPELINE_STARTED for two deliveries (marker in moto's DynamoDB)");
        JsonNode notice = Json.readTree(envelopes.get(0).get("Message").asText());
        assertEquals("PIPELINE_STARTED", notice.get("kind").asText());
        assertEquals(builds.get(0).imageBuildVersionArn(), notice.get("details").get("imageBuildVersionArn").asText());
        assertEquals("PIPELINE_STARTED", TopicQueue.attributes(envelopes.get(0)).get("kind"));
    }

    @Test
    void aNewVersionOfThePayloadStartsANewBuild() {
        JsonNode first = invoke(objectCreated(upload("#!/bin/bash\necho one\n"), 22));
        JsonNode second = invoke(objectCreated(upload("#!/bin/bash\necho two\n"), 22));

        String firstToken = first.get("outcomes").get(0).get("clientToken").asText();
        String secondToken = second.get("outcomes").get(0).get("clientToken").asText();
        assertNotEquals(firstToken, secondToken, "a new S3 version is a new build");
        assertEquals(2, front.imageBuilder().started().size());
    }

    @Test
    void anObjectOutsideThePrefixStartsNothing() {
        PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key("notes/readme.sh"), RequestBody.fromString("echo"));
        JsonNode result = invoke(objectCreated(BUCKET, "notes/readme.sh", put, 4));

        assertEquals("SKIPPED", result.get("outcomes").get(0).get("status").asText(), result.toString());
        assertEquals(0, front.imageBuilder().started().size());
        assertEquals(0, front.requests().stream().filter(r -> r.getUrl().startsWith("/StartImagePipelineExecution")).count());
    }

    @Test
    void aMissingPipelineIsReportedWithImageBuildersReason() {
        front.imageBuilder().reset(); // the pipeline does not exist

        JsonNode result = invoke(objectCreated(upload("#!/bin/bash\necho\n"), 17));

        JsonNode outcome = result.get("outcomes").get(0);
        assertEquals("FAILED", outcome.get("status").asText(), result.toString());
        assertEquals("ResourceNotFoundException", outcome.get("errorCode").asText(), result.toString());
        JsonNode notice = notices.drainMessages().get(0);
        assertEquals("PIPELINE_START_FAILED", notice.get("kind").asText());
    }

    private PutObjectResponse upload(String script) {
        PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromString(script));
        assertNotNull(put.versionId(), "the bucket is versioned in moto");
        return put;
    }

    private String objectCreated(PutObjectResponse put, long size) {
        return objectCreated(BUCKET, KEY, put, size);
    }

    /** The EventBridge event S3 sends for this upload, with moto's real version id and ETag. */
    static String objectCreated(String bucket, String key, PutObjectResponse put, long size) {
        return """
                {"version":"0","id":"7f1c2a3b-1111-2222-3333-444455556666","detail-type":"Object Created","source":"aws.s3",
                 "account":"%s","time":"2026-11-21T10:29:58Z","region":"eu-west-1","resources":["arn:aws:s3:::%s"],
                 "detail":{"version":"0","bucket":{"name":"%s"},
                   "object":{"key":"%s","size":%d,"etag":"%s","version-id":"%s","sequencer":"0067BEEF00000001"},
                   "request-id":"R7K2M9Q4X1B5C8D3","requester":"%s","source-ip-address":"198.51.100.24","reason":"PutObject"}}
                """.formatted(Moto.ACCOUNT, bucket, bucket, key, size, put.eTag().replace("\"", ""), put.versionId(), Moto.ACCOUNT);
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("pipeline-starter", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
