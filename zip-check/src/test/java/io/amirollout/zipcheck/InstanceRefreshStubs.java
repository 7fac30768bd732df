package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.amirollout.zipcheck.AwsWire.json;
import static io.amirollout.zipcheck.AwsWire.json11;
import static io.amirollout.zipcheck.AwsWire.query;
import static io.amirollout.zipcheck.AwsWire.restJson;
import static io.amirollout.zipcheck.AwsWire.xml;

/**
 * Answers for instance-refresh: a trusted AMI released, so the tagged group's launch template gets a new
 * version, an instance refresh starts, the group is tagged and a notice is published.
 */
final class InstanceRefreshStubs {

    static final String ASG_NS = RollbackAndHostnameStubs.ASG_NS;
    static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String LT = "lt-0abc1234def567890";
    static final String NEW_AMI = "ami-0a1b2c3d4e5f60718";
    static final String OLD_AMI = "ami-0aaaaaaaaaaaaaaa1";

    private InstanceRefreshStubs() {
    }

    static void stubs(WireMockServer server) {
        server.stubFor(query("DescribeImages").willReturn(xml("<DescribeImagesResponse xmlns=\"" + EC2_NS + "\"><requestId>"
                + "59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><imagesSet>"
                + image(NEW_AMI, "golden-al2023 2026-11-21T10-00-00Z", "2026-11-21T10:00:00.000Z")
                + image(OLD_AMI, "golden-al2023 2026-11-07T10-00-00Z", "2026-11-07T10:00:00.000Z")
                + "</imagesSet></DescribeImagesResponse>")));
        server.stubFor(query("DescribeAutoScalingGroups").willReturn(xml(
                "<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
                        + """
                        <member>
                          <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                          <AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:6d3c1c5e:autoScalingGroupName/web-asg</AutoScalingGroupARN>
                          <LaunchTemplate><LaunchTemplateId>%s</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>1</Version></LaunchTemplate>
                          <MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>
                          <AvailabilityZones><member>eu-west-1a</member></AvailabilityZones>
                          <HealthCheckType>EC2</HealthCheckType><CreatedTime>2026-01-05T10:00:00.000Z</CreatedTime>
                          <Tags>
                            <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:enabled</Key><Value>true</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                            <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:image</Key><Value>golden-al2023</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                            <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:window</Key><Value>10080</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                          </Tags>
                        </member>""".formatted(LT)
                        + "</AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>"
                        + "7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>")));
        server.stubFor(query("DescribeLaunchTemplateVersions").willReturn(xml("<DescribeLaunchTemplateVersionsResponse xmlns=\""
                + EC2_NS + "\"><requestId>65cadec1-b364-4354-8ca8-4176dEXAMPLE</requestId><launchTemplateVersionSet>" + """
                <item>
                  <createTime>2026-11-01T10:00:00.000Z</createTime><createdBy>arn:aws:iam::444455556666:root</createdBy>
                  <defaultVersion>true</defaultVersion>
                  <launchTemplateData><imageId>%s</imageId><instanceType>m5.large</instanceType></launchTemplateData>
                  <launchTemplateId>%s</launchTemplateId><launchTemplateName>web</launchTemplateName>
                  <versionDescription>initial</versionDescription><versionNumber>1</versionNumber>
                </item>""".formatted(OLD_AMI, LT) + "</launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>")));
        server.stubFor(query("DescribeInstanceTypes").willReturn(xml("<DescribeInstanceTypesResponse xmlns=\"" + EC2_NS
                + "\"><requestId>b1</requestId><instanceTypeSet><item><instanceType>m5.large</instanceType><processorInfo>"
                + "<supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo></item></instanceTypeSet>"
                + "</DescribeInstanceTypesResponse>")));
        server.stubFor(query("DescribeInstanceRefreshes").willReturn(xml(asgOk("DescribeInstanceRefreshes", "<InstanceRefreshes/>"))));
        server.stubFor(query("CreateLaunchTemplateVersion").willReturn(xml("<CreateLaunchTemplateVersionResponse xmlns=\"" + EC2_NS
                + "\"><requestId>a1</requestId><launchTemplateVersion><createTime>2026-11-22T00:30:00.000Z</createTime>"
                + "<defaultVersion>false</defaultVersion><launchTemplateData><imageId>" + NEW_AMI + "</imageId></launchTemplateData>"
                + "<launchTemplateId>" + LT + "</launchTemplateId><launchTemplateName>web</launchTemplateName>"
                + "<versionNumber>2</versionNumber></launchTemplateVersion></CreateLaunchTemplateVersionResponse>")));
        server.stubFor(query("StartInstanceRefresh").willReturn(xml(asgOk("StartInstanceRefresh",
                "<InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId>"))));
        server.stubFor(query("UpdateAutoScalingGroup").willReturn(xml(asgOk("UpdateAutoScalingGroup", null))));
        server.stubFor(query("CreateOrUpdateTags").willReturn(xml(asgOk("CreateOrUpdateTags", null))));
        server.stubFor(query("DeleteTags").willReturn(xml(asgOk("DeleteTags", null))));
        AwsWire.snsPublish(server);
        // The state table (DynamoDB, JSON 1.0): an empty table that accepts every write.
        server.stubFor(json11("DynamoDB_20120810.GetItem").willReturn(dynamo("{}")));
        server.stubFor(json11("DynamoDB_20120810.Query").willReturn(dynamo("{\"Count\":0,\"Items\":[],\"ScannedCount\":0}")));
        server.stubFor(json11("DynamoDB_20120810.PutItem").willReturn(dynamo("{}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder dynamo(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withHeader("x-amzn-RequestId", "4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG").withBody(body);
    }

    private static String image(String id, String name, String created) {
        return """
                <item>
                  <imageId>%s</imageId><imageLocation>111122223333/%s</imageLocation><imageState>available</imageState>
                  <imageOwnerId>111122223333</imageOwnerId><creationDate>%s</creationDate><isPublic>false</isPublic>
                  <architecture>x86_64</architecture><imageType>machine</imageType><name>%s</name>
                  <rootDeviceType>ebs</rootDeviceType><virtualizationType>hvm</virtualizationType>
                </item>""".formatted(id, name, created, name);
    }

    private static String asgOk(String action, String result) {
        return "<" + action + "Response xmlns=\"" + ASG_NS + "\">" + (result == null ? "" : "<" + action + "Result>" + result
                + "</" + action + "Result>") + "<ResponseMetadata><RequestId>8d798a29-f083-11e1-bdfb-cb223EXAMPLE</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }
}
