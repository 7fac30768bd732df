package io.amirollout.verifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * A small AWS world served in each service's real wire format by one WireMock server: Auto Scaling, EC2, ELBv2 and
 * SNS speak query/XML (told apart by {@code Action=}), ECS and SSM JSON 1.1 ({@code X-Amz-Target}), Lambda REST.
 * Tests change the fields and call {@link #apply()}; the real SDK clients then read the new state.
 */
final class FakeAws {

    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    static final String ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    static final String TG = "arn:aws:elasticloadbalancing:eu-west-1:444455556666:targetgroup/web/73e2d6bc24d8a067";
    static final String LT = "lt-0a1b2c3d4e5f67890";

    record Member(String id, String lifecycle, String version, boolean protectedFromScaleIn) {
    }

    record Refresh(String id, String status, String version) {
    }

    final WireMockServer server;
    String group = "web-asg";
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<Member> instances = new ArrayList<>();
    final List<String> targetGroups = new ArrayList<>();
    /** Instance id -> ELB state (healthy, initial, unhealthy...). */
    final Map<String, String> targetHealth = new LinkedHashMap<>();
    /** Newest first. */
    final List<Refresh> refreshes = new ArrayList<>();
    /** Instance id -> "ACTIVE" / "DRAINING" ...; agent connected unless listed in agentDown. */
    final Map<String, String> containerInstances = new LinkedHashMap<>();
    final List<String> agentDown = new ArrayList<>();
    /** Service name -> {running, desired}. */
    final Map<String, int[]> services = new LinkedHashMap<>();
    /** Instance id -> invocation status (Success, InProgress, Failed, TimedOut...); absent = InvocationDoesNotExist. */
    final Map<String, String> invocations = new LinkedHashMap<>();
    String invocationDetails = null;
    String output = "";
    /** Auto Scaling answers RollbackInstanceRefresh with 503 ServiceUnavailable (after the SDK's retries too). */
    boolean rollbackUnavailable;
    /** SSM refuses SendCommand with this error code (e.g. InvalidInstanceId), or null. */
    String sendCommandError;

    FakeAws(WireMockServer server) {
        this.server = server;
    }

    void apply() {
        server.resetMappings();
        server.stubFor(query("DescribeAutoScalingGroups").willReturn(xml(describeGroups())));
        server.stubFor(query("DescribeInstanceRefreshes").willReturn(xml(describeRefreshes())));
        server.stubFor(query("RollbackInstanceRefresh").willReturn(xml("<RollbackInstanceRefreshResponse xmlns=\"" + ASG_NS
                + "\"><RollbackInstanceRefreshResult><InstanceRefreshId>rollback-refresh-1</InstanceRefreshId>"
                + "</RollbackInstanceRefreshResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></RollbackInstanceRefreshResponse>")));
        if (rollbackUnavailable) {
            server.stubFor(query("RollbackInstanceRefresh").atPriority(1).willReturn(aResponse().withStatus(503)
                    .withBody("<ErrorResponse xmlns=\"" + ASG_NS + "\"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                            + "<Message>try again</Message></Error><RequestId>e1</RequestId></ErrorResponse>")));
        }
        server.stubFor(query("StartInstanceRefresh").willReturn(xml("<StartInstanceRefreshResponse xmlns=\"" + ASG_NS
                + "\"><StartInstanceRefreshResult><InstanceRefreshId>roll-forward-1</InstanceRefreshId>"
                + "</StartInstanceRefreshResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></StartInstanceRefreshResponse>")));
        server.stubFor(query("DescribeTargetHealth").willReturn(xml(describeTargetHealth())));
        server.stubFor(query("Publish").willReturn(xml("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r3</RequestId>"
                + "</ResponseMetadata></PublishResponse>")));
        String ecs = "AmazonEC2ContainerServiceV20141113.";
        server.stubFor(json11(ecs + "ListContainerInstances").willReturn(json("{\"containerInstanceArns\":["
                + String.join(",", containerInstances.keySet().stream().map(i -> "\"" + ciArn(i) + "\"").toList()) + "]}")));
        server.stubFor(json11(ecs + "DescribeContainerInstances").willReturn(json(describeContainerInstances())));
        server.stubFor(json11(ecs + "ListServices").willReturn(json("{\"serviceArns\":["
                + String.join(",", services.keySet().stream().map(s -> "\"arn:aws:ecs:eu-west-1:444455556666:service/web/" + s + "\"").toList())
                + "]}")));
        server.stubFor(json11(ecs + "DescribeServices").willReturn(json(describeServices())));
        if (sendCommandError != null) {
            server.stubFor(json11("AmazonSSM.SendCommand").atPriority(1).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"__type\":\"" + sendCommandError + "\",\"Message\":\"Instances [[i-0new00000000000001]] not in a valid state for account 444455556666\"}")));
        }
        server.stubFor(json11("AmazonSSM.SendCommand").willReturn(json(
                "{\"Command\":{\"CommandId\":\"0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\",\"DocumentName\":\"web-health\",\"Status\":\"Pending\"}}")));
        for (String instance : instances.stream().map(Member::id).toList()) {
            MappingBuilder get = json11("AmazonSSM.GetCommandInvocation").withRequestBody(containing(instance));
            String status = invocations.get(instance);
            if (status == null) {
                server.stubFor(get.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"InvocationDoesNotExist\",\"message\":\"not yet\"}")));
            } else {
                server.stubFor(get.willReturn(json("{\"CommandId\":\"0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\",\"InstanceId\":\"" + instance
                        + "\",\"DocumentName\":\"web-health\",\"Status\":\"" + status + "\",\"StatusDetails\":\""
                        + (invocationDetails == null ? status : invocationDetails) + "\",\"ResponseCode\":"
                        + ("Success".equals(status) ? 0 : 1) + ",\"StandardOutputContent\":" + quote(output)
                        + ",\"StandardErrorContent\":\"\"}")));
            }
        }
        server.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("")));
    }

    // --- what the code sent ---------------------------------------------------------------------------------

    List<LoggedRequest> requests() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
    }

    /** Query actions and JSON targets as IAM actions (autoscaling:RollbackInstanceRefresh, ssm:SendCommand ...). */
    TreeSet<String> iamActions() {
        TreeSet<String> actions = new TreeSet<>();
        for (LoggedRequest r : requests()) {
            String target = r.getHeader("X-Amz-Target");
            if (target != null) {
                actions.add((target.startsWith("AmazonSSM.") ? "ssm:" : "ecs:") + target.substring(target.indexOf('.') + 1));
            } else if (r.getUrl().contains("/invocations")) {
                actions.add("lambda:InvokeFunction");
            } else {
                String action = param(r, "Action");
                String prefix = switch (action) {
                    case "DescribeTargetHealth" -> "elasticloadbalancing";
                    case "Publish" -> "sns";
                    default -> "autoscaling";
                };
                actions.add(prefix + ":" + action);
            }
        }
        return actions;
    }

    long count(String action) {
        return requests().stream().filter(r -> action.equals(param(r, "Action"))
                || (r.getHeader("X-Amz-Target") != null && r.getHeader("X-Amz-Target").endsWith("." + action))).count();
    }

    List<String> bodies(String action) {
        return requests().stream().filter(r -> action.equals(param(r, "Action"))
                || (r.getHeader("X-Amz-Target") != null && r.getHeader("X-Amz-Target").endsWith("." + action)))
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8)).toList();
    }

    static String param(LoggedRequest r, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(r.getBodyAsString());
        return m.find() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : "";
    }

    // --- responses ------------------------------------------------------------------------------------------

    private String describeGroups() {
        StringBuilder members = new StringBuilder();
        for (Member m : instances) {
            members.append("<member><InstanceId>").append(m.id()).append("</InstanceId><InstanceType>m7g.large</InstanceType>")
                    .append("<AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>").append(m.lifecycle())
                    .append("</LifecycleState><HealthStatus>Healthy</HealthStatus><LaunchTemplate><LaunchTemplateId>").append(LT)
                    .append("</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>").append(m.version())
                    .append("</Version></LaunchTemplate><ProtectedFromScaleIn>").append(m.protectedFromScaleIn())
                    .append("</ProtectedFromScaleIn></member>");
        }
        StringBuilder tagXml = new StringBuilder();
        tags.forEach((k, v) -> tagXml.append("<member><ResourceId>").append(group).append("</ResourceId><ResourceType>auto-scaling-group")
                .append("</ResourceType><Key>").append(k).append("</Key><Value>").append(v).append("</Value><PropagateAtLaunch>false")
                .append("</PropagateAtLaunch></member>"));
        StringBuilder tgs = new StringBuilder();
        targetGroups.forEach(t -> tgs.append("<member>").append(t).append("</member>"));
        return "<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>"
                + "<AutoScalingGroupName>" + group + "</AutoScalingGroupName>"
                + "<AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:8d2c1b0a:autoScalingGroupName/" + group
                + "</AutoScalingGroupARN><LaunchTemplate><LaunchTemplateId>" + LT + "</LaunchTemplateId><LaunchTemplateName>web"
                + "</LaunchTemplateName><Version>8</Version></LaunchTemplate><MinSize>1</MinSize><MaxSize>6</MaxSize>"
                + "<DesiredCapacity>" + instances.size() + "</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>"
                + "<AvailabilityZones><member>eu-west-1a</member></AvailabilityZones><HealthCheckType>ELB</HealthCheckType>"
                + "<HealthCheckGracePeriod>300</HealthCheckGracePeriod><CreatedTime>2026-01-12T09:30:00.000Z</CreatedTime>"
                + "<Instances>" + members + "</Instances><TargetGroupARNs>" + tgs + "</TargetGroupARNs><Tags>" + tagXml + "</Tags>"
                + "</member></AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r4</RequestId>"
                + "</ResponseMetadata></DescribeAutoScalingGroupsResponse>";
    }

    private String describeRefreshes() {
        StringBuilder members = new StringBuilder();
        for (Refresh r : refreshes) {
            members.append("<member><InstanceRefreshId>").append(r.id()).append("</InstanceRefreshId><AutoScalingGroupName>")
                    .append(group).append("</AutoScalingGroupName><Status>").append(r.status())
                    .append("</Status><StartTime>2026-11-25T15:00:00Z</StartTime><PercentageComplete>10</PercentageComplete>")
                    .append("<DesiredConfiguration><LaunchTemplate><LaunchTemplateId>").append(LT)
                    .append("</LaunchTemplateId><Version>").append(r.version()).append("</Version></LaunchTemplate>")
                    .append("</DesiredConfiguration></member>");
        }
        return "<DescribeInstanceRefreshesResponse xmlns=\"" + ASG_NS + "\"><DescribeInstanceRefreshesResult><InstanceRefreshes>"
                + members + "</InstanceRefreshes></DescribeInstanceRefreshesResult><ResponseMetadata><RequestId>r5</RequestId>"
                + "</ResponseMetadata></DescribeInstanceRefreshesResponse>";
    }

    private String describeTargetHealth() {
        StringBuilder members = new StringBuilder();
        targetHealth.forEach((id, state) -> {
            String reason = switch (state) {
                case "initial" -> "<Reason>Elb.InitialHealthChecking</Reason><Description>Initial health checks in progress</Description>";
                case "unhealthy" -> "<Reason>Target.ResponseCodeMismatch</Reason><Description>Health checks failed with these codes: [502]</Description>";
                default -> "";
            };
            members.append("<member><HealthCheckPort>80</HealthCheckPort><TargetHealth><State>").append(state).append("</State>")
                    .append(reason).append("</TargetHealth><Target><Port>80</Port><Id>").append(id).append("</Id></Target></member>");
        });
        return "<DescribeTargetHealthResponse xmlns=\"" + ELB_NS + "\"><DescribeTargetHealthResult><TargetHealthDescriptions>"
                + members + "</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r7</RequestId>"
                + "</ResponseMetadata></DescribeTargetHealthResponse>";
    }

    private String describeContainerInstances() {
        List<String> items = new ArrayList<>();
        containerInstances.forEach((id, status) -> items.add("{\"containerInstanceArn\":\"" + ciArn(id) + "\",\"ec2InstanceId\":\"" + id
                + "\",\"status\":\"" + status + "\",\"agentConnected\":" + !agentDown.contains(id) + ",\"runningTasksCount\":2}"));
        return "{\"containerInstances\":[" + String.join(",", items) + "],\"failures\":[]}";
    }

    private String describeServices() {
        List<String> items = new ArrayList<>();
        services.forEach((name, counts) -> items.add("{\"serviceName\":\"" + name + "\",\"serviceArn\":\"arn:aws:ecs:eu-west-1:444455556666:service/web/"
                + name + "\",\"status\":\"ACTIVE\",\"desiredCount\":" + counts[1] + ",\"runningCount\":" + counts[0]
                + ",\"deployments\":[{\"id\":\"ecs-svc/1\",\"status\":\"PRIMARY\",\"rolloutState\":\"" + (counts[0] == counts[1] ? "COMPLETED" : "IN_PROGRESS")
                + "\",\"desiredCount\":" + counts[1] + ",\"runningCount\":" + counts[0] + "}]}"));
        return "{\"services\":[" + String.join(",", items) + "],\"failures\":[]}";
    }

    private static String ciArn(String instance) {
        return "arn:aws:ecs:eu-west-1:444455556666:container-instance/web/" + instance.substring(2).toLowerCase(Locale.ROOT);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

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
}
