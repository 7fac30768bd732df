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
 * Answers for cross-account-invoker: an image AVAILABLE, so GetImage, then AssumeRole per account and an
 * asynchronous Invoke of instance-refresh in it; ListAccounts for samples that select by organisation.
 */
final class CrossAccountStubs {

    private CrossAccountStubs() {
    }

    static void stubs(WireMockServer server) {
        String image = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
        server.stubFor(get(urlPathEqualTo("/GetImage")).willReturn(restJson("""
                {"requestId":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","image":{
                  "arn":"%s","name":"golden-al2023","version":"1.0.3/4","type":"AMI","platform":"Linux",
                  "state":{"status":"AVAILABLE"},"dateCreated":"2026-11-21T09:58:40.112Z",
                  "outputResources":{"amis":[
                    {"region":"eu-west-1","image":"ami-0a1b2c3d4e5f60718","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"},
                    {"region":"us-east-1","image":"ami-0f9e8d7c6b5a49382","name":"golden-al2023 2026-11-21T10-31-05.112Z","accountId":"111122223333"}]},
                  "sourcePipelineArn":"arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023",
                  "buildType":"USER_INITIATED","tags":{}}}""".formatted(image))));
        // The AMI is shared with the organization (EC2 query protocol).
        server.stubFor(query("DescribeImageAttribute").willReturn(xml("""
                <DescribeImageAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><imageId>ami-0a1b2c3d4e5f60718</imageId>
                  <launchPermission><item><organizationArn>arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5</organizationArn></item></launchPermission>
                </DescribeImageAttributeResponse>""")));
        AwsWire.stateTable(server);
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
        AwsWire.snsPublish(server);
    }
}
