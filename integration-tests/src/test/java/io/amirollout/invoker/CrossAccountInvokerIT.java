package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.it.ImageBuilderEmulator;
import io.amirollout.it.SharedImage;
import io.amirollout.it.StateTableInMoto;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;
import io.amirollout.it.LambdaInvokeEmulator;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.Organization;
import io.amirollout.it.TopicQueue;
import io.amirollout.it.Workload;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 2: an Image Builder AVAILABLE notice fans out over an organization created in moto
 * ({@link Organization}): AssumeRole into, and an asynchronous Invoke of instance-refresh in,
 * exactly the ACTIVE accounts of the configured OU (recursively), once per region of the image,
 * each payload carrying that region's AMI.
 */
class CrossAccountInvokerIT extends MotoScenario {

    static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image/golden-al2023/1.0.3/1";
    static final List<Region> REGIONS = List.of(Region.EU_WEST_1, Region.EU_CENTRAL_1);

    Organization org;
    TopicQueue notices;
    CrossAccountInvokerHandler handler;

    @BeforeEach
    void seed() {
        org = Organization.create();
        org.deployFunction(List.of(org.prodA, org.prodB, org.closed, org.sandbox), REGIONS);
        notices = TopicQueue.create("ami-rollout-notices");
        CrossAccountInvokerConfig config = CrossAccountInvokerConfig.from(Env.of(Map.of(
                "TARGET_ROLE_NAME", Organization.ROLE, "TARGET_FUNCTION_NAME", Organization.FUNCTION,
                "ORGANIZATIONAL_UNITS", org.workloadsOu, "NOTIFICATION_TOPIC_ARN", notices.topicArn(),
                "MAX_CONCURRENCY", "4", "SOURCE_PIPELINE_ARNS", PIPELINE, "STATE_TABLE_NAME", "ami-rollout-state")));
        table = StateTableInMoto.create("ami-rollout-state");
        handler = new CrossAccountInvokerHandler(new CrossAccountInvokerService(config,
                AwsClients.build(OrganizationsClient.builder()), AwsClients.build(ImagebuilderClient.builder()),
                AwsClients.build(StsClient.builder()), LambdaClientFactory.sharedPerRegion(),
                region -> SharedImage.withOrganization(), table,
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()), CLOCK));
        // Every AVAILABLE notice is confirmed with GetImage (AMIs, source pipeline).
        front.imageBuilder().image(IMAGE_ARN, "golden-al2023", "1.0.3/1", "AVAILABLE", List.of(
                new ImageBuilderEmulator.Ami("eu-west-1", Workload.NEW_AMI, "golden-al2023 2026-11-21T10-00-00Z", Moto.IMAGE_ACCOUNT),
                new ImageBuilderEmulator.Ami("eu-central-1", Workload.NEW_AMI_EU_CENTRAL, "golden-al2023 2026-11-21T10-00-00Z", Moto.IMAGE_ACCOUNT)));
    }

    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image-pipeline/golden-al2023";
    StateTable table;

    @Test
    void anAvailableImageInvokesInstanceRefreshInEveryActiveAccountOfTheOuWithEachRegionsAmi() {
        JsonNode result = invoke(snsImageNotice("AVAILABLE")).get("results").get(0);

        assertEquals(4, result.get("succeeded").asInt(), result.toString());
        assertEquals(0, result.get("failed").asInt(), result.toString());
        List<String> skipped = new java.util.ArrayList<>();
        result.get("skippedAccounts").forEach(a -> skipped.add(a.get("accountId").asText()));
        assertEquals(List.of(org.closed), skipped, "the SUSPENDED account is reported as skipped: " + result);

        // AssumeRole (moto STS) into exactly the active accounts under the OU, never the closed or outside one.
        Set<String> assumed = front.queryCalls("AssumeRole").stream().map(c -> c.get("RoleArn")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of(role(org.prodA), role(org.prodB))), assumed);

        // Invoke: asynchronous, in the assumed account (moto resolved the caller's credentials to it), per region.
        List<LambdaInvokeEmulator.Invocation> invocations = front.lambda().invocations();
        Set<String> arns = invocations.stream().map(LambdaInvokeEmulator.Invocation::functionArn).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        for (String account : List.of(org.prodA, org.prodB)) {
            for (Region region : REGIONS) {
                expected.add("arn:aws:lambda:" + region.id() + ":" + account + ":function:" + Organization.FUNCTION);
            }
        }
        assertEquals(expected, arns);
        for (LambdaInvokeEmulator.Invocation invocation : invocations) {
            assertEquals("Event", invocation.invocationType());
            String region = invocation.functionArn().split(":")[3];
            JsonNode payload = invocation.json();
            assertEquals("1", payload.get("version").asText());
            assertEquals("golden-al2023", payload.get("image").get("name").asText());
            String expectedAmi = region.equals("eu-west-1") ? Workload.NEW_AMI : Workload.NEW_AMI_EU_CENTRAL;
            boolean carriesIt = false;
            for (JsonNode ami : payload.get("amis")) {
                if (region.equals(ami.get("region").asText())) {
                    assertEquals(expectedAmi, ami.get("imageId").asText(), region + ": " + payload);
                    carriesIt = true;
                }
            }
            assertTrue(carriesIt, "the payload for " + region + " carries that region's AMI: " + payload);
        }

        List<String> kinds = notices.drainMessages().stream().map(n -> n.get("kind").asText()).toList();
        assertEquals(List.of("FANOUT_COMPLETED"), kinds);

        // The record in moto's DynamoDB: one INVOKED item per target; the same notice again changes nothing.
        List<StateItem> records = table.query("release#" + IMAGE_ARN, "target#");
        assertEquals(4, records.size(), records.toString());
        assertTrue(records.stream().allMatch(r -> "INVOKED".equals(r.getOrNull("state")) && "1".equals(r.getOrNull("attempts"))));
        JsonNode again = invoke(snsImageNotice("AVAILABLE")).get("results").get(0);
        assertEquals("DUPLICATE", again.get("status").asText(), again.toString());
        assertEquals(4, front.lambda().invocations().size());
        assertTrue(notices.drainMessages().isEmpty(), "no second FANOUT_COMPLETED");
    }

    @Test
    void oneAccountMissingTheFunctionDoesNotStopTheOthers() {
        org.deleteFunction(org.prodB, Region.EU_CENTRAL_1);

        JsonNode result = invoke(snsImageNotice("AVAILABLE")).get("results").get(0);

        assertEquals(3, result.get("succeeded").asInt(), result.toString());
        assertEquals(0, result.get("failed").asInt(), result.toString());
        assertEquals(1, result.get("notDeployed").asInt(), "no function there: NOT_DEPLOYED, not a failure: " + result);
        StateItem missing = table.get("release#" + IMAGE_ARN, "target#" + org.prodB + "#eu-central-1").orElseThrow();
        assertEquals("NOT_DEPLOYED", missing.getOrNull("state"));
        assertEquals(3, front.lambda().invocations().size());
    }

    @Test
    void theEventBridgeStateChangeIsCompletedWithGetImage() {
        JsonNode result = invoke("""
                {"version":"0","id":"4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a","detail-type":"EC2 Image Builder Image State Change",
                 "source":"aws.imagebuilder","account":"%s","time":"2026-11-21T10:42:16Z","region":"eu-west-1",
                 "resources":["%s"],"detail":{"previous-state":{"status":"DISTRIBUTING"},"state":{"status":"AVAILABLE"}}}
                """.formatted(Moto.ACCOUNT, IMAGE_ARN)).get("results").get(0);

        assertEquals(4, result.get("succeeded").asInt(), result.toString());
        assertTrue(front.requests().stream().anyMatch(r -> r.getUrl().startsWith("/GetImage")));
    }

    @Test
    void aFailedBuildInvokesNothing() {
        invoke(snsImageNotice("FAILED"));

        assertTrue(front.lambda().invocations().isEmpty());
        assertTrue(front.queryCalls("AssumeRole").isEmpty());
        List<String> kinds = notices.drainMessages().stream().map(n -> n.get("kind").asText()).toList();
        assertEquals(List.of("IMAGE_BUILD_FAILED"), kinds);
    }

    private static String role(String account) {
        return "arn:aws:iam::" + account + ":role/" + Organization.ROLE;
    }

    /** The Lambda SNS event carrying Image Builder's image message, as its SNS topic delivers it. */
    static String snsImageNotice(String status) {
        ObjectNode image = Json.MAPPER.createObjectNode();
        image.put("versionlessArn", "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image/golden-al2023");
        image.put("arn", IMAGE_ARN);
        image.put("name", "golden-al2023");
        image.put("version", "1.0.3");
        image.put("type", "AMI");
        image.put("buildVersion", 1);
        image.putObject("state").put("status", status);
        image.put("platform", "Linux");
        image.put("sourcePipelineArn", "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image-pipeline/golden-al2023");
        image.put("accountId", Moto.ACCOUNT);
        if (status.equals("AVAILABLE")) {
            var amis = image.putObject("outputResources").putArray("amis");
            amis.addObject().put("region", "eu-west-1").put("image", Workload.NEW_AMI)
                    .put("name", "golden-al2023 2026-11-21T10-00-00Z").put("accountId", Moto.IMAGE_ACCOUNT);
            amis.addObject().put("region", "eu-central-1").put("image", Workload.NEW_AMI_EU_CENTRAL)
                    .put("name", "golden-al2023 2026-11-21T10-00-00Z").put("accountId", Moto.IMAGE_ACCOUNT);
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventVersion", "1.0").put("EventSource", "aws:sns")
                .put("EventSubscriptionArn", "arn:aws:sns:eu-west-1:" + Moto.ACCOUNT + ":ami-rollout-image-notices:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification").put("MessageId", "b7e4a0c2-9d1f-5e3a-8c6b-2f4d1e0a9b8c")
                .put("TopicArn", "arn:aws:sns:eu-west-1:" + Moto.ACCOUNT + ":ami-rollout-image-notices")
                .put("Timestamp", "2026-11-21T10:42:17.381Z").put("Message", Json.write(image));
        sns.putObject("MessageAttributes");
        return Json.write(event);
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("cross-account-invoker", 300_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
