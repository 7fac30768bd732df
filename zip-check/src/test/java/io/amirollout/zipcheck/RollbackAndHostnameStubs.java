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
 * Answers for rollback-on-alarm (the alarm names a group whose newest refresh is baking: roll it back) and
 * termination-hostname (DescribeInstances finds the hostname tag, the state table claim succeeds, the event is
 * published, the lifecycle action is completed). Bodies as in the
 * functions' protocol tests.
 */
final class RollbackAndHostnameStubs {

    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private RollbackAndHostnameStubs() {
    }

    static void rollback(WireMockServer server) {
        String group = """
                <member>
                  <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                  <AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:1d2f3a4b-5c6d-7e8f-9a0b-1c2d3e4f5a6b:autoScalingGroupName/web-asg</AutoScalingGroupARN>
                  <LaunchTemplate><LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>8</Version></LaunchTemplate>
                  <MinSize>2</MinSize><MaxSize>6</MaxSize><DesiredCapacity>3</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>
                  <AvailabilityZones><member>eu-west-1a</member><member>eu-west-1b</member></AvailabilityZones>
                  <HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod>
                  <CreatedTime>2026-01-12T09:30:00.000Z</CreatedTime>
                  <Tags>
                    <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:alarms</Key><Value>web-ecs-task-errors</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                    <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:previous-version</Key><Value>7</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                    <member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:launch-template-id</Key><Value>lt-0a1b2c3d4e5f67890</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                  </Tags>
                </member>""";
        server.stubFor(query("DescribeAutoScalingGroups").willReturn(xml(
                "<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
                        + group + "</AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>"
                        + "8d8b6f1e-0e4d-4b5c-9a7f-3c2e1d0f9b8a</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>")));
        server.stubFor(query("DescribeInstanceRefreshes").willReturn(xml(
                "<DescribeInstanceRefreshesResponse xmlns=\"" + ASG_NS + "\"><DescribeInstanceRefreshesResult><InstanceRefreshes>"
                        + """
                        <member>
                          <InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId>
                          <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                          <Status>Baking</Status>
                          <StatusReason>Waiting for the bake time to end.</StatusReason>
                          <StartTime>2026-11-21T15:15:00Z</StartTime>
                          <PercentageComplete>100</PercentageComplete>
                          <InstancesToUpdate>0</InstancesToUpdate>
                          <Preferences><MinHealthyPercentage>90</MinHealthyPercentage><InstanceWarmup>60</InstanceWarmup><SkipMatching>true</SkipMatching><AutoRollback>false</AutoRollback></Preferences>
                          <DesiredConfiguration><LaunchTemplate><LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId><Version>8</Version></LaunchTemplate></DesiredConfiguration>
                        </member>"""
                        + "</InstanceRefreshes></DescribeInstanceRefreshesResult><ResponseMetadata><RequestId>"
                        + "0b6f3c2d-1e4a-4f5b-8c7d-9e0a1b2c3d4e</RequestId></ResponseMetadata></DescribeInstanceRefreshesResponse>")));
        server.stubFor(query("RollbackInstanceRefresh").willReturn(xml(
                "<RollbackInstanceRefreshResponse xmlns=\"" + ASG_NS + "\"><RollbackInstanceRefreshResult><InstanceRefreshId>"
                        + "c2b3a4d5-6e7f-4a8b-9c0d-1e2f3a4b5c6d</InstanceRefreshId></RollbackInstanceRefreshResult><ResponseMetadata>"
                        + "<RequestId>5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9</RequestId></ResponseMetadata></RollbackInstanceRefreshResponse>")));
        // The state table (DynamoDB, JSON 1.0): nothing recorded for the group, conditional writes accepted.
        server.stubFor(AwsWire.json11("DynamoDB_20120810.GetItem").willReturn(dynamo("{}")));
        server.stubFor(AwsWire.json11("DynamoDB_20120810.Query").willReturn(dynamo("{\"Count\":0,\"Items\":[],\"ScannedCount\":0}")));
        server.stubFor(AwsWire.json11("DynamoDB_20120810.PutItem").willReturn(dynamo("{}")));
        AwsWire.snsPublish(server);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder dynamo(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body);
    }

    // --- termination-hostname: DescribeInstances finds the hostname tag, the event is published -------------

    static void hostname(WireMockServer server) {
        server.stubFor(query("DescribeInstances").willReturn(xml("""
                <?xml version="1.0" encoding="UTF-8"?>
                <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
                  <reservationSet><item>
                    <reservationId>r-0d3f5a7c9e1b24680</reservationId><ownerId>444455556666</ownerId><groupSet/>
                    <instancesSet><item>
                      <instanceId>i-0f3a9c1e7b2d45a68</instanceId><imageId>ami-0123456789abcdef0</imageId>
                      <instanceState><code>48</code><name>terminated</name></instanceState>
                      <privateDnsName/><dnsName/><reason>User initiated (2026-11-21 15:57:02 GMT)</reason>
                      <amiLaunchIndex>0</amiLaunchIndex><instanceType>m7i.large</instanceType>
                      <launchTime>2026-11-14T09:12:44.000Z</launchTime>
                      <placement><availabilityZone>eu-west-1a</availabilityZone><tenancy>default</tenancy></placement>
                      <monitoring><state>disabled</state></monitoring>
                      <architecture>x86_64</architecture>
                      <tagSet>
                        <item><key>hostname</key><value>WEB-0042</value></item>
                        <item><key>aws:autoscaling:groupName</key><value>web-asg</value></item>
                        <item><key>Name</key><value>web</value></item>
                      </tagSet>
                    </item></instancesSet>
                  </item></reservationSet>
                </DescribeInstancesResponse>""")));
        AwsWire.snsPublish(server);
        // The state table (DynamoDB JSON 1.0): no record yet, so every sample claims its instance and publishes.
        server.stubFor(AwsWire.json11("DynamoDB_20120810.GetItem").willReturn(AwsWire.json("{}")));
        server.stubFor(AwsWire.json11("DynamoDB_20120810.PutItem").willReturn(AwsWire.json("{}")));
        server.stubFor(AwsWire.json11("DynamoDB_20120810.DeleteItem").willReturn(AwsWire.json("{}")));
        server.stubFor(query("CompleteLifecycleAction").willReturn(xml("<CompleteLifecycleActionResponse xmlns=\"" + ASG_NS
                + "\"><CompleteLifecycleActionResult/><ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE"
                + "</RequestId></ResponseMetadata></CompleteLifecycleActionResponse>")));
    }
}
