package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.amirollout.zipcheck.AwsWire.json;
import static io.amirollout.zipcheck.AwsWire.json11;
import static io.amirollout.zipcheck.AwsWire.query;
import static io.amirollout.zipcheck.AwsWire.xml;

/**
 * Answers for refresh-verifier: the state table (DynamoDB JSON 1.0) holds the release whose refresh the samples name;
 * the group's one instance runs the new version, is healthy in its target group, ACTIVE in its ECS cluster, and
 * passes the SSM document. Every check runs, and passes, so the shrunk zip's whole read path is exercised.
 */
final class VerifierStubs {

    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    static final String REFRESH = "ab00cf8f-9126-4f3c-8010-dbb8cad6fb86";
    static final String AMI = "ami-0a1b2c3d4e5f60718";
    static final String INSTANCE = "i-0a1b2c3d4e5f60718";
    static final String RELEASE = "{\"pk\":{\"S\":\"group#web-asg\"},\"sk\":{\"S\":\"release#" + AMI + "\"},\"rev\":{\"N\":\"2\"},"
            + "\"type\":{\"S\":\"release\"},\"group\":{\"S\":\"web-asg\"},\"imageId\":{\"S\":\"" + AMI + "\"},"
            + "\"imageName\":{\"S\":\"golden-al2023 2026-11-25\"},\"correlationId\":{\"S\":\"corr-1\"},\"source\":{\"S\":\"RELEASE\"},"
            + "\"state\":{\"S\":\"STARTED\"},\"launchTemplateId\":{\"S\":\"lt-0a1b2c3d4e5f67890\"},\"fromVersion\":{\"S\":\"7\"},"
            + "\"toVersion\":{\"S\":\"8\"},\"refreshId\":{\"S\":\"" + REFRESH + "\"},\"receivedAt\":{\"S\":\"2026-11-25T15:00:00Z\"},"
            + "\"updatedAt\":{\"S\":\"2026-11-25T15:00:05Z\"}}";

    private VerifierStubs() {
    }

    static void stubs(WireMockServer server) {
        // State table: the release (Query and GetItem), the head naming it, no verification record yet, writes accepted.
        server.stubFor(dynamo("Query").willReturn(dynamoJson("{\"Items\":[" + RELEASE + "],\"Count\":1,\"ScannedCount\":1}")));
        server.stubFor(dynamo("GetItem").willReturn(dynamoJson("{}")));
        server.stubFor(dynamo("GetItem").atPriority(1).withRequestBody(containing("release#")).willReturn(dynamoJson("{\"Item\":" + RELEASE + "}")));
        server.stubFor(dynamo("GetItem").atPriority(1).withRequestBody(containing("{\"S\":\"head\"}")).willReturn(dynamoJson(
                "{\"Item\":{\"pk\":{\"S\":\"group#web-asg\"},\"sk\":{\"S\":\"head\"},\"rev\":{\"N\":\"3\"},\"type\":{\"S\":\"head\"},"
                        + "\"group\":{\"S\":\"web-asg\"},\"desiredImageId\":{\"S\":\"" + AMI + "\"},\"desiredSource\":{\"S\":\"RELEASE\"},"
                        + "\"latestImageId\":{\"S\":\"" + AMI + "\"},\"updatedAt\":{\"S\":\"2026-11-25T15:00:05Z\"}}}")));
        server.stubFor(dynamo("PutItem").willReturn(dynamoJson("{}")));
        server.stubFor(query("DescribeAutoScalingGroups").willReturn(xml("<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\">"
                + "<DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>web-asg</AutoScalingGroupName>"
                + "<AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:8d2c1b0a-3e4f-4a5b-9c6d-7e8f9a0b1c2d:autoScalingGroupName/web-asg</AutoScalingGroupARN>"
                + "<LaunchTemplate><LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>8</Version></LaunchTemplate>"
                + "<MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>1</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>"
                + "<AvailabilityZones><member>eu-west-1a</member></AvailabilityZones><HealthCheckType>ELB</HealthCheckType>"
                + "<HealthCheckGracePeriod>300</HealthCheckGracePeriod><CreatedTime>2026-01-12T09:30:00.000Z</CreatedTime>"
                + "<Instances><member><InstanceId>" + INSTANCE + "</InstanceId><InstanceType>m7g.large</InstanceType>"
                + "<AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus>"
                + "<LaunchTemplate><LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName>"
                + "<Version>8</Version></LaunchTemplate><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member></Instances>"
                + "<TargetGroupARNs><member>arn:aws:elasticloadbalancing:eu-west-1:444455556666:targetgroup/web/73e2d6bc24d8a067</member></TargetGroupARNs>"
                + "<Tags>" + tag("ami-rollout:enabled", "true") + tag("ami-rollout:test-document", "web-health")
                + tag("ami-rollout:test-ecs-cluster", "web") + "</Tags></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>"
                + "<ResponseMetadata><RequestId>8d8b6f1e-0e4d-4b5c-9a7f-3c2e1d0f9b8a</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>")));
        server.stubFor(query("DescribeTargetHealth").willReturn(xml("<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
                + "<DescribeTargetHealthResult><TargetHealthDescriptions><member><HealthCheckPort>80</HealthCheckPort><TargetHealth><State>healthy</State>"
                + "</TargetHealth><Target><Port>80</Port><Id>" + INSTANCE + "</Id></Target></member></TargetHealthDescriptions>"
                + "</DescribeTargetHealthResult><ResponseMetadata><RequestId>0b6f3c2d-1e4a-4f5b-8c7d-9e0a1b2c3d4e</RequestId></ResponseMetadata>"
                + "</DescribeTargetHealthResponse>")));
        String ecs = "AmazonEC2ContainerServiceV20141113.";
        String ci = "arn:aws:ecs:eu-west-1:444455556666:container-instance/web/0a1b2c3d4e5f60718";
        server.stubFor(json11(ecs + "ListContainerInstances").willReturn(json("{\"containerInstanceArns\":[\"" + ci + "\"]}")));
        server.stubFor(json11(ecs + "DescribeContainerInstances").willReturn(json("{\"containerInstances\":[{\"containerInstanceArn\":\"" + ci
                + "\",\"ec2InstanceId\":\"" + INSTANCE + "\",\"status\":\"ACTIVE\",\"agentConnected\":true,\"runningTasksCount\":2}],\"failures\":[]}")));
        server.stubFor(json11(ecs + "ListServices").willReturn(json("{\"serviceArns\":[\"arn:aws:ecs:eu-west-1:444455556666:service/web/api\"]}")));
        server.stubFor(json11(ecs + "DescribeServices").willReturn(json("{\"services\":[{\"serviceName\":\"api\",\"status\":\"ACTIVE\","
                + "\"desiredCount\":2,\"runningCount\":2,\"deployments\":[{\"id\":\"ecs-svc/1\",\"status\":\"PRIMARY\",\"rolloutState\":\"COMPLETED\","
                + "\"desiredCount\":2,\"runningCount\":2}]}],\"failures\":[]}")));
        server.stubFor(json11("AmazonSSM.SendCommand").willReturn(json("{\"Command\":{\"CommandId\":\"0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\","
                + "\"DocumentName\":\"web-health\",\"Status\":\"Pending\"}}")));
        server.stubFor(json11("AmazonSSM.GetCommandInvocation").willReturn(json("{\"CommandId\":\"0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\","
                + "\"InstanceId\":\"" + INSTANCE + "\",\"DocumentName\":\"web-health\",\"Status\":\"Success\",\"StatusDetails\":\"Success\","
                + "\"ResponseCode\":0,\"StandardOutputContent\":\"HTTP/1.1 200 OK\",\"StandardErrorContent\":\"\"}")));
        server.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations")).willReturn(aResponse().withStatus(202)));
        AwsWire.snsPublish(server);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder dynamo(String operation) {
        return json11("DynamoDB_20120810." + operation);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder dynamoJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body);
    }

    private static String tag(String key, String value) {
        return "<member><ResourceId>web-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>" + key + "</Key><Value>"
                + value + "</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>";
    }
}
