package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.amirollout.zipcheck.AwsWire.query;
import static io.amirollout.zipcheck.AwsWire.xml;

/**
 * AWS errors in each service's real wire format, laid over the happy-path stubs (higher priority) for
 * some calls only, so the SDK's error unmarshalling (error code to modelled exception class, looked up
 * by name: what a shrinker can silently drop) and its retry of throttling run in both zips while the other
 * samples still succeed. Scenarios make "the Nth call" deterministic: samples run in a fixed order and
 * every child starts from fresh stubs.
 */
final class ErrorPathStubs {

    private static final int OVER_HAPPY_PATH = 1;

    private ErrorPathStubs() {
    }

    /** slack-notifier: no error overlay; its samples run on the happy paths only. */
    static void none(WireMockServer server) {
    }

    /**
     * rollback-on-alarm: the first conditional write of the state table loses (DynamoDB's modelled
     * ConditionalCheckFailedException: the function reads again and decides again); 2nd rollback throttled once
     * then accepted, 3rd finds no active refresh (modelled fault).
     */
    static void rollback(WireMockServer server) {
        server.stubFor(AwsWire.json11("DynamoDB_20120810.PutItem").atPriority(OVER_HAPPY_PATH).inScenario("claims")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                                + "\"message\":\"The conditional request failed\"}"))
                .willSetStateTo("claimed"));
        String scenario = "rollbacks";
        String ok = "<RollbackInstanceRefreshResponse xmlns=\"" + RollbackAndHostnameStubs.ASG_NS + "\"><RollbackInstanceRefreshResult>"
                + "<InstanceRefreshId>c2b3a4d5-6e7f-4a8b-9c0d-1e2f3a4b5c6d</InstanceRefreshId></RollbackInstanceRefreshResult>"
                + "<ResponseMetadata><RequestId>5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9</RequestId></ResponseMetadata></RollbackInstanceRefreshResponse>";
        server.stubFor(query("RollbackInstanceRefresh").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willReturn(xml(ok)).willSetStateTo("second"));
        server.stubFor(query("RollbackInstanceRefresh").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs("second").willReturn(queryError(400, RollbackAndHostnameStubs.ASG_NS, "Throttling", "Rate exceeded"))
                .willSetStateTo("second-retried"));
        server.stubFor(query("RollbackInstanceRefresh").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs("second-retried").willReturn(xml(ok)).willSetStateTo("third"));
        server.stubFor(query("RollbackInstanceRefresh").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs("third").willReturn(queryError(400, RollbackAndHostnameStubs.ASG_NS,
                        "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group web-asg")));
    }

    /** termination-hostname: one sample's instance is already gone (EC2's own error format, no modelled class). */
    static void hostname(WireMockServer server) {
        server.stubFor(query("DescribeInstances").atPriority(OVER_HAPPY_PATH)
                .withRequestBody(containing("i-07b4e2c9d1a3f8e56"))
                .willReturn(ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID 'i-07b4e2c9d1a3f8e56' does not exist")));
    }

    /** instance-refresh: the first DescribeImages is throttled (EC2 answers 503 RequestLimitExceeded), the retry succeeds. */
    static void instanceRefresh(WireMockServer server) {
        server.stubFor(query("DescribeImages").atPriority(OVER_HAPPY_PATH).inScenario("describe-images")
                .whenScenarioStateIs(STARTED).willReturn(ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."))
                .willSetStateTo("throttled-once"));
    }

    /** pipeline-starter: the 3rd start finds the pipeline busy (REST-JSON modelled exception). */
    static void pipeline(WireMockServer server) {
        String scenario = "pipeline-starts";
        String ok = "{\"requestId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\",\"clientToken\":\"t\",\"imageBuildVersionArn\":"
                + "\"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/5\"}";
        server.stubFor(put("/StartImagePipelineExecution").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willReturn(AwsWire.restJson(ok)).willSetStateTo("second"));
        server.stubFor(put("/StartImagePipelineExecution").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs("second").willReturn(AwsWire.restJson(ok)).willSetStateTo("third"));
        server.stubFor(put("/StartImagePipelineExecution").atPriority(OVER_HAPPY_PATH).inScenario(scenario)
                .whenScenarioStateIs("third").willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType", "ResourceInUseException")
                        .withHeader("x-amzn-RequestId", "7d3e1f2a-0b4c-4d5e-8f6a-7b8c9d0e1f2a")
                        .withBody("{\"message\":\"The resource golden-al2023 is in use by another image build.\"}")));
    }

    /** cross-account-invoker: one account's role does not trust the invoker (STS AccessDenied, 403). */
    static void crossAccount(WireMockServer server) {
        server.stubFor(query("AssumeRole").atPriority(OVER_HAPPY_PATH).withRequestBody(containing("555566667777"))
                .willReturn(queryError(403, "https://sts.amazonaws.com/doc/2011-06-15/", "AccessDenied",
                        "User: arn:aws:sts::111122223333:assumed-role/ami-rollout-cross-account-invoker/x is not authorized"
                                + " to perform: sts:AssumeRole on resource: arn:aws:iam::555566667777:role/ami-rollout-invoker")));
    }

    /** The query protocol's error document (Auto Scaling, SNS, STS). */
    private static ResponseDefinitionBuilder queryError(int status, String namespace, String code, String message) {
        return xml("<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b</RequestId></ErrorResponse>")
                .withStatus(status);
    }

    /** EC2's own error document (the ec2 protocol differs from the query protocol here). */
    private static ResponseDefinitionBuilder ec2Error(int status, String code, String message) {
        return xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>9b2f6c1e-4a7d-4e3b-8c5f-1d2e3f4a5b6c</RequestID></Response>")
                .withStatus(status);
    }
}
