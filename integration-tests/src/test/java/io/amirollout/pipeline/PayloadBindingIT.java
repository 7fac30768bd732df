package io.amirollout.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.amirollout.it.ImageBuilderEmulator;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.StateTableInMoto;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "This uploaded script becomes this image": two uploads of the same key in quick succession start two
 * builds; each build's payload component — functions/pipeline-starter/component/run-payload.sh itself, run
 * under bash with the real AWS CLI — finds its own image build version through the build instance's
 * Ec2ImageBuilderArn tag (an instance in moto's EC2), reads the payload tags pipeline-starter set (the
 * emulated Image Builder's GetImage) and runs exactly its own object version from moto's versioned S3.
 * The instance metadata service is a local stand-in that names the instance.
 */
class PayloadBindingIT extends MotoScenario {

    static final String BUCKET = "ami-rollout-payloads-" + Moto.ACCOUNT;
    static final String KEY = "payloads/golden al2023+hotfix.sh";
    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image-pipeline/golden-al2023";
    static final Path SCRIPT = Path.of("..", "functions", "pipeline-starter", "component", "run-payload.sh");

    S3Client s3;
    Ec2Client ec2;
    PipelineStarterHandler handler;
    HttpServer imds;
    volatile String instanceId;

    @BeforeEach
    void seed() throws IOException {
        s3 = Moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(r -> r.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        ec2 = Moto.client(Ec2Client.builder());
        front.imageBuilder().pipeline(PIPELINE, "golden-al2023", "1.0.3");
        PipelineStarterConfig config = PipelineStarterConfig.from(Env.of(Map.of("PIPELINE_ARN", PIPELINE,
                "PAYLOAD_BUCKET", BUCKET, "PAYLOAD_PREFIX", "payloads/", "STATE_TABLE_NAME", "ami-rollout-state")));
        handler = new PipelineStarterHandler(new PipelineStarterService(config, AwsClients.build(ImagebuilderClient.builder()),
                NotificationPublisher.logOnly(), new ProcessedEvents(StateTableInMoto.create("ami-rollout-state")), CLOCK));
        // IMDSv2 stand-in: a token, then the instance id and region of "this" build instance.
        imds = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        imds.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String answer = switch (path) {
                case "/latest/api/token" -> "PUT".equals(exchange.getRequestMethod()) ? "imds-token" : null;
                case "/latest/meta-data/instance-id" -> instanceId;
                case "/latest/meta-data/placement/region" -> "eu-west-1";
                default -> null;
            };
            boolean authorised = path.equals("/latest/api/token")
                    || "imds-token".equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"));
            byte[] body = answer == null || !authorised ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : authorised ? 200 : 401, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        imds.start();
    }

    @AfterEach
    void stopImds() {
        imds.stop(0);
    }

    @Test
    void twoUploadsInQuickSuccessionBuildTwoImagesEachRunningItsOwnVersion(@TempDir Path dir) throws Exception {
        PutObjectResponse first = upload("#!/bin/bash\necho first > \"$MARKER\"\n");
        PutObjectResponse second = upload("#!/bin/bash\necho second > \"$MARKER\"\n");
        assertNotEquals(first.versionId(), second.versionId());

        // The events may arrive in either order; the second upload's event first here.
        JsonNode startedSecond = invoke(PipelineStarterIT.objectCreated(BUCKET, KEY, second, 40)).get("outcomes").get(0);
        JsonNode startedFirst = invoke(PipelineStarterIT.objectCreated(BUCKET, KEY, first, 39)).get("outcomes").get(0);
        assertEquals("STARTED", startedFirst.get("status").asText());
        assertEquals("STARTED", startedSecond.get("status").asText());

        List<ImageBuilderEmulator.Execution> builds = front.imageBuilder().started();
        assertEquals(2, builds.size(), "two uploads, two builds");
        Map<String, String> versionByImage = new HashMap<>();
        builds.forEach(b -> versionByImage.put(b.imageBuildVersionArn(), b.tags().get("ami-rollout:payload-version")));
        assertEquals(second.versionId(), versionByImage.get(startedSecond.get("imageBuildVersionArn").asText()));
        assertEquals(first.versionId(), versionByImage.get(startedFirst.get("imageBuildVersionArn").asText()));

        // Both builds run at the same time; each component finds its own payload.
        Run firstBuild = runComponent(dir, startedFirst.get("imageBuildVersionArn").asText(), ".sh");
        Run secondBuild = runComponent(dir, startedSecond.get("imageBuildVersionArn").asText(), ".sh");

        assertEquals(0, firstBuild.exit(), firstBuild.output());
        assertEquals("first", firstBuild.marker(), firstBuild.output());
        assertTrue(firstBuild.output().contains("version " + first.versionId()), firstBuild.output());
        assertEquals(0, secondBuild.exit(), secondBuild.output());
        assertEquals("second", secondBuild.marker(), secondBuild.output());
    }

    @Test
    void aBuildWithoutPayloadTagsFailsInsteadOfRunningWhateverIsNewest(@TempDir Path dir) throws Exception {
        upload("#!/bin/bash\necho newest > \"$MARKER\"\n");
        // Started by hand (console "Run pipeline"): the image build version has no payload tags.
        String manual = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image/golden-al2023/1.0.3/9";
        front.imageBuilder().image(manual, "golden-al2023", "1.0.3/9", "BUILDING", List.of());

        Run run = runComponent(dir, manual, ".sh");

        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("names no payload"), run.output());
        assertEquals("", run.marker(), "nothing ran");
    }

    @Test
    void theBuildAppliesTheSameSuffixRuleAsTheFunction(@TempDir Path dir) throws Exception {
        PutObjectResponse put = upload("#!/bin/bash\necho ran > \"$MARKER\"\n");
        String image = invoke(PipelineStarterIT.objectCreated(BUCKET, KEY, put, 30)).get("outcomes").get(0)
                .get("imageBuildVersionArn").asText();

        assertEquals("ran", runComponent(dir, image, "*").marker(), "a whole suffix of * accepts any key");
        Run literal = runComponent(dir, image, "*.sh");
        assertNotEquals(0, literal.exit(), "any other * is literal: the key does not end with '*.sh'");
        assertTrue(literal.output().contains("does not end with *.sh"), literal.output());
    }

    private PutObjectResponse upload(String script) {
        return s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromString(script));
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext("pipeline-starter", 30_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }

    record Run(int exit, String output, String marker) {
    }

    /** A build instance in moto tagged as Image Builder tags it, and the component script run on "it". */
    private Run runComponent(Path dir, String imageBuildVersionArn, String suffix) throws Exception {
        instanceId = ec2.runInstances(r -> r.imageId(Workload.NEW_AMI).minCount(1).maxCount(1).instanceType("t4g.medium")
                .tagSpecifications(t -> t.resourceType("instance").tags(
                        tag -> tag.key("Ec2ImageBuilderArn").value(imageBuildVersionArn),
                        tag -> tag.key("CreatedBy").value("EC2 Image Builder")))).instances().get(0).instanceId();
        String script = Files.readString(SCRIPT)
                .replaceFirst("(?m)^PAYLOAD_BUCKET=.*$", "PAYLOAD_BUCKET='" + BUCKET + "'")
                .replaceFirst("(?m)^PAYLOAD_PREFIX=.*$", "PAYLOAD_PREFIX='payloads/'")
                .replaceFirst("(?m)^PAYLOAD_SUFFIX=.*$", "PAYLOAD_SUFFIX='" + suffix + "'");
        Path component = Files.writeString(dir.resolve("component-" + instanceId + ".sh"), script);
        Path marker = dir.resolve("marker-" + instanceId);
        Files.writeString(marker, "");
        Path config = Files.writeString(dir.resolve("aws-config"), "[default]\nregion = eu-west-1\ns3 =\n    addressing_style = path\n");
        ProcessBuilder process = new ProcessBuilder("bash", component.toString()).redirectErrorStream(true);
        Map<String, String> env = process.environment();
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + imds.getAddress().getPort());
        env.put("AWS_ENDPOINT_URL", front.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("MARKER", marker.toString());
        Process running = process.start();
        String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(running.waitFor(120, TimeUnit.SECONDS), "the component finishes");
        return new Run(running.exitValue(), output, Files.readString(marker).strip());
    }
}
