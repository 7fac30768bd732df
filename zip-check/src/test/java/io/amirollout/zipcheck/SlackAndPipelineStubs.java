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
 * Answers for slack-notifier (the webhook URL from Secrets Manager, then one POST to the local webhook) and
 * pipeline-starter (an S3 object created, so StartImagePipelineExecution, a REST-JSON PUT).
 */
final class SlackAndPipelineStubs {

    private SlackAndPipelineStubs() {
    }

    static void slack(WireMockServer server, String endpoint) {
        String webhook = endpoint + FunctionSpec.WEBHOOK_PATH;
        server.stubFor(json11("secretsmanager.GetSecretValue").willReturn(json(
                "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:444455556666:secret:ami-rollout/slack-AbCdEf\","
                        + "\"Name\":\"ami-rollout/slack\",\"VersionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\","
                        + "\"SecretString\":\"{\\\"webhookUrl\\\":\\\"" + webhook + "\\\"}\","
                        + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.763716500E9}")));
        AwsWire.webhook(server, FunctionSpec.WEBHOOK_PATH);
    }

    static void pipeline(WireMockServer server) {
        server.stubFor(put("/StartImagePipelineExecution").willReturn(restJson(
                "{\"requestId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\",\"clientToken\":\"t\",\"imageBuildVersionArn\":"
                        + "\"arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/5\"}")));
        AwsWire.snsPublish(server);
        AwsWire.stateTable(server);
    }
}
