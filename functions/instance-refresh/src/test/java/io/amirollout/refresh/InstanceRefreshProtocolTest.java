package io.amirollout.refresh;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The real EC2 and Auto Scaling clients against WireMock answering in their real wire formats
 * (EC2 query/XML, Auto Scaling query/XML): pagination, throttling retried by the SDK, AWS error codes.
 */
class InstanceRefreshProtocolTest {

    static final String TRUSTED = FakeAws.TRUSTED;
    static final String LT = "lt-0abc1234def567890";
    static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private Ec2Client ec2;
    private AutoScalingClient autoScaling;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        ec2 = endpoint.client(Ec2Client.builder());
        autoScaling = endpoint.client(AutoScalingClient.builder());
    }

    @AfterEach
    void stop() {
        ec2.close();
        autoScaling.close();
        endpoint.stop();
    }

    // ----- wire-format answers -----

    static String imageItem(String id, String owner, String name, String created, String arch) {
        return """
                <item>
                  <imageId>%s</imageId>
                  <imageLocation>%s/%s</imageLocation>
                  <imageState>available</imageState>
                  <imageOwnerId>%s</imageOwnerId>
                  <creationDate>%s</creationDate>
                  <isPublic>false</isPublic>
                  <architecture>%s</architecture>
                  <imageType>machine</imageType>
                  <name>%s</name>
                  <rootDeviceType>ebs</rootDeviceType>
                  <virtualizationType>hvm</virtualizationType>
                </item>""".formatted(id, owner, name, owner, created, arch, name);
    }

    static String images(String nextToken, String... items) {
        return "<DescribeImagesResponse xmlns=\"" + EC2_NS + "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><imagesSet>"
                + String.join("", items) + "</imagesSet>"
                + (nextToken == null ? "" : "<nextToken>" + nextToken + "</nextToken>") + "</DescribeImagesResponse>";
    }

    static String groupMember(String name, String version) {
        return """
                <member>
                  <AutoScalingGroupName>%s</AutoScalingGroupName>
                  <AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:6d3c1c5e:autoScalingGroupName/%s</AutoScalingGroupARN>
                  <LaunchTemplate>
                    <LaunchTemplateId>%s</LaunchTemplateId>
                    <LaunchTemplateName>web</LaunchTemplateName>
                    <Version>%s</Version>
                  </LaunchTemplate>
                  <MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity>
                  <DefaultCooldown>300</DefaultCooldown>
                  <AvailabilityZones><member>eu-west-1a</member></AvailabilityZones>
                  <HealthCheckType>EC2</HealthCheckType>
                  <CreatedTime>2026-01-05T10:00:00.000Z</CreatedTime>
                  <Tags>
                    <member><ResourceId>%s</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:enabled</Key><Value>true</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                    <member><ResourceId>%s</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:image</Key><Value>golden-al2023</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                  </Tags>
                </member>""".formatted(name, name, LT, version, name, name);
    }

    static String groups(String nextToken, String... members) {
        return "<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
                + String.join("", members) + "</AutoScalingGroups>"
                + (nextToken == null ? "" : "<NextToken>" + nextToken + "</NextToken>")
                + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId></ResponseMetadata>"
                + "</DescribeAutoScalingGroupsResponse>";
    }

    static String versions(String... items) {
        return "<DescribeLaunchTemplateVersionsResponse xmlns=\"" + EC2_NS + "\"><requestId>65cadec1-b364-4354-8ca8-4176dEXAMPLE</requestId>"
                + "<launchTemplateVersionSet>" + String.join("", items) + "</launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>";
    }

    static String versionItem(long number, String ami, boolean isDefault, String description) {
        return """
                <item>
                  <createTime>2026-11-01T10:00:00.000Z</createTime>
                  <createdBy>arn:aws:iam::444455556666:root</createdBy>
                  <defaultVersion>%s</defaultVersion>
                  <launchTemplateData>
                    <imageId>%s</imageId>
                    <instanceType>m5.large</instanceType>
                  </launchTemplateData>
                  <launchTemplateId>%s</launchTemplateId>
                  <launchTemplateName>web</launchTemplateName>
                  <versionDescription>%s</versionDescription>
                  <versionNumber>%d</versionNumber>
                </item>""".formatted(isDefault, ami, LT, description, number);
    }

    static String asgError(String code, String message) {
        return "<ErrorResponse xmlns=\"" + ASG_NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>9dd01905-5012-5f99-8663-4b3ecEXAMPLE</RequestId></ErrorResponse>";
    }

    static String ec2Error(String code, String message) {
        return "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-cb5432daacc0</RequestID></Response>";
    }

    static String asgOk(String action, String result) {
        return "<" + action + "Response xmlns=\"" + ASG_NS + "\">" + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
                + "<ResponseMetadata><RequestId>8d798a29-f083-11e1-bdfb-cb223EXAMPLE</RequestId></ResponseMetadata></" + action + "Response>";
    }

    // ----- tests -----

    @Test
    void describeImagesAcrossPagesAlwaysNamesTheOwnersAndPicksTheNewestTrusted() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeImages")).atPriority(5)
                .willReturn(okXml(images("page-2",
                        imageItem("ami-0aaaaaaaaaaaaaaa1", TRUSTED, "golden-al2023 2026-11-07T10-00-00Z", "2026-11-07T10:00:00.000Z", "x86_64"),
                        imageItem("ami-0bad0bad0bad0bad0", "999988887777", "golden-al2023 2026-12-01T10-00-00Z", "2026-12-01T10:00:00.000Z", "x86_64")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeImages")).withRequestBody(containing("NextToken=page-2")).atPriority(1)
                .willReturn(okXml(images(null,
                        imageItem("ami-0a1b2c3d4e5f60718", TRUSTED, "golden-al2023 2026-11-21T10-00-00Z", "2026-11-21T10:00:00.000Z", "x86_64")))));

        Image newest = new TrustedImageFinder(ec2, List.of(TRUSTED)).newestByName("golden-al2023", java.util.Set.of("x86_64")).orElseThrow();

        assertEquals("ami-0a1b2c3d4e5f60718", newest.imageId(), "from page 2; the untrusted one on page 1 is ignored");
        server.verify(2, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeImages"))
                .withRequestBody(containing("Owner.1=" + TRUSTED))
                .withRequestBody(containing("Filter.1.Name=name"))
                .withRequestBody(containing("Filter.1.Value.1=golden-al2023"))
                .withRequestBody(containing("Filter.3.Name=architecture"))
                .withRequestBody(containing("Filter.3.Value.1=x86_64")));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("NextToken=page-2")));
    }

    @Test
    void describeAutoScalingGroupsIsRetriedAfterThrottlingAndReadAcrossPages() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups")).atPriority(5)
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(asgError("Throttling", "Rate exceeded")))
                .willSetStateTo("ready"));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups")).atPriority(5)
                .inScenario("throttle").whenScenarioStateIs("ready")
                .willReturn(okXml(groups("token-2", groupMember("web-asg", "$Latest"), groupMember("api-asg", "3")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups")).withRequestBody(containing("NextToken=token-2"))
                .atPriority(1).willReturn(okXml(groups(null, groupMember("batch-asg", "$Default")))));

        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state")));
        List<TargetGroup> targets = new GroupTargets(autoScaling, config).all();

        assertEquals(List.of("web-asg", "api-asg", "batch-asg"), targets.stream().map(TargetGroup::name).toList());
        assertEquals("golden-al2023", targets.get(0).imageName());
        assertEquals("$Latest", targets.get(0).group().launchTemplate().version());
        assertEquals("444455556666", targets.get(0).accountId());
        server.verify(3, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeAutoScalingGroups"))
                .withRequestBody(containing("Filters.member.1.Name=tag%3Aami-rollout%3Aenabled"))
                .withRequestBody(containing("Filters.member.1.Values.member.1=true")));
    }

    @Test
    void ec2RequestLimitExceededIsRetriedThenSucceeds() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeLaunchTemplateVersions"))
                .inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(ec2Error("RequestLimitExceeded", "Request limit exceeded.")))
                .willSetStateTo("ok"));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeLaunchTemplateVersions"))
                .inScenario("limit").whenScenarioStateIs("ok")
                .willReturn(okXml(versions(versionItem(3, "ami-0aaaaaaaaaaaaaaa1", false, "initial")))));

        var version = new LaunchTemplateUpdater(ec2).effectiveVersion(new GroupLaunchTemplate(LT, null, "$Latest", null));

        assertEquals(3L, version.versionNumber());
        assertEquals("ami-0aaaaaaaaaaaaaaa1", version.launchTemplateData().imageId());
        server.verify(2, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("LaunchTemplateVersion.1=%24Latest")));
    }

    /** Issue 12 item 1 on the wire: the source's snapshot mapping, as EC2 describes it, goes back in CreateLaunchTemplateVersion. */
    @Test
    void newVersionKeepsSnapshotBlockDeviceMappingsOnTheWire() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeLaunchTemplateVersions"))
                .willReturn(okXml(versions(versionItem(1, "ami-0aaaaaaaaaaaaaaa1", true, "initial").replace("<instanceType>m5.large</instanceType>",
                        "<instanceType>m5.large</instanceType><blockDeviceMappingSet><item><deviceName>/dev/sdf</deviceName><ebs>"
                                + "<encrypted>true</encrypted><deleteOnTermination>false</deleteOnTermination>"
                                + "<snapshotId>snap-0123456789abcdef0</snapshotId><volumeSize>100</volumeSize><volumeType>gp3</volumeType>"
                                + "</ebs></item></blockDeviceMappingSet>")))));
        server.stubFor(post("/").withRequestBody(containing("Action=CreateLaunchTemplateVersion"))
                .willReturn(okXml("<CreateLaunchTemplateVersionResponse xmlns=\"" + EC2_NS + "\"><requestId>a1</requestId><launchTemplateVersion>"
                        + "<launchTemplateId>" + LT + "</launchTemplateId><versionNumber>2</versionNumber></launchTemplateVersion>"
                        + "</CreateLaunchTemplateVersionResponse>")));
        LaunchTemplateUpdater updater = new LaunchTemplateUpdater(ec2);
        var source = updater.version(LT, "1").orElseThrow();

        long made = updater.createVersion(LT, 1, software.amazon.awssdk.services.ec2.model.Image.builder()
                .imageId("ami-0a1b2c3d4e5f60718").name("golden-al2023 2026-11-21T10-00-00Z").build(),
                source.launchTemplateData().blockDeviceMappings());

        assertEquals(2L, made);
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CreateLaunchTemplateVersion"))
                .withRequestBody(containing("SourceVersion=1"))
                .withRequestBody(containing("LaunchTemplateData.BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsdf"))
                .withRequestBody(containing("LaunchTemplateData.BlockDeviceMapping.1.Ebs.SnapshotId=snap-0123456789abcdef0"))
                .withRequestBody(containing("LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize=100")));
    }

    /** Issue 12 item 2 on the wire: DescribeImages' deprecationTime makes the owner's own deprecated AMI refused. */
    @Test
    void deprecatedAmisAreRefusedAsEc2DescribesThem() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeImages"))
                .willReturn(okXml(images(null, imageItem("ami-0dddddddddddddd01", TRUSTED, "golden-al2023 2026-10-01T10-00-00Z",
                        "2026-10-01T10:00:00.000Z", "x86_64").replace("<isPublic>", "<deprecationTime>2026-11-01T00:00:00.000Z</deprecationTime><isPublic>")))));
        TrustedImageFinder finder = new TrustedImageFinder(ec2, List.of(TRUSTED),
                Clock.fixed(InstanceRefreshServiceTest.SUNDAY_0030, ZoneOffset.UTC));

        var image = finder.byId("ami-0dddddddddddddd01").orElseThrow();

        assertEquals("AMI ami-0dddddddddddddd01 is deprecated since 2026-11-01T00:00:00.000Z", finder.refusal(image).orElseThrow());
        assertTrue(finder.newestByName("golden-al2023", java.util.Set.of("x86_64")).isEmpty(), "never chosen by name either");
    }

    /** A whole release against the wire: the refresh start meets InstanceRefreshInProgress, and the group is DEFERRED. */
    @Test
    void anInstanceRefreshInProgressFaultDefersTheGroupAndRecordsThePendingVersion() {
        String newAmi = "ami-0a1b2c3d4e5f60718";
        String oldAmi = "ami-0aaaaaaaaaaaaaaa1";
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeImages")).withRequestBody(containing("ImageId.1=" + newAmi))
                .willReturn(okXml(images(null, imageItem(newAmi, TRUSTED, "golden-al2023 2026-11-21T10-00-00Z", "2026-11-21T10:00:00.000Z", "x86_64")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeImages")).withRequestBody(containing("ImageId.1=" + oldAmi))
                .willReturn(okXml(images(null, imageItem(oldAmi, TRUSTED, "golden-al2023 2026-11-07T10-00-00Z", "2026-11-07T10:00:00.000Z", "x86_64")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups"))
                .willReturn(okXml(groups(null, groupMember("web-asg", "1")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeLaunchTemplateVersions")).withRequestBody(containing("LaunchTemplateVersion.1=1"))
                .willReturn(okXml(versions(versionItem(1, oldAmi, true, "initial")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeLaunchTemplateVersions")).withRequestBody(containing("MinVersion=1"))
                .willReturn(okXml(versions())));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstanceRefreshes"))
                .willReturn(okXml(asgOk("DescribeInstanceRefreshes", "<InstanceRefreshes/>"))));
        server.stubFor(post("/").withRequestBody(containing("Action=CreateLaunchTemplateVersion"))
                .willReturn(okXml("<CreateLaunchTemplateVersionResponse xmlns=\"" + EC2_NS + "\"><requestId>a1</requestId><launchTemplateVersion>"
                        + "<createTime>2026-11-22T00:30:00.000Z</createTime><defaultVersion>false</defaultVersion>"
                        + "<launchTemplateData><imageId>" + newAmi + "</imageId></launchTemplateData>"
                        + "<launchTemplateId>" + LT + "</launchTemplateId><launchTemplateName>web</launchTemplateName>"
                        + "<versionNumber>2</versionNumber></launchTemplateVersion></CreateLaunchTemplateVersionResponse>")));
        server.stubFor(post("/").withRequestBody(containing("Action=StartInstanceRefresh"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml")
                        .withBody(asgError("InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh."))));
        server.stubFor(post("/").withRequestBody(containing("Action=CreateOrUpdateTags"))
                .willReturn(okXml(asgOk("CreateOrUpdateTags", null))));

        RecordingPublisher notices = new RecordingPublisher();
        InstanceRefreshService service = new InstanceRefreshService(
                InstanceRefreshConfig.from(Env.of(Map.of("TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state"))), "eu-west-1", ec2, autoScaling,
                notices, new io.amirollout.shared.state.GroupLedger(new io.amirollout.shared.testing.InMemoryStateTable()), Clock.fixed(InstanceRefreshServiceTest.SUNDAY_0030, ZoneOffset.UTC));
        RefreshResult result = service.release(ImageReleased.from(Json.readTree("""
                {"image":{"name":"golden-al2023"},"amis":[{"region":"eu-west-1","imageId":"%s"}]}""".formatted(newAmi))));

        GroupResult group = result.groups().get(0);
        assertEquals(GroupOutcome.DEFERRED, group.outcome(), group.reason());
        assertTrue(group.reason().contains("InstanceRefreshInProgress"), group.reason());
        assertEquals("2", group.newVersion());
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=StartInstanceRefresh"))
                .withRequestBody(containing("DesiredConfiguration.LaunchTemplate.Version=2"))
                .withRequestBody(containing("Preferences.AutoRollback=true"))
                .withRequestBody(containing("Preferences.SkipMatching=true"))
                .withRequestBody(containing("Preferences.ScaleInProtectedInstances=Ignore"))
                .withRequestBody(containing("Preferences.StandbyInstances=Ignore")));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CreateLaunchTemplateVersion"))
                .withRequestBody(containing("SourceVersion=1"))
                .withRequestBody(containing("ClientToken=" + LaunchTemplateUpdater.clientToken(LT, 1, newAmi)))
                .withRequestBody(containing("LaunchTemplateData.ImageId=" + newAmi)));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CreateOrUpdateTags"))
                .withRequestBody(containing("=" + RolloutTags.PENDING_VERSION.replace(":", "%3A"))));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeImages"))
                .withRequestBody(containing("ImageId.1=" + newAmi)).withRequestBody(containing("Owner.1=" + TRUSTED)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okXml(String body) {
        return ok(body).withHeader("Content-Type", "text/xml;charset=UTF-8");
    }
}
