package io.amirollout.benchmarks;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.amirollout.benchmarks.Functions.ASG_NS;
import static io.amirollout.benchmarks.Functions.json11;
import static io.amirollout.benchmarks.Functions.json;
import static io.amirollout.benchmarks.Functions.query;
import static io.amirollout.benchmarks.Functions.restJson;
import static io.amirollout.benchmarks.Functions.xml;

/**
 * Local endpoint answers for instance-refresh, pipeline-starter and cross-account-invoker (bodies shaped
 * as in their protocol tests).
 */
final class OtherFunctions {

    static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String LT = "lt-0abc1234def567890";
    static final String NEW_AMI = "ami-0a1b2c3d4e5f60718";
    static final String OLD_AMI = "ami-0aaaaaaaaaaaaaaa1";

    private OtherFunctions() {
    }

    // --- instance-refresh: a trusted AMI released -> the tagged group's launch template gets a new version,
    //     an instance refresh starts, the group is tagged, a notice is published. ------------------------------

    static void instanceRefreshStubs(WireMockServer server) {
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
        Functions.snsStubs(server);
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

    // --- pipeline-starter: an S3 object created -> StartImagePipelineExecution (REST-JSON PUT) ----------------

    static void pipelineStarterStubs(WireMockServer server) {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(restJson(
                "{\"requestId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\",\"clientToken\":\"t\",\"imageBuildVersionArn\":"
                        + "\"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/5\"}")));
        Functions.snsStubs(server);
    }

    // --- cross-account-invoker: an image AVAILABLE -> GetImage, AssumeRole per account, async Invoke -------------

    static void crossAccountInvokerStubs(WireMockServer server) {
        String image = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
        server.stubFor(get(urlPathEqualTo("/GetImage")).willReturn(restJson("""
                {"requestId":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","image":{
                  "arn":"%s","name":"golden-al2023","version":"1.0.3/4","type":"AMI","platform":"Linux",
                  "state":{"status":"AVAILABLE"},"dateCreated":"2026-11-21T09:58:40.112Z",
                  "outputResources":{"amis":[
                    {"region":"eu-west-1","image":"ami-0a1b2c3d4e5f60718","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"},
                    {"region":"us-east-1","image":"ami-0f9e8d7c6b5a49382","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"}]},
                  "buildType":"USER_INITIATED","tags":{}}}""".formatted(image))));
        server.stubFor(query("AssumeRole").willReturn(xml("""
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::444455556666:assumed-role/ami-rollout-invoker/ami-rollout</Arn>
                      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:ami-rollout</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>ASIA444455556666</AccessKeyId>
                      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYbenchmark</SecretAccessKey>
                      <SessionToken>session-token-benchmark</SessionToken>
                      <Expiration>2030-01-01T00:00:00Z</Expiration>
                    </Credentials>
                    <PackedPolicySize>6</PackedPolicySize>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                </AssumeRoleResponse>""")));
        server.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withHeader("x-amzn-RequestId", "5c1e0a2b-7d3f-4e8a-9b6c-1d2e3f4a5b6c")));
        server.stubFor(json11("AWSOrganizationsV20161128.ListAccounts").willReturn(json(
                "{\"Accounts\":[{\"Id\":\"444455556666\",\"Arn\":\"arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/444455556666\","
                        + "\"Email\":\"aws+444455556666@example.com\",\"Name\":\"workload\",\"Status\":\"ACTIVE\",\"State\":\"ACTIVE\","
                        + "\"JoinedMethod\":\"CREATED\",\"JoinedTimestamp\":1.7320176E9}]}")));
        Functions.snsStubs(server);
    }
}
