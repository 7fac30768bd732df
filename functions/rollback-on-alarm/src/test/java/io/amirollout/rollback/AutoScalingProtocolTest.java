package io.amirollout.rollback;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.testing.InMemoryStateTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.IrreversibleInstanceRefreshException;

import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.amirollout.rollback.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The real AutoScalingClient against WireMock answering in Auto Scaling's query/XML wire format: what
 * mocks cannot show (the XML the SDK parses, the form parameters it sends, AWS error codes mapped to
 * exceptions, throttling retried, pagination).
 */
class AutoScalingProtocolTest {

    private static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private AutoScalingClient autoScaling;
    private RecordingPublisher notices;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        autoScaling = endpoint.client(AutoScalingClient.builder());
        notices = new RecordingPublisher();
    }

    @AfterEach
    void stop() {
        autoScaling.close();
        endpoint.stop();
    }

    // --- wire bodies -----------------------------------------------------------------------------------------

    private static String groupXml(String name, String alarms) {
        return """
                <member>
                  <AutoScalingGroupName>%1$s</AutoScalingGroupName>
                  <AutoScalingGroupARN>arn:aws:autoscaling:eu-west-1:444455556666:autoScalingGroup:1d2f3a4b-5c6d-7e8f-9a0b-1c2d3e4f5a6b:autoScalingGroupName/%1$s</AutoScalingGroupARN>
                  <LaunchTemplate>
                    <LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId>
                    <LaunchTemplateName>web</LaunchTemplateName>
                    <Version>8</Version>
                  </LaunchTemplate>
                  <MinSize>2</MinSize><MaxSize>6</MaxSize><DesiredCapacity>3</DesiredCapacity>
                  <DefaultCooldown>300</DefaultCooldown>
                  <AvailabilityZones><member>eu-west-1a</member><member>eu-west-1b</member></AvailabilityZones>
                  <HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod>
                  <CreatedTime>2026-01-12T09:30:00.000Z</CreatedTime>
                  <Tags>
                    <member><ResourceId>%1$s</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:alarms</Key><Value>%2$s</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                    <member><ResourceId>%1$s</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:previous-version</Key><Value>7</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                    <member><ResourceId>%1$s</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>ami-rollout:launch-template-id</Key><Value>lt-0a1b2c3d4e5f67890</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>
                  </Tags>
                </member>""".formatted(name, alarms);
    }

    private static String groupsPage(String nextToken, String... members) {
        return "<DescribeAutoScalingGroupsResponse xmlns=\"" + NS + "\"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
                + String.join("", members) + "</AutoScalingGroups>"
                + (nextToken == null ? "" : "<NextToken>" + nextToken + "</NextToken>")
                + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>8d8b6f1e-0e4d-4b5c-9a7f-3c2e1d0f9b8a</RequestId>"
                + "</ResponseMetadata></DescribeAutoScalingGroupsResponse>";
    }

    private static String refreshXml(String id, String status, String version, String start, String end) {
        return """
                <member>
                  <InstanceRefreshId>%s</InstanceRefreshId>
                  <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                  <Status>%s</Status>
                  <StatusReason>Waiting for instances to warm up before continuing. For example: i-0a1b2c3d4e5f67890 is warming up.</StatusReason>
                  %s%s
                  <PercentageComplete>33</PercentageComplete>
                  <InstancesToUpdate>2</InstancesToUpdate>
                  <Preferences><MinHealthyPercentage>90</MinHealthyPercentage><InstanceWarmup>60</InstanceWarmup><SkipMatching>true</SkipMatching><AutoRollback>false</AutoRollback></Preferences>
                  <DesiredConfiguration><LaunchTemplate><LaunchTemplateId>lt-0a1b2c3d4e5f67890</LaunchTemplateId><Version>%s</Version></LaunchTemplate></DesiredConfiguration>
                </member>""".formatted(id, status, start == null ? "" : "<StartTime>" + start + "</StartTime>",
                end == null ? "" : "<EndTime>" + end + "</EndTime>", version);
    }

    private static String refreshesPage(String... members) {
        return "<DescribeInstanceRefreshesResponse xmlns=\"" + NS + "\"><DescribeInstanceRefreshesResult><InstanceRefreshes>"
                + String.join("", members) + "</InstanceRefreshes></DescribeInstanceRefreshesResult>"
                + "<ResponseMetadata><RequestId>0b6f3c2d-1e4a-4f5b-8c7d-9e0a1b2c3d4e</RequestId></ResponseMetadata></DescribeInstanceRefreshesResponse>";
    }

    private static String refreshIdResponse(String action, String id) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result><InstanceRefreshId>" + id
                + "</InstanceRefreshId></" + action + "Result><ResponseMetadata><RequestId>5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f</RequestId></ErrorResponse>";
    }

    private void answer(String action, String body) {
        server.stubFor(post("/").withRequestBody(containing("Action=" + action))
                .willReturn(okXml(body)));
    }

    private void answerError(String action, int status, String code, String message) {
        server.stubFor(post("/").withRequestBody(containing("Action=" + action))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(error(code, message))));
    }

    private final InMemoryStateTable table = new InMemoryStateTable();

    private RollbackService service() {
        return new RollbackService(autoScaling, table, notices, config(), CLOCK);
    }

    // --- tests -------------------------------------------------------------------------------------------------

    @Test
    void describeInstanceRefreshesIsParsedWithDesiredConfigurationAndTimes() {
        answer("DescribeInstanceRefreshes", refreshesPage(
                refreshXml("rf-new", "Baking", "8", "2026-11-21T15:15:00Z", null),
                refreshXml("rf-old", "Successful", "7", "2026-11-07T15:00:00Z", "2026-11-07T15:40:12Z")));

        List<InstanceRefresh> refreshes = autoScaling.describeInstanceRefreshes(r -> r.autoScalingGroupName("web-asg")
                .maxRecords(100)).instanceRefreshes();

        assertEquals(2, refreshes.size());
        assertEquals(InstanceRefreshStatus.BAKING, refreshes.get(0).status());
        assertEquals("8", InstanceRefreshes.targetVersion(refreshes.get(0)));
        assertEquals(Instant.parse("2026-11-07T15:40:12Z"), refreshes.get(1).endTime());
        server.verify(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("AutoScalingGroupName=web-asg"))
                .withRequestBody(containing("MaxRecords=100"))
                .withRequestBody(containing("Version=2011-01-01")));
    }

    @Test
    void rollbackEndToEndAcrossPagedGroupListing() {
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups"))
                .withRequestBody(notContaining("NextToken"))
                .willReturn(okXml(groupsPage("page-2-token", groupXml("api-asg", "api-errors")))));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeAutoScalingGroups"))
                .withRequestBody(containing("NextToken=page-2-token"))
                .willReturn(okXml(groupsPage(null, groupXml("web-asg", "web-5xx-rate, web-ecs-task-errors")))));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "InProgress", "8", "2026-11-21T15:15:00Z", null)));
        answer("RollbackInstanceRefresh", refreshIdResponse("RollbackInstanceRefresh", "rf-active"));

        RollbackResult result = service().handle(firing(), false);

        assertEquals("ACTED", result.outcome(), result.toString());
        assertEquals(1, result.groups().size(), "only the group whose tag names the alarm");
        assertEquals(GroupOutcome.ROLLBACK_STARTED, result.groups().get(0).outcome());
        server.verify(2, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeAutoScalingGroups"))
                .withRequestBody(containing("Filters.member.1.Name=tag-key"))
                .withRequestBody(containing("Filters.member.1.Values.member.1=ami-rollout%3Aalarms")));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=RollbackInstanceRefresh"))
                .withRequestBody(containing("AutoScalingGroupName=web-asg")));
    }

    @Test
    void irreversibleInstanceRefreshMapsToItsExceptionAndTheRefreshIsCancelled() {
        answerError("RollbackInstanceRefresh", 400, "IrreversibleInstanceRefresh",
                "Rollback is not possible because the desired configuration uses the $Latest launch template version.");
        assertThrows(IrreversibleInstanceRefreshException.class,
                () -> autoScaling.rollbackInstanceRefresh(r -> r.autoScalingGroupName("web-asg")));

        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "InProgress", "$Latest", "2026-11-21T15:15:00Z", null)));
        answer("CancelInstanceRefresh", refreshIdResponse("CancelInstanceRefresh", "rf-active"));

        RollbackResult result = service().handle(firing(), false);

        assertEquals(GroupOutcome.CANCELLED_NOT_ROLLED_BACK, result.groups().get(0).outcome());
        assertTrue(result.groups().get(0).reason().contains("IrreversibleInstanceRefresh: Rollback is not possible"));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CancelInstanceRefresh"))
                .withRequestBody(containing("AutoScalingGroupName=web-asg")));
        assertEquals(NotificationKind.ROLLBACK_FAILED, notices.only().kind());
    }

    @Test
    void activeInstanceRefreshNotFoundMapsToItsException() {
        answerError("RollbackInstanceRefresh", 400, "ActiveInstanceRefreshNotFound",
                "No in progress or pending Instance Refresh found for Auto Scaling group web-asg");

        ActiveInstanceRefreshNotFoundException e = assertThrows(ActiveInstanceRefreshNotFoundException.class,
                () -> autoScaling.rollbackInstanceRefresh(r -> r.autoScalingGroupName("web-asg")));

        assertEquals("ActiveInstanceRefreshNotFound", e.awsErrorDetails().errorCode());
        server.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void throttlingIsRetriedThenSucceeds() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "Pending", "8", null, null)));
        server.stubFor(post("/").withRequestBody(containing("Action=RollbackInstanceRefresh"))
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withBody(error("Throttling", "Rate exceeded")))
                .willSetStateTo("recovered"));
        server.stubFor(post("/").withRequestBody(containing("Action=RollbackInstanceRefresh"))
                .inScenario("throttle").whenScenarioStateIs("recovered")
                .willReturn(okXml(refreshIdResponse("RollbackInstanceRefresh", "rf-active"))));

        RollbackResult result = service().handle(firing(), false);

        assertEquals(GroupOutcome.ROLLBACK_STARTED, result.groups().get(0).outcome());
        server.verify(2, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=RollbackInstanceRefresh")));
    }

    @Test
    void rollForwardSendsTheDesiredConfigurationAndPreferences() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-done", "Successful", "8",
                "2026-11-21T15:00:00Z", "2026-11-21T15:35:00Z")));
        answer("StartInstanceRefresh", refreshIdResponse("StartInstanceRefresh", "rf-forward"));
        answer("CreateOrUpdateTags", "<CreateOrUpdateTagsResponse xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateOrUpdateTagsResponse>");
        answer("DeleteTags", "<DeleteTagsResponse xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteTagsResponse>");
        ours(table, "web-asg", "rf-done", ReleaseState.SUCCEEDED);

        RollbackResult result = service().handle(firing(), false);

        assertEquals(GroupOutcome.ROLL_FORWARD_STARTED, result.groups().get(0).outcome(), result.toString());
        assertEquals("rf-forward", result.groups().get(0).newInstanceRefreshId());
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=StartInstanceRefresh"))
                .withRequestBody(containing("AutoScalingGroupName=web-asg"))
                .withRequestBody(containing("Strategy=Rolling"))
                .withRequestBody(containing("DesiredConfiguration.LaunchTemplate.LaunchTemplateId=lt-0a1b2c3d4e5f67890"))
                .withRequestBody(containing("DesiredConfiguration.LaunchTemplate.Version=7"))
                .withRequestBody(containing("Preferences.SkipMatching=true"))
                .withRequestBody(containing("Preferences.AutoRollback=false"))
                .withRequestBody(containing("Preferences.MinHealthyPercentage=90"))
                .withRequestBody(containing("Preferences.ScaleInProtectedInstances=Ignore"))
                .withRequestBody(containing("Preferences.StandbyInstances=Ignore"))
                .withRequestBody(notContaining("AlarmSpecification")));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=CreateOrUpdateTags"))
                .withRequestBody(containing("Tags.member.1.Key=ami-rollout%3Acurrent-version"))
                .withRequestBody(containing("Tags.member.1.Value=7")));
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DeleteTags"))
                .withRequestBody(containing("Tags.member.1.Key=ami-rollout%3Aprevious-version")));
    }

    @Test
    void throttlingBeyondTheSdkRetriesFailsTheInvocation() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "InProgress", "8", "2026-11-21T15:15:00Z", null)));
        answerError("RollbackInstanceRefresh", 400, "Throttling", "Rate exceeded");

        RetryableFailure e = assertThrows(RetryableFailure.class, () -> service().handle(firing(), false));

        assertTrue(e.getMessage().contains("Throttling"), e.getMessage());
        server.verify(3, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=RollbackInstanceRefresh")));
        assertTrue(notices.all().isEmpty(), "no notice for a failure Lambda retries");
    }

    @Test
    void resourceContentionBeyondTheSdkRetriesFailsTheInvocation() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "InProgress", "8", "2026-11-21T15:15:00Z", null)));
        server.stubFor(post("/").withRequestBody(containing("Action=RollbackInstanceRefresh"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/xml").withBody(error("ResourceContention",
                        "You already have a pending update to an Auto Scaling resource (for example, a group, instance, or load balancer)."))));

        assertThrows(RetryableFailure.class, () -> service().handle(firing(), false));
    }

    @Test
    void accessDeniedIsAFailedResultWithANotice() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        answer("DescribeInstanceRefreshes", refreshesPage(refreshXml("rf-active", "InProgress", "8", "2026-11-21T15:15:00Z", null)));
        answerError("RollbackInstanceRefresh", 403, "AccessDenied", "User is not authorized to perform: autoscaling:RollbackInstanceRefresh");

        RollbackResult result = service().handle(firing(), false);

        assertEquals(GroupOutcome.FAILED, result.groups().get(0).outcome());
        assertTrue(result.groups().get(0).reason().contains("AccessDenied"), result.groups().get(0).reason());
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=RollbackInstanceRefresh")));
        assertEquals(NotificationKind.ROLLBACK_FAILED, notices.only().kind());
    }

    @Test
    void instanceRefreshInProgressOnStartIsRecognised() {
        answer("DescribeAutoScalingGroups", groupsPage(null, groupXml("web-asg", "web-ecs-task-errors")));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstanceRefreshes"))
                .inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okXml(refreshesPage(refreshXml("rf-done", "Successful", "8", "2026-11-21T15:00:00Z", "2026-11-21T15:35:00Z")))));
        server.stubFor(post("/").withRequestBody(containing("Action=StartInstanceRefresh"))
                .inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withBody(error("InstanceRefreshInProgress",
                        "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")))
                .willSetStateTo("lost"));
        server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstanceRefreshes"))
                .inScenario("race").whenScenarioStateIs("lost")
                .willReturn(okXml(refreshesPage(refreshXml("rf-forward", "InProgress", "7", "2026-11-21T15:44:00Z", null),
                        refreshXml("rf-done", "Successful", "8", "2026-11-21T15:00:00Z", "2026-11-21T15:35:00Z")))));
        // The winner's records are already there (it finished before our second read).
        GroupLedger ledger = ours(table, "web-asg", "rf-done", ReleaseState.ROLLED_FORWARD);
        ledger.reject(new io.amirollout.shared.state.RejectedAmi("web-asg", BAD_AMI, "rollback-on-alarm", "winner", "rf-done", NOW));
        answer("CreateOrUpdateTags", "<CreateOrUpdateTagsResponse xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateOrUpdateTagsResponse>");
        answer("DeleteTags", "<DeleteTagsResponse xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteTagsResponse>");

        RollbackResult result = service().handle(firing(), false);

        assertEquals(GroupOutcome.ALREADY_UNDOING, result.groups().get(0).outcome(), result.toString());
        server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=StartInstanceRefresh")));
    }
}
