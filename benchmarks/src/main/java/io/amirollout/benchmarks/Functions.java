package io.amirollout.benchmarks;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * What each function's benchmark invocation needs: handler class, events/ sample, environment, and the
 * local endpoint's answers (in each service's real wire format, bodies as in the functions' protocol
 * tests) for exactly the AWS calls that sample triggers. Every SDK client reaches the one local endpoint
 * through {@code AWS_ENDPOINT_URL}; query-protocol services (EC2, Auto Scaling, SNS, STS) are told apart by
 * {@code Action=}, JSON 1.1 services by {@code X-Amz-Target}, REST-JSON services by path.
 */
final class Functions {

    static final List<String> NAMES = List.of("rollback-on-alarm", "termination-hostname", "slack-notifier",
            "instance-refresh", "pipeline-starter", "cross-account-invoker");

    static final String ACCOUNT = "444455556666";
    static final String TOPIC = "arn:aws:sns:eu-west-1:" + ACCOUNT + ":ami-rollout-notifications";

    record Spec(String handler, String event, Map<String, String> environment, Consumer<WireMockServer> stubs) {
    }

    private Functions() {
    }

    static Spec spec(String name, String endpoint) {
        return switch (name) {
            case "rollback-on-alarm" -> new Spec("io.amirollout.rollback.RollbackOnAlarmHandler",
                    "eventbridge-alarm-state-change-alarm.json",
                    env(name, endpoint, "NOTIFICATION_TOPIC_ARN", TOPIC),
                    Functions::rollbackStubs);
            case "termination-hostname" -> new Spec("io.amirollout.hostname.TerminationHostnameHandler",
                    "ec2-instance-terminated.json",
                    env(name, endpoint, "HOSTNAME_TOPIC_ARN", "arn:aws:sns:eu-west-1:" + ACCOUNT + ":ami-rollout-hostnames",
                            "NOTIFICATION_TOPIC_ARN", TOPIC),
                    Functions::hostnameStubs);
            case "slack-notifier" -> new Spec("io.amirollout.slack.SlackNotifierHandler",
                    "sns-notice-refresh-started.json",
                    env(name, endpoint, "SLACK_WEBHOOK_SECRET_ID", "ami-rollout/slack"),
                    server -> slackStubs(server, endpoint));
            case "instance-refresh" -> new Spec("io.amirollout.refresh.InstanceRefreshHandler",
                    "image-released.json",
                    env(name, endpoint, "TRUSTED_IMAGE_OWNERS", "111122223333", "NOTIFICATION_TOPIC_ARN", TOPIC),
                    OtherFunctions::instanceRefreshStubs);
            case "pipeline-starter" -> new Spec("io.amirollout.pipeline.PipelineStarterHandler",
                    "object-created.json",
                    env(name, endpoint, "PIPELINE_ARN", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                            "PAYLOAD_BUCKET", "ami-rollout-payloads-111122223333", "NOTIFICATION_TOPIC_ARN", TOPIC),
                    OtherFunctions::pipelineStarterStubs);
            case "cross-account-invoker" -> new Spec("io.amirollout.invoker.CrossAccountInvokerHandler",
                    "image-available.json",
                    env(name, endpoint, "TARGET_ROLE_NAME", "ami-rollout-invoker", "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh",
                            "TARGET_ACCOUNTS", ACCOUNT + ",555566667777", "TARGET_REGIONS", "eu-west-1",
                            "NOTIFICATION_TOPIC_ARN", TOPIC),
                    OtherFunctions::crossAccountInvokerStubs);
            default -> throw new IllegalArgumentException("unknown function " + name + "; known: " + NAMES);
        };
    }

    /** Lambda-like environment: region, static fake credentials, no profile files, the local endpoint. */
    private static Map<String, String> env(String function, String endpoint, String... pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCHMARK");
        env.put("AWS_SECRET_ACCESS_KEY", "benchmark-secret");
        env.put("AWS_SESSION_TOKEN", "benchmark-session-token");
        // Lambda has no ~/.aws: make sure a developer's own profile files play no part.
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ami-rollout-" + function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    // --- wire helpers --------------------------------------------------------------------------------------

    static MappingBuilder query(String action) {
        return post("/").withRequestBody(containing("Action=" + action + "&"));
    }

    static MappingBuilder json11(String target) {
        return post("/").withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder xml(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body);
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    static ResponseDefinitionBuilder restJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String snsPublish() {
        return "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata></PublishResponse>";
    }

    static void snsStubs(WireMockServer server) {
        server.stubFor(query("Publish").willReturn(xml(snsPublish())));
    }

    // --- rollback-on-alarm: the alarm names a group whose newest refresh is baking -> roll it back ------------

    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private static void rollbackStubs(WireMockServer server) {
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
        snsStubs(server);
    }

    // --- termination-hostname: DescribeInstances finds the hostname tag, the event is published -------------

    private static void hostnameStubs(WireMockServer server) {
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
        snsStubs(server);
    }

    // --- slack-notifier: the webhook URL from Secrets Manager, then one POST to the (local) webhook ----------

    private static void slackStubs(WireMockServer server, String endpoint) {
        String webhook = endpoint + "/services/T0000/B0000/benchmark";
        server.stubFor(json11("secretsmanager.GetSecretValue").willReturn(json(
                "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:444455556666:secret:ami-rollout/slack-AbCdEf\","
                        + "\"Name\":\"ami-rollout/slack\",\"VersionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\","
                        + "\"SecretString\":\"{\\\"webhookUrl\\\":\\\"" + webhook + "\\\"}\","
                        + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.763716500E9}")));
        server.stubFor(post(urlEqualTo("/services/T0000/B0000/benchmark"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("ok")));
    }
}
