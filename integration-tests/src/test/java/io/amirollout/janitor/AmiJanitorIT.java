package io.amirollout.janitor;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.amirollout.it.Moto;
import io.amirollout.it.QueryForm;
import io.amirollout.it.Workload;
import io.amirollout.shared.Env;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ami-janitor against moto (AMIs, snapshots, tags, deregistration, launch templates and groups in another
 * account, DynamoDB for the state table) over simulated weeks. moto does not implement image usage reports or
 * Enable/DisableImageDeprecation (it answers 500), so a WireMock front answers those in EC2's wire format and
 * proxies everything else to moto. (A snapshot shared by two AMIs cannot be made in moto, whose RegisterImage
 * always creates a new snapshot: JanitorScenarioTest covers it with its fake EC2.)
 */
class AmiJanitorIT {

    static final String INFRA = Moto.ACCOUNT;
    static final String WORKLOAD = "444455556666";
    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    static WireMockServer front;
    /** The janitor's EC2, through the front. */
    Ec2Client ec2;
    /** The test's own EC2, straight to moto: seeding is not what the janitor did. */
    Ec2Client seedEc2;
    DynamoDbClient dynamo;
    StateTable table;
    SimulatedClock clock;
    /** image id -> accounts the (emulated) usage report finds it running in; absent = no report yet. */
    final Map<String, List<String>> usage = new LinkedHashMap<>();

    static final class SimulatedClock extends Clock {
        Instant now;

        SimulatedClock(Instant now) {
            this.now = now;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @BeforeAll
    static void startFront() {
        front = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        front.start();
    }

    @AfterAll
    static void stopFront() {
        front.stop();
    }

    @BeforeEach
    void seed() {
        Moto.reset();
        front.resetAll();
        front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(Moto.endpoint().toString())));
        for (String action : List.of("EnableImageDeprecation", "DisableImageDeprecation")) {
            ec2Answer(action, null, 1, "<return>true</return>");
        }
        ec2Answer("DescribeImageUsageReports", null, 5, "<imageUsageReportSet/>");
        ec2Answer("CreateImageUsageReport", null, 5, "<reportId>amiur-0000000000000000r</reportId>");
        ec2 = Moto.client(Ec2Client.builder(), null, Moto.REGION, frontUri());
        seedEc2 = Moto.client(Ec2Client.builder());
        dynamo = Moto.client(DynamoDbClient.builder());
        dynamo.createTable(r -> r.tableName("ami-rollout-state").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        table = new DynamoStateTable(dynamo, "ami-rollout-state");
        // moto stamps AMIs with the real time: the janitor lives 100 days later.
        clock = new SimulatedClock(Instant.now().plus(Duration.ofDays(100)));
    }

    private static java.net.URI frontUri() {
        return java.net.URI.create("http://127.0.0.1:" + front.port());
    }

    private static void ec2Answer(String action, String bodyContains, int priority, String body) {
        var mapping = post(urlPathEqualTo("/")).atPriority(priority).withRequestBody(containing("Action=" + action + "&"));
        if (bodyContains != null) {
            mapping = mapping.withRequestBody(containing(bodyContains));
        }
        front.stubFor(mapping.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody("<" + action + "Response xmlns=\"" + NS + "\"><requestId>r</requestId>" + body + "</" + action + "Response>")));
    }

    /** Each image with a usage answer gets an available report made an hour ago (by the simulated clock). */
    private void reportsReady() {
        usage.forEach((imageId, accounts) -> {
            String reportId = "amiur-" + imageId.substring(4);
            Instant created = clock.now.minus(Duration.ofHours(1));
            ec2Answer("DescribeImageUsageReports", "ImageId.1=" + imageId, 2, "<imageUsageReportSet><item><imageId>" + imageId
                    + "</imageId><reportId>" + reportId + "</reportId><state>available</state><creationTime>" + created
                    + "</creationTime></item></imageUsageReportSet>");
            StringBuilder entries = new StringBuilder("<imageUsageReportEntrySet>");
            for (String account : accounts) {
                entries.append("<item><resourceType>ec2:Instance</resourceType><reportId>").append(reportId)
                        .append("</reportId><usageCount>3</usageCount><accountId>").append(account).append("</accountId><imageId>")
                        .append(imageId).append("</imageId></item>");
            }
            ec2Answer("DescribeImageUsageReportEntries", "ReportId.1=" + reportId, 2, entries + "</imageUsageReportEntrySet>");
        });
    }

    /** An AMI of this pipeline, made in moto from an instance (moto creates its snapshot), tagged as Image Builder does. */
    private String pipelineAmi(String label, Map<String, String> extraTags) {
        String instance = seedEc2.runInstances(r -> r.imageId(Workload.OLD_AMI).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        String imageId = seedEc2.createImage(r -> r.instanceId(instance).name("golden-al2023 " + label)).imageId();
        seedEc2.terminateInstances(r -> r.instanceIds(instance));
        List<Tag> tags = new ArrayList<>(List.of(Tag.builder().key("CreatedBy").value("EC2 Image Builder").build(),
                Tag.builder().key("Ec2ImageBuilderArn").value("arn:aws:imagebuilder:eu-west-1:" + INFRA
                        + ":image/golden-al2023/1.0." + label.length() + "/1").build()));
        extraTags.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        seedEc2.createTags(r -> r.resources(imageId).tags(tags));
        return imageId;
    }

    private String newestAfterASecond() throws InterruptedException {
        Thread.sleep(1_100); // moto's creation dates have whole seconds
        return pipelineAmi("newest", Map.of());
    }

    private JanitorService janitor(Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("INFRA_ACCOUNT_ID", INFRA, "IMAGE_NAMES", "golden-al2023",
                "REGIONS", "eu-west-1", "WORKLOAD_ROLE_NAME", "ami-rollout-invoker-access", "STATE_TABLE_NAME", "ami-rollout-state",
                "DRY_RUN", "false", "KEEP_NEWEST", "1", "WORKLOAD_ACCOUNTS", WORKLOAD));
        env.putAll(overrides);
        JanitorConfig config = JanitorConfig.from(Env.of(env));
        WorkloadGroups.Clients clients = new WorkloadGroups.Clients() {
            @Override
            public AutoScalingClient autoScaling(String account, String region) {
                return Moto.client(AutoScalingClient.builder(), account, Moto.REGION, frontUri());
            }

            @Override
            public Ec2Client ec2(String account, String region) {
                return Moto.client(Ec2Client.builder(), account, Moto.REGION, frontUri());
            }
        };
        return new JanitorService(config, region -> ec2, new WorkloadGroups(config, clients), table,
                NotificationPublisher.logOnly(), clock);
    }

    private JanitorResult run(Map<String, String> overrides) {
        reportsReady();
        return janitor(overrides).run(false, () -> 600_000);
    }

    private JanitorResult run() {
        return run(Map.of());
    }

    private void days(int n) {
        for (int i = 0; i < n; i++) {
            clock.now = clock.now.plus(Duration.ofDays(1));
            run();
        }
    }

    private Image image(String imageId) {
        List<Image> images = seedEc2.describeImages(r -> r.imageIds(imageId).owners(INFRA)).images();
        return images.isEmpty() ? null : images.get(0);
    }

    private String tag(String imageId, String key) {
        return image(imageId).tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    private List<String> snapshots() {
        return seedEc2.describeSnapshots(r -> r.ownerIds("self")).snapshots().stream().map(s -> s.snapshotId()).toList();
    }

    private List<String> calls(String action) {
        return front.getAllServeEvents().stream().map(e -> QueryForm.parse(e.getRequest().getBodyAsString()))
                .filter(p -> action.equals(p.get("Action"))).map(p -> p.getOrDefault("ImageId", p.getOrDefault("SnapshotId", "")))
                .toList();
    }

    private List<String> mutations() {
        List<String> all = new ArrayList<>();
        for (String action : List.of("CreateTags", "DeleteTags", "EnableImageDeprecation", "DisableImageDeprecation",
                "DeregisterImage", "DeleteSnapshot")) {
            calls(action).forEach(id -> all.add(action + " " + id));
        }
        return all;
    }

    @Test
    void markedThenUnusedForSevenDaysIsDeregisteredWithItsSnapshot() throws InterruptedException {
        String old = pipelineAmi("old", Map.of());
        String snapshot = image(old).blockDeviceMappings().get(0).ebs().snapshotId();
        String newest = newestAfterASecond();
        usage.put(old, List.of());
        usage.put(newest, List.of());

        JanitorResult first = run();
        assertEquals(1, first.marked(), first.table());
        String after = tag(old, JanitorTags.DEREGISTER_AFTER);
        assertEquals(clock.now.plus(Duration.ofDays(7)).toString(), after);
        assertEquals(List.of(old), calls("EnableImageDeprecation"), "deprecated at the deregistration date");
        assertNull(tag(newest, JanitorTags.DEREGISTER_AFTER), "the newest is kept");

        days(6);
        assertTrue(image(old) != null, "not before the date");
        days(1);
        assertNull(image(old), "deregistered in moto");
        assertFalse(snapshots().contains(snapshot), "with its snapshot");
        assertTrue(image(newest) != null);
        assertEquals("DEREGISTERED", table.get("janitor#eu-west-1", "ami#" + old).orElseThrow().getOrNull("state"));
    }

    @Test
    void anAmiOnlyARollbackTargetReferencesIsNeverMarked() throws InterruptedException {
        String rollback = pipelineAmi("rollback", Map.of());
        String newest = newestAfterASecond();
        usage.put(rollback, List.of());
        usage.put(newest, List.of());
        // The workload account: web-asg runs v2 (newest AMI); v1, with the older AMI, is what it rolls back to.
        Ec2Client workloadEc2 = Moto.client(Ec2Client.builder(), WORKLOAD, Moto.REGION);
        AutoScalingClient workloadAsg = Moto.client(AutoScalingClient.builder(), WORKLOAD, Moto.REGION);
        String vpc = workloadEc2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
        String subnet = workloadEc2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.1.0/24").availabilityZone("eu-west-1a"))
                .subnet().subnetId();
        String template = workloadEc2.createLaunchTemplate(r -> r.launchTemplateName("web").launchTemplateData(
                RequestLaunchTemplateData.builder().imageId(rollback).instanceType("t3.micro").build())).launchTemplate().launchTemplateId();
        workloadEc2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).launchTemplateData(
                RequestLaunchTemplateData.builder().imageId(newest).instanceType("t3.micro").build()));
        workloadAsg.createAutoScalingGroup(r -> r.autoScalingGroupName("web-asg").minSize(0).maxSize(2).desiredCapacity(0)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(template).version("2")));

        JanitorResult first = run();
        AmiPlan plan = first.outcomes().stream().map(AmiOutcome::plan).filter(p -> p.imageId().equals(rollback)).findFirst().orElseThrow();
        assertEquals(AmiPlan.Action.KEEP, plan.action());
        assertTrue(plan.reasons().get(0).contains("group " + WORKLOAD + "/eu-west-1/web-asg (launch template " + template
                + " v1, rollback target)"), plan.reasons().toString());
        days(10);
        assertTrue(image(rollback) != null);
        assertNull(tag(rollback, JanitorTags.DEREGISTER_AFTER));
        assertEquals(List.of(), mutations());
    }

    @Test
    void anAmiRunningInAnotherAccountIsNeverMarked() throws InterruptedException {
        String running = pipelineAmi("running", Map.of());
        String newest = newestAfterASecond();
        usage.put(running, List.of(WORKLOAD));
        usage.put(newest, List.of());
        run();
        days(10);
        assertTrue(image(running) != null);
        assertEquals(List.of(), mutations());
    }

    @Test
    void onlyTheExactRetainTagProtects() throws InterruptedException {
        String exact = pipelineAmi("exact", Map.of("RetainIndefinitely", "true"));
        String wrongCase = pipelineAmi("wrong-case", Map.of("retainindefinitely", "true"));
        String newest = newestAfterASecond();
        usage.put(exact, List.of());
        usage.put(wrongCase, List.of());
        usage.put(newest, List.of());
        run();
        assertNull(tag(exact, JanitorTags.DEREGISTER_AFTER));
        assertTrue(tag(wrongCase, JanitorTags.DEREGISTER_AFTER) != null, "retainindefinitely=true does not protect");
        days(7);
        assertTrue(image(exact) != null);
        assertNull(image(wrongCase));
    }

    @Test
    void markedThenUsedAgainIsUnmarked() throws InterruptedException {
        String old = pipelineAmi("old", Map.of());
        String newest = newestAfterASecond();
        usage.put(old, List.of());
        usage.put(newest, List.of());
        run();
        assertTrue(tag(old, JanitorTags.DEREGISTER_AFTER) != null);
        usage.put(old, List.of(WORKLOAD));
        days(1);
        assertNull(tag(old, JanitorTags.DEREGISTER_AFTER), "mark removed in moto");
        assertEquals(List.of(old), calls("DisableImageDeprecation"));
        days(10);
        assertTrue(image(old) != null);
    }

    @Test
    void aRepeatedRunAndADryRunChangeNothing() throws InterruptedException {
        String old = pipelineAmi("old", Map.of());
        String newest = newestAfterASecond();
        usage.put(old, List.of());
        usage.put(newest, List.of());

        JanitorResult dry = run(Map.of("DRY_RUN", "true"));
        assertTrue(dry.dryRun());
        assertEquals(1, dry.marked());
        assertTrue(dry.table().contains("MARK") && dry.table().contains(old), dry.table());
        assertEquals(List.of(), mutations(), "a dry run changes nothing");
        assertTrue(table.get("janitor#eu-west-1", "ami#" + old).isEmpty(), "and records no mark");

        run();
        List<String> once = mutations();
        assertEquals(2, once.size(), once.toString()); // the tag and the deprecation
        run();
        run();
        assertEquals(once, mutations(), "the same day again changes nothing twice");
    }
}
