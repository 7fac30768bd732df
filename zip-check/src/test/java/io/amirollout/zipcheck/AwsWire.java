package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The local endpoint's wire formats: query/XML services (EC2, Auto Scaling, SNS, STS) are told apart by
 * {@code Action=}, JSON 1.1 services by {@code X-Amz-Target}, REST-JSON services by path. Plus the two
 * things that are not AWS APIs: the container-credentials endpoint and the launcher's phase markers.
 */
final class AwsWire {

    static final String CREDENTIALS_PATH = "/creds";
    /** The value Lambda would put in AWS_CONTAINER_AUTHORIZATION_TOKEN; the SDK sends it as Authorization. */
    static final String CREDENTIALS_TOKEN = "zip-check-container-token";
    static final String MARKER_PREFIX = "/__zip-check/";

    private AwsWire() {
    }

    static MappingBuilder query(String action) {
        return post("/").withRequestBody(containing("Action=" + action + "&"));
    }

    static MappingBuilder json11(String target) {
        return post("/").withHeader("X-Amz-Target", equalTo(target));
    }

    /**
     * The state table (DynamoDB JSON 1.0): conditional PutItem accepted, GetItem finds nothing. Query (the fan-out
     * record) first answers one PENDING target that is due, then the same target INVOKED: the two variants of a
     * function each run against fresh stubs, so both see the same sequence.
     */
    static void stateTable(WireMockServer server) {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem")).willReturn(json10("{}")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.GetItem")).willReturn(json10("{}")));
        String target = "{\"pk\":{\"S\":\"release#arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4\"},"
                + "\"sk\":{\"S\":\"target#444455556666#eu-west-1\"},\"rev\":{\"N\":\"1\"},\"attempts\":{\"S\":\"0\"},"
                + "\"accountId\":{\"S\":\"444455556666\"},\"region\":{\"S\":\"eu-west-1\"},"
                + "\"imageId\":{\"S\":\"ami-0a1b2c3d4e5f60718\"},\"state\":{\"S\":\"%s\"}}";
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Query")).inScenario("fan-out")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(json10("{\"Count\":1,\"Items\":[" + target.formatted("PENDING") + "]}")).willSetStateTo("invoked"));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Query")).inScenario("fan-out")
                .whenScenarioStateIs("invoked")
                .willReturn(json10("{\"Count\":1,\"Items\":[" + target.formatted("INVOKED") + "]}")));
    }

    static ResponseDefinitionBuilder json10(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body);
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

    /**
     * What Lambda's credentials endpoint answers under SnapStart (the container-credentials format), only
     * to a request carrying the token: a zip that lost the token header gets WireMock's 404 instead.
     */
    static void containerCredentials(WireMockServer server) {
        server.stubFor(get(urlEqualTo(CREDENTIALS_PATH)).withHeader("Authorization", equalTo(CREDENTIALS_TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"AccessKeyId":"ASIAZIPCHECKEXAMPLE","SecretAccessKey":"zip-check-not-a-secret",\
                        "Token":"zip-check-session-token","Expiration":"2099-01-01T00:00:00Z"}""")));
    }

    /** The launcher's phase markers (construct, priming, sample/&lt;file&gt;, done). */
    static void markers(WireMockServer server) {
        server.stubFor(get(urlPathMatching(MARKER_PREFIX + ".*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    static void snsPublish(WireMockServer server) {
        server.stubFor(query("Publish").willReturn(xml(
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                        + "<MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>"
                        + "<ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata></PublishResponse>")));
    }

    static void webhook(WireMockServer server, String path) {
        server.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("ok")));
    }
}
