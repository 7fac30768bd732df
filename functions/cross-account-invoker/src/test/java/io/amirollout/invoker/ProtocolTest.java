package io.amirollout.invoker;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The real SDK clients (built the production way, through AwsClients) against WireMock answering
 * in each service's wire format: Organizations JSON 1.1 (X-Amz-Target), STS query/XML, Lambda and
 * Image Builder REST-JSON.
 */
class ProtocolTest {

    static final String EVENTS = "../../events/cross-account-invoker/";
    static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    static final String INVOKE_PATH = "/2015-03-31/functions/ami-rollout-instance-refresh/invocations";
    static final String ORGS = "AWSOrganizationsV20161128.";

    private LocalAwsEndpoint local;
    private WireMockServer server;
    private OrganizationsClient organizations;
    private ImagebuilderClient imagebuilder;
    private StsClient sts;
    private RecordingPublisher publisher;

    @BeforeEach
    void start() {
        local = LocalAwsEndpoint.start();
        server = local.server();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDINFRA", "infra-secret"));
        URI endpoint = local.uri();
        organizations = AwsClients.build(OrganizationsClient.builder().endpointOverride(endpoint), Region.US_EAST_1, credentials);
        imagebuilder = AwsClients.build(ImagebuilderClient.builder().endpointOverride(endpoint), Region.EU_WEST_1, credentials);
        sts = AwsClients.build(StsClient.builder().endpointOverride(endpoint), Region.EU_WEST_1, credentials);
        publisher = new RecordingPublisher();
        stubGetImage(); // every image notice is confirmed with GetImage
    }

    @AfterEach
    void stop() {
        organizations.close();
        imagebuilder.close();
        sts.close();
        local.stop();
    }

    private CrossAccountInvokerService service(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("TARGET_ROLE_NAME", "ami-rollout-invoke",
                "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh", "EXTERNAL_ID", "ext-2026",
                "SOURCE_PIPELINE_ARNS", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                "STATE_TABLE_NAME", "state"));
        env.putAll(extra);
        URI endpoint = local.uri();
        // As in production: one client per region whose own credentials refuse to sign; each Invoke
        // must be signed with the target account's assumed credentials carried on the request.
        LambdaClientFactory lambdas = LambdaClientFactory.sharedPerRegion(region -> AwsClients.build(
                LambdaClient.builder().endpointOverride(endpoint), region, LambdaClientFactory.NO_OWN_CREDENTIALS));
        return new CrossAccountInvokerService(CrossAccountInvokerConfig.from(Env.of(env)), organizations, imagebuilder,
                sts, lambdas, region -> sharedWithOrganization(),
                new io.amirollout.shared.testing.InMemoryStateTable(), publisher,
                Clock.fixed(Instant.parse("2026-11-21T10:45:00Z"), ZoneOffset.UTC));
    }

    static software.amazon.awssdk.services.ec2.Ec2Client sharedWithOrganization() {
        return new software.amazon.awssdk.services.ec2.Ec2Client() {
            @Override
            public software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse describeImageAttribute(
                    software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest request) {
                return software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse.builder()
                        .launchPermissions(software.amazon.awssdk.services.ec2.model.LaunchPermission.builder()
                                .organizationArn("arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5").build()).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {
            }
        };
    }

    static CrossAccountInvokerService.Invocation plentyOfTime() {
        return new CrossAccountInvokerService.Invocation(() -> 600_000, c -> {
            throw new AssertionError("no continuation expected: " + c);
        }, d -> { });
    }

    private InvokerResult run(CrossAccountInvokerService service, String file) {
        return service.handle(ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + file))), false, plentyOfTime()).get(0);
    }

    // ---- wire-format answers -------------------------------------------------------------------

    private static String account(String id, String state) {
        return """
                {"Id":"%s","Arn":"arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/%s","Email":"aws+%s@example.com",
                 "Name":"workload-%s","Status":"%s","State":"%s","JoinedMethod":"CREATED","JoinedTimestamp":1.7320176E9}"""
                .formatted(id, id, id, id, state.equals("CLOSED") ? "SUSPENDED" : state, state);
    }

    private void stubListAccountsPage(String token, String nextToken, String... accounts) {
        var request = post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListAccounts"));
        request = token == null ? request.withRequestBody(notContaining("NextToken"))
                : request.withRequestBody(matchingJsonPath("$.NextToken", equalTo(token)));
        server.stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"Accounts\":[" + String.join(",", accounts) + "]"
                        + (nextToken == null ? "" : ",\"NextToken\":\"" + nextToken + "\"") + "}")));
    }

    private static String assumeRoleOk(String account) {
        return """
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <SourceIdentity/>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::%s:assumed-role/ami-rollout-invoke/ami-rollout-golden-al2023-1.0.3-4</Arn>
                      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:ami-rollout-golden-al2023-1.0.3-4</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>ASIA%s</AccessKeyId>
                      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCY%s</SecretAccessKey>
                      <SessionToken>session-token-%s</SessionToken>
                      <Expiration>2026-11-21T11:00:00Z</Expiration>
                    </Credentials>
                    <PackedPolicySize>6</PackedPolicySize>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                </AssumeRoleResponse>""".formatted(account, account, account, account);
    }

    private void stubAssumeRole(String account) {
        server.stubFor(post("/").withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing(URLEncoder.encode("arn:aws:iam::" + account + ":role/", StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(assumeRoleOk(account))));
    }

    private void stubAssumeRoleDenied(String account) {
        server.stubFor(post("/").withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing(URLEncoder.encode("arn:aws:iam::" + account + ":role/", StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>AccessDenied</Code>
                            <Message>User: arn:aws:sts::111122223333:assumed-role/invoker/fn is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::%s:role/ami-rollout-invoke</Message>
                          </Error>
                          <RequestId>4b1f5b2e-1c1a-4f2b-9c6d-0d8e7f6a5b4c</RequestId>
                        </ErrorResponse>""".formatted(account))));
    }

    private void stubInvoke(String account, String region, int status, String errorType, String body) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "5c1e0a2b-7d3f-4e8a-9b6c-1d2e3f4a5b6c");
        if (errorType != null) {
            response = response.withHeader("x-amzn-ErrorType", errorType).withBody(body);
        }
        server.stubFor(post(INVOKE_PATH)
                .withHeader("Authorization", matching(".*Credential=ASIA" + account + "/[0-9]{8}/" + region + "/lambda/aws4_request.*"))
                .willReturn(response));
    }

    private void stubGetImage() {
        server.stubFor(get(urlPathEqualTo("/GetImage")).withQueryParam("imageBuildVersionArn", equalTo(IMAGE_ARN))
                .willReturn(okJson("""
                        {"requestId":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","image":{
                          "arn":"%s","name":"golden-al2023","version":"1.0.3/4","type":"AMI","platform":"Linux",
                          "state":{"status":"AVAILABLE"},"dateCreated":"2026-11-21T09:58:40.112Z",
                          "outputResources":{"amis":[
                            {"region":"eu-west-1","image":"ami-0a1b2c3d4e5f60718","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"},
                            {"region":"us-east-1","image":"ami-0f9e8d7c6b5a49382","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"}]},
                          "sourcePipelineArn":"arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                          "buildType":"USER_INITIATED","tags":{}}}""".formatted(IMAGE_ARN))));
    }

    // ---- tests ----------------------------------------------------------------------------------

    @Test
    void wholeFanOutAcrossPagesAccountsAndErrors() {
        stubListAccountsPage(null, "page-2", account("444455556666", "ACTIVE"), account("555566667777", "ACTIVE"));
        stubListAccountsPage("page-2", "page-3");                              // empty page, token still set
        stubListAccountsPage("page-3", null, account("666677778888", "ACTIVE"), account("777788889999", "SUSPENDED"));
        stubAssumeRole("444455556666");
        stubAssumeRoleDenied("555566667777");
        stubAssumeRole("666677778888");
        stubInvoke("444455556666", "eu-west-1", 202, null, null);
        stubInvoke("444455556666", "us-east-1", 202, null, null);
        stubInvoke("666677778888", "eu-west-1", 404, "ResourceNotFoundException", """
                {"Type":"User","message":"Function not found: arn:aws:lambda:eu-west-1:666677778888:function:ami-rollout-instance-refresh"}""");
        stubInvoke("666677778888", "us-east-1", 202, null, null);

        InvokerResult r = run(service(Map.of()), "eventbridge-image-available.json");

        assertEquals(List.of("eu-west-1", "us-east-1"), r.regions());
        assertEquals(3, r.accounts(), "the empty middle page did not end the listing");
        assertEquals(3, r.succeeded());
        assertEquals(2, r.failed(), "AccessDenied on AssumeRole: both regions of that account");
        assertEquals(1, r.notDeployed(), "404 ResourceNotFoundException: instance-refresh is not deployed there");
        assertEquals(2, r.skipped());
        assertEquals(List.of(new SkippedAccount("777788889999", "account state SUSPENDED")), r.skippedAccounts());
        assertTrue(r.failures().stream().filter(f -> f.accountId().equals("555566667777"))
                .allMatch(f -> "AccessDenied".equals(f.errorCode()) && f.reason().contains("not authorized")));

        server.verify(3, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ORGS + "ListAccounts")));
        server.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing("DurationSeconds=900"))
                .withRequestBody(containing("ExternalId=ext-2026"))
                .withRequestBody(containing("RoleSessionName=ami-rollout-golden-al2023-1.0.3-4")));
        // The async invocation, signed with the workload account's assumed credentials.
        server.verify(postRequestedFor(urlEqualTo(INVOKE_PATH))
                .withHeader("X-Amz-Invocation-Type", equalTo("Event"))
                .withHeader("X-Amz-Security-Token", equalTo("session-token-444455556666")));
        var invocation = server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(INVOKE_PATH))
                .filter(e -> e.getRequest().getHeader("Authorization").contains("ASIA444455556666/")
                        && e.getRequest().getHeader("Authorization").contains("/us-east-1/"))
                .findFirst().orElseThrow();
        ImageReleased payload = ImageReleased.from(Json.readTree(invocation.getRequest().getBodyAsString()));
        assertEquals(IMAGE_ARN, payload.correlationId());
        assertEquals("ami-0f9e8d7c6b5a49382", payload.amis().get(0).imageId());
    }

    @Test
    void lambdaAccessDeniedIsAFailureOfThatTargetOnly() {
        stubAssumeRole("444455556666");
        stubAssumeRole("555566667777");
        stubInvoke("444455556666", "eu-west-1", 403, "AccessDeniedException", """
                {"Type":"User","Message":"User: arn:aws:sts::444455556666:assumed-role/ami-rollout-invoke/s is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:444455556666:function:ami-rollout-instance-refresh"}""");
        stubInvoke("555566667777", "eu-west-1", 202, null, null);

        InvokerResult r = run(service(Map.of("TARGET_ACCOUNTS", "444455556666,555566667777", "TARGET_REGIONS", "eu-west-1")),
                "sns-image-available.json");

        assertEquals(1, r.succeeded());
        assertEquals(1, r.failed());
        assertEquals("AccessDeniedException", r.failures().get(0).errorCode());
        assertTrue(r.failures().get(0).reason().contains("(403)"));
        server.verify(0, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", containing(ORGS)));
    }

    @Test
    void throttledInvokeIsRetriedBySdkThenAccepted() {
        stubAssumeRole("444455556666");
        server.stubFor(post(INVOKE_PATH).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}"))
                .willSetStateTo("ok"));
        server.stubFor(post(INVOKE_PATH).inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202)));

        InvokerResult r = run(service(Map.of("TARGET_ACCOUNTS", "444455556666", "TARGET_REGIONS", "eu-west-1")),
                "sns-image-available.json");

        assertEquals(1, r.succeeded());
        server.verify(2, postRequestedFor(urlEqualTo(INVOKE_PATH)));
    }

    @Test
    void throttledOrganizationsListingIsRetriedBySdk() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListAccounts")).inScenario("orgs")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"TooManyRequestsException\",\"Message\":\"AWS Organizations can't complete your request because another request is already in progress.\"}"))
                .willSetStateTo("ok"));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListAccounts")).inScenario("orgs")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Accounts\":[" + account("444455556666", "ACTIVE") + "]}")));
        stubAssumeRole("444455556666");
        stubInvoke("444455556666", "eu-west-1", 202, null, null);

        InvokerResult r = run(service(Map.of("TARGET_REGIONS", "eu-west-1")), "sns-image-available.json");

        assertEquals(1, r.succeeded());
        server.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ORGS + "ListAccounts")));
    }

    @Test
    void organizationalUnitsAreWalkedOverTheWire() {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListAccountsForParent"))
                .withRequestBody(matchingJsonPath("$.ParentId", equalTo("ou-ab12-aaaaaaaa")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Accounts\":[" + account("444455556666", "ACTIVE") + "]}")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListAccountsForParent"))
                .withRequestBody(matchingJsonPath("$.ParentId", equalTo("ou-ab12-bbbbbbbb")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Accounts\":[" + account("555566667777", "PENDING_CLOSURE") + "]}")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListOrganizationalUnitsForParent"))
                .withRequestBody(matchingJsonPath("$.ParentId", equalTo("ou-ab12-aaaaaaaa")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"OrganizationalUnits\":[{\"Id\":\"ou-ab12-bbbbbbbb\",\"Arn\":\"arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-bbbbbbbb\",\"Name\":\"prod\"}]}")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(ORGS + "ListOrganizationalUnitsForParent"))
                .withRequestBody(matchingJsonPath("$.ParentId", equalTo("ou-ab12-bbbbbbbb")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"OrganizationalUnits\":[]}")));

        InvokerResult r = service(Map.of("ORGANIZATIONAL_UNITS", "ou-ab12-aaaaaaaa", "DRY_RUN", "true"))
                .handle(ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + "sns-image-available.json"))), false,
                        plentyOfTime()).get(0);

        assertEquals(InvokerResult.Status.DRY_RUN, r.status());
        assertEquals(List.of("444455556666"), r.dryRunTargets().stream().map(TargetResult::accountId).distinct().toList());
        assertEquals(List.of(new SkippedAccount("555566667777", "account state PENDING_CLOSURE")), r.skippedAccounts());
        server.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole")));
    }
}
