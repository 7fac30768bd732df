package io.amirollout.shared;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.*;

class AwsClientsTest {

    @Test
    void regionComesFromAwsRegion() {
        // Surefire sets AWS_REGION=eu-west-1 for every test JVM.
        assertEquals(Region.EU_WEST_1, AwsClients.region());
    }

    @Test
    void endpointComesFromTheSdksOwnEndpointSetting() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // aws.endpointUrlSns is the system-property twin of AWS_ENDPOINT_URL_SNS, read by the SDK itself.
        System.setProperty("aws.endpointUrlSns", server.baseUrl());
        try (SnsClient sns = AwsClients.build(SnsClient.builder())) {
            server.stubFor(post("/").willReturn(ok("""
                    <PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>""")));
            String id = sns.publish(b -> b.topicArn("arn:aws:sns:eu-west-1:1:t").message("hi")).messageId();
            assertEquals("m-1", id);
            server.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("Authorization", containing("eu-west-1/sns")));
        } finally {
            System.clearProperty("aws.endpointUrlSns");
            server.stop();
        }
    }
}
