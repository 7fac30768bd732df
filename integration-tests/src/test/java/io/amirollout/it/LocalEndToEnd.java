package io.amirollout.it;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.amirollout.invoker.CrossAccountInvokerConfig;
import io.amirollout.invoker.CrossAccountInvokerService;
import io.amirollout.invoker.LambdaClientFactory;
import io.amirollout.pipeline.PipelineStarterConfig;
import io.amirollout.pipeline.PipelineStarterService;
import io.amirollout.refresh.InstanceRefreshConfig;
import io.amirollout.refresh.InstanceRefreshService;
import io.amirollout.rollback.RollbackOnAlarmConfig;
import io.amirollout.rollback.RollbackService;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.slack.SlackNotifierConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The whole chain, locally, against moto: S3 upload → pipeline-starter → (emulated) Image Builder
 * build AVAILABLE → cross-account-invoker → instance-refresh in a workload account → CloudWatch alarm
 * → rollback-on-alarm → notices → slack-notifier → a local Slack sink. Each function is its real
 * handler with its real configuration parsing and production-built SDK clients; only the endpoint
 * is local. Run by scripts/local-e2e.sh (docs/LOCAL-RUN.md); set -Dverbose=true for every log line.
 */
public final class LocalEndToEnd {

    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:" + Moto.ACCOUNT + ":image-pipeline/golden-al2023";
    static final String BUCKET = "ami-rollout-payloads-" + Moto.ACCOUNT;
    static final String KEY = "payloads/golden-al2023.sh";
    static final String WEBHOOK_PATH = "/services/T0LOCAL/B0LOCAL/local-demo-token";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:30:00Z"), ZoneOffset.UTC);
    static final boolean VERBOSE = Boolean.getBoolean("verbose");

    private final AwsFront front;
    private final List<TopicQueue> noticeTopics = new ArrayList<>();
    private int step;

    private LocalEndToEnd(AwsFront front) {
        this.front = front;
    }

    public static void main(String[] args) {
        Moto.reset();
        WireMockServer slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (AwsFront front = AwsFront.start().routeFunctionsHere()) {
            System.out.println("ami-rollout, local end-to-end run: moto at " + Moto.endpoint() + ", functions reach it through "
                    + front.endpoint() + " (aws.endpointUrl), Slack sink at " + AwsFront.loopback(slack));
            new LocalEndToEnd(front).run(slack);
            System.out.println("\nDone: every step above ran the real handler against moto. See docs/LOCAL-RUN.md for what is emulated.");
        } finally {
            slack.stop();
        }
    }

    private void run(WireMockServer slack) {
        // --- seed ------------------------------------------------------------------------------
        step("seed the infra account " + Moto.ACCOUNT);
        S3Client s3 = Moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(r -> r.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        TopicQueue infraNotices = TopicQueue.create("ami-rollout-notices");
        noticeTopics.add(infraNotices);
        TopicQueue imageTopic = TopicQueue.create("ami-rollout-image-notices");
        Moto.client(SecretsManagerClient.builder()).createSecret(r -> r.name("ami-rollout/slack-webhook")
                .secretString("{\"webhookUrl\":\"" + AwsFront.loopback(slack) + WEBHOOK_PATH + "\"}"));
        front.imageBuilder().pipeline(PIPELINE, "golden-al2023", "1.0.3");
        say("bucket s3://%s (versioned), topics ami-rollout-notices and ami-rollout-image-notices, Slack webhook secret,", BUCKET);
        say("Image Builder pipeline %s (emulated: moto has no Image Builder)", PIPELINE);
        Organization org = Organization.create();
        org.deployFunction(org.active(), List.of(Region.EU_WEST_1, Region.EU_CENTRAL_1));
        say("organization: prod-a %s (OU workloads/prod), prod-b %s (OU workloads), closed %s (SUSPENDED), sandbox %s (outside the OU)",
                org.prodA, org.prodB, org.closed, org.sandbox);

        step("seed the workload account prod-a " + org.prodA);
        Workload workload = Workload.seed(front, org.prodA);
        TopicQueue workloadNotices = TopicQueue.create("ami-rollout-notices", null, org.prodA);
        noticeTopics.add(workloadNotices);
        say("VPC %s, subnets %s, launch templates %s", workload.vpcId, workload.subnetIds, workload.templates.keySet());
        say("groups: web-latest ($Latest), api-default ($Default), worker-pinned (version 2, alarms worker-errors), batch-mixed (mixed instances),");
        say("        reports-window (window Wednesday 15:00), legacy-untagged (not enabled), classic-lc (launch configuration)");
        say("AMIs (integration-tests/moto/amis.json): trusted %s running, trusted %s new, public look-alike %s from %s",
                Workload.OLD_AMI, Workload.NEW_AMI, Workload.LOOKALIKE_AMI, Moto.LOOKALIKE_ACCOUNT);

        // --- S3 → pipeline-starter -------------------------------------------------------------
        step("a build payload lands in S3");
        PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromString("#!/bin/bash\ndnf -y update\n"));
        say("PutObject %s version %s", KEY, put.versionId());

        step("pipeline-starter receives the S3 \"Object Created\" event");
        PipelineStarterConfig pipelineConfig = PipelineStarterConfig.from(Env.of(Map.of("PIPELINE_ARN", PIPELINE,
                "PAYLOAD_BUCKET", BUCKET, "PAYLOAD_PREFIX", "payloads/", "NOTIFICATION_TOPIC_ARN", infraNotices.topicArn(),
                "STATE_TABLE_NAME", "ami-rollout-infra-state")));
        io.amirollout.shared.state.StateTable infraTable = StateTableInMoto.create("ami-rollout-infra-state");
        RequestStreamHandler pipelineStarter = io.amirollout.pipeline.LocalAccess.handler(new PipelineStarterService(pipelineConfig,
                AwsClients.build(ImagebuilderClient.builder()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), infraNotices.topicArn()),
                new io.amirollout.shared.state.ProcessedEvents(infraTable), CLOCK));
        String objectCreated = """
                {"version":"0","id":"7f1c2a3b-1111-2222-3333-444455556666","detail-type":"Object Created","source":"aws.s3",
                 "account":"%s","time":"2026-11-21T10:00:00Z","region":"eu-west-1","resources":["arn:aws:s3:::%s"],
                 "detail":{"version":"0","bucket":{"name":"%s"},"object":{"key":"%s","size":28,"etag":"%s","version-id":"%s",
                 "sequencer":"0067BEEF00000001"},"request-id":"R7K2M9Q4X1B5C8D3","requester":"%s","reason":"PutObject"}}
                """.formatted(Moto.ACCOUNT, BUCKET, BUCKET, KEY, put.eTag().replace("\"", ""), put.versionId(), Moto.ACCOUNT);
        JsonNode started = invoke("pipeline-starter", pipelineStarter, objectCreated).get("outcomes").get(0);
        say("%s: build %s (client token %s)", started.get("status").asText(), started.path("imageBuildVersionArn").asText(),
                started.get("clientToken").asText());
        JsonNode again = invoke("pipeline-starter", pipelineStarter, objectCreated).get("outcomes").get(0);
        say("the same event again (at-least-once delivery): %s, same token, Image Builder builds started in all: %d",
                again.get("status").asText(), front.imageBuilder().started().size());

        // --- Image Builder finishes ------------------------------------------------------------
        step("Image Builder (emulated) finishes the build and publishes the image to its SNS topic");
        String imageArn = started.path("imageBuildVersionArn").asText();
        ObjectNode image = Json.MAPPER.createObjectNode();
        image.put("arn", imageArn).put("name", "golden-al2023").put("version", "1.0.3").put("type", "AMI").put("platform", "Linux");
        image.putObject("state").put("status", "AVAILABLE");
        image.put("sourcePipelineArn", PIPELINE).put("accountId", Moto.ACCOUNT);
        var amis = image.putObject("outputResources").putArray("amis");
        amis.addObject().put("region", "eu-west-1").put("image", Workload.NEW_AMI).put("name", "golden-al2023 2026-11-21T10-00-00Z").put("accountId", Moto.IMAGE_ACCOUNT);
        amis.addObject().put("region", "eu-central-1").put("image", Workload.NEW_AMI_EU_CENTRAL).put("name", "golden-al2023 2026-11-21T10-00-00Z").put("accountId", Moto.IMAGE_ACCOUNT);
        Moto.client(SnsClient.builder()).publish(r -> r.topicArn(imageTopic.topicArn()).message(Json.write(image)));
        JsonNode imageEnvelope = imageTopic.drain().get(0);
        say("AVAILABLE: eu-west-1 %s, eu-central-1 %s", Workload.NEW_AMI, Workload.NEW_AMI_EU_CENTRAL);

        // --- cross-account-invoker -------------------------------------------------------------
        step("cross-account-invoker receives the image notice (SNS) and fans out over the organization");
        CrossAccountInvokerConfig invokerConfig = CrossAccountInvokerConfig.from(Env.of(Map.of(
                "TARGET_ROLE_NAME", Organization.ROLE, "TARGET_FUNCTION_NAME", Organization.FUNCTION,
                "ORGANIZATIONAL_UNITS", org.workloadsOu, "NOTIFICATION_TOPIC_ARN", infraNotices.topicArn(),
                "SOURCE_PIPELINE_ARNS", PIPELINE, "STATE_TABLE_NAME", "ami-rollout-infra-state")));
        // The invoker confirms the image with GetImage: the emulated Image Builder now knows the finished image.
        front.imageBuilder().image(imageArn, "golden-al2023", imageArn.substring(imageArn.indexOf("/1.0") + 1), "AVAILABLE", List.of(
                new ImageBuilderEmulator.Ami("eu-west-1", Workload.NEW_AMI, "golden-al2023 2026-11-21T10-00-00Z", Moto.IMAGE_ACCOUNT),
                new ImageBuilderEmulator.Ami("eu-central-1", Workload.NEW_AMI_EU_CENTRAL, "golden-al2023 2026-11-21T10-00-00Z", Moto.IMAGE_ACCOUNT)));
        RequestStreamHandler invoker = io.amirollout.invoker.LocalAccess.handler(new CrossAccountInvokerService(invokerConfig,
                AwsClients.build(OrganizationsClient.builder()), AwsClients.build(ImagebuilderClient.builder()),
                AwsClients.build(StsClient.builder()), LambdaClientFactory.sharedPerRegion(),
                region -> SharedImage.withOrganization(), infraTable,
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), infraNotices.topicArn()), CLOCK));
        JsonNode fanOut = invoke("cross-account-invoker", invoker, lambdaSnsEvent(imageEnvelope)).get("results").get(0);
        say("%d succeeded, %d failed, %d skipped (OU %s, recursive; SUSPENDED and outside accounts are not targets)",
                fanOut.get("succeeded").asInt(), fanOut.get("failed").asInt(), fanOut.get("skipped").asInt(), org.workloadsOu);
        for (LambdaInvokeEmulator.Invocation invocation : front.lambda().invocations()) {
            JsonNode payload = invocation.json();
            say("  Invoke (Event) %s with %s", invocation.functionArn(), payload.get("amis").toString());
        }

        // --- instance-refresh in prod-a --------------------------------------------------------
        step("instance-refresh runs in prod-a eu-west-1 with the payload it was invoked with");
        AwsCredentialsProvider prodA = credentials(org.prodA);
        TopicQueue notices = workloadNotices;
        InstanceRefreshConfig refreshConfig = InstanceRefreshConfig.from(Env.of(Map.of(
                "TRUSTED_IMAGE_OWNERS", Moto.IMAGE_ACCOUNT, "NOTIFICATION_TOPIC_ARN", notices.topicArn(),
                "STATE_TABLE_NAME", StateTableInMoto.NAME)));
        software.amazon.awssdk.services.dynamodb.DynamoDbClient stateClient = AwsClients.build(
                software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), Region.EU_WEST_1, prodA);
        stateClient.createTable(r -> r.tableName(StateTableInMoto.NAME)
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        RequestStreamHandler refresh = io.amirollout.refresh.LocalAccess.handler(new InstanceRefreshService(refreshConfig, "eu-west-1",
                AwsClients.build(Ec2Client.builder(), Region.EU_WEST_1, prodA),
                AwsClients.build(AutoScalingClient.builder(), Region.EU_WEST_1, prodA),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder(), Region.EU_WEST_1, prodA), notices.topicArn()),
                new io.amirollout.shared.state.GroupLedger(new io.amirollout.shared.state.DynamoStateTable(stateClient, StateTableInMoto.NAME)),
                CLOCK));
        String payload = front.lambda().invocations().stream()
                .filter(i -> i.functionArn().contains(":eu-west-1:" + org.prodA + ":")).findFirst().orElseThrow().payload();
        JsonNode refreshed = invoke("instance-refresh", refresh, payload);
        for (JsonNode group : refreshed.get("groups")) {
            say("%-16s %-20s %s", group.get("autoScalingGroup").asText(), group.get("outcome").asText(), group.get("reason").asText());
        }
        for (String group : Workload.STARTING) {
            InstanceRefreshEmulator.Refresh r = front.refreshes().refreshes(group).get(0);
            say("  StartInstanceRefresh %s → version %s, preferences %s", group, r.desiredVersion(), r.preferences);
        }

        // --- alarm → rollback-on-alarm -----------------------------------------------------------
        step("CloudWatch alarm worker-errors goes into ALARM during worker-pinned's refresh");
        RollbackOnAlarmConfig rollbackConfig = RollbackOnAlarmConfig.from(Env.of(Map.of("NOTIFICATION_TOPIC_ARN", notices.topicArn(),
                "STATE_TABLE_NAME", "ami-rollout-state")));
        RequestStreamHandler rollback = io.amirollout.rollback.LocalAccess.handler(new RollbackService(
                AwsClients.build(AutoScalingClient.builder(), Region.EU_WEST_1, prodA),
                // This run shows the rollback of an active refresh, which needs no record; a table in memory will do.
                new io.amirollout.shared.testing.InMemoryStateTable(),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder(), Region.EU_WEST_1, prodA), notices.topicArn()),
                rollbackConfig, CLOCK));
        String alarm = """
                {"version":"0","id":"3f1c9a52-7d0e-4b8a-9c61-2e5d8f4a1b07","detail-type":"CloudWatch Alarm State Change",
                 "source":"aws.cloudwatch","account":"%s","time":"2026-11-21T10:40:00Z","region":"eu-west-1",
                 "resources":["arn:aws:cloudwatch:eu-west-1:%s:alarm:worker-errors"],
                 "detail":{"alarmName":"worker-errors","state":{"value":"ALARM","reason":"Threshold Crossed","timestamp":"2026-11-21T10:40:00.000+0000"},
                 "previousState":{"value":"OK","reason":"Threshold Crossed","timestamp":"2026-11-21T10:00:00.000+0000"},
                 "configuration":{"metrics":[{"id":"m1","metricStat":{"metric":{"namespace":"AmiRollout/ECS","name":"TaskErrorEvents",
                 "dimensions":{"ClusterName":"worker"}},"period":300,"stat":"Sum"},"returnData":true}]}}}
                """.formatted(org.prodA, org.prodA);
        for (JsonNode group : invoke("rollback-on-alarm", rollback, alarm).get("groups")) {
            say("%-16s %-20s %s", group.get("autoScalingGroup").asText(), group.get("outcome").asText(), group.get("reason").asText());
        }
        say("refresh of worker-pinned is now %s", front.refreshes().refreshes("worker-pinned").get(0).status);
        for (JsonNode group : invoke("rollback-on-alarm", rollback, alarm).get("groups")) {
            say("the same alarm again: %s %s", group.get("autoScalingGroup").asText(), group.get("outcome").asText());
        }

        // --- notices → slack-notifier → Slack ----------------------------------------------------
        step("every notice on the notifications topics goes to slack-notifier, and on to Slack");
        RequestStreamHandler slackNotifier = io.amirollout.slack.LocalAccess.handler(io.amirollout.slack.LocalAccess.production(
                SlackNotifierConfig.from(Env.of(Map.of(SlackNotifierConfig.SECRET_ID, "ami-rollout/slack-webhook")))));
        for (TopicQueue topic : noticeTopics) {
            for (JsonNode envelope : topic.drain()) {
                JsonNode result = invoke("slack-notifier", slackNotifier, lambdaSnsEvent(envelope));
                JsonNode message = result.get("messages").get(0);
                say("%-8s %-9s %s", message.get("severity").asText(), message.get("outcome").asText(), message.get("title").asText());
            }
        }
        List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlPathEqualTo(WEBHOOK_PATH)));
        say("the Slack sink received %d Block Kit messages; the first one:", posts.size());
        if (!posts.isEmpty()) {
            say("%s", posts.get(0).getBodyAsString());
        }
    }

    /** What the function's own execution role gives it in that account (moto maps the keys to the account). */
    private static AwsCredentialsProvider credentials(String account) {
        Credentials c = Moto.client(StsClient.builder()).assumeRole(r -> r
                .roleArn("arn:aws:iam::" + account + ":role/ami-rollout-instance-refresh").roleSessionName("local-e2e")).credentials();
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    static String lambdaSnsEvent(JsonNode envelope) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns").put("EventVersion", "1.0")
                .put("EventSubscriptionArn", envelope.get("TopicArn").asText() + ":2b5f3c4d-1111-2222-3333-444455556666");
        record.set("Sns", envelope);
        return Json.write(event);
    }

    /** Runs a handler as Lambda would; its JSON log lines are shown only with -Dverbose=true. */
    private JsonNode invoke(String function, RequestStreamHandler handler, String event) {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext(function, 300_000));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            System.setOut(original);
        }
        if (VERBOSE) {
            logs.toString(StandardCharsets.UTF_8).lines().forEach(l -> System.out.println("      | " + l));
        }
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private void step(String title) {
        System.out.printf("%n[%d] %s%n", ++step, title);
    }

    private static void say(String format, Object... args) {
        System.out.println("    " + String.format(format, args));
    }
}
