package io.amirollout.janitor;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The usage-report calls with the real SDK client against EC2's query/XML wire format (moto does not
 * implement them): request parameters as EC2 documents them, pagination, and the answer read back.
 */
class UsageReportsProtocolTest {

    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String IMAGE = "ami-0123456789abcdef0";
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    private LocalAwsEndpoint endpoint;
    private WireMockServer server;
    private Ec2Client ec2;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        server = endpoint.server();
        ec2 = endpoint.client(Ec2Client.builder());
    }

    @AfterEach
    void stop() {
        ec2.close();
        endpoint.stop();
    }

    private void answer(String action, String extraMatch, String body) {
        var mapping = post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action));
        if (extraMatch != null) {
            mapping = mapping.withRequestBody(containing(extraMatch));
        }
        server.stubFor(mapping.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody("<" + action + "Response xmlns=\"" + NS + "\"><requestId>r-1</requestId>" + body + "</" + action + "Response>")));
    }

    private static String report(String id, String state, Instant created) {
        return "<item><imageId>" + IMAGE + "</imageId><reportId>" + id + "</reportId><state>" + state + "</state>"
                + "<creationTime>" + created + "</creationTime><expirationTime>" + created.plus(Duration.ofDays(30)) + "</expirationTime>"
                + "<resourceTypeSet><item><resourceType>ec2:Instance</resourceType></item></resourceTypeSet></item>";
    }

    private static String form(LoggedRequest request) {
        return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
    }

    @Test
    void withoutAReportOneIsRequestedForInstancesAndLaunchTemplates() {
        answer("DescribeImageUsageReports", null, "<imageUsageReportSet/>");
        answer("CreateImageUsageReport", null, "<reportId>amiur-00000000000000001</reportId>");

        UsageReports.Answer answer = new UsageReports().check(ec2, IMAGE, NOW.minus(Duration.ofHours(48)), NOW);

        assertInstanceOf(UsageReports.Unknown.class, answer);
        assertTrue(((UsageReports.Unknown) answer).why().contains("amiur-00000000000000001 requested"), answer.toString());
        List<LoggedRequest> creates = server.findAll(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=CreateImageUsageReport")));
        assertEquals(1, creates.size());
        String body = form(creates.get(0));
        assertTrue(body.contains("ImageId=" + IMAGE), body);
        assertTrue(body.contains("ResourceType.1.ResourceType=ec2:Instance"), body);
        assertTrue(body.contains("ResourceType.2.ResourceType=ec2:LaunchTemplate"), body);
        assertTrue(body.contains("ResourceType.2.ResourceTypeOption.1.OptionName=version-depth"), body);
        assertTrue(body.contains("ResourceType.2.ResourceTypeOption.1.OptionValue.1=100"), body);
        assertTrue(body.matches("(?s).*ClientToken=[0-9a-f-]{36}.*"), "a client token: a repeated run the same day creates nothing new");
        String reportsCall = form(server.findAll(postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=DescribeImageUsageReports"))).get(0));
        assertTrue(reportsCall.contains("ImageId.1=" + IMAGE), reportsCall);
    }

    @Test
    void anAvailableReportIsReadAcrossPages() {
        answer("DescribeImageUsageReports", null, "<imageUsageReportSet>"
                + report("amiur-0000000000000000a", "available", NOW.minus(Duration.ofHours(5)))
                + report("amiur-0000000000000000b", "error", NOW.minus(Duration.ofHours(1))) + "</imageUsageReportSet>");
        answer("DescribeImageUsageReportEntries", null, "<imageUsageReportEntrySet><item><resourceType>ec2:Instance</resourceType>"
                + "<reportId>amiur-0000000000000000a</reportId><usageCount>3</usageCount><accountId>444455556666</accountId>"
                + "<imageId>" + IMAGE + "</imageId><reportCreationTime>" + NOW.minus(Duration.ofHours(5)) + "</reportCreationTime></item>"
                + "</imageUsageReportEntrySet><nextToken>page2</nextToken>");
        answer("DescribeImageUsageReportEntries", "NextToken=page2", "<imageUsageReportEntrySet><item><resourceType>ec2:LaunchTemplate</resourceType>"
                + "<reportId>amiur-0000000000000000a</reportId><usageCount>1</usageCount><accountId>777788889999</accountId>"
                + "<imageId>" + IMAGE + "</imageId></item><item><resourceType>ec2:Instance</resourceType><usageCount>0</usageCount>"
                + "<accountId>121212121212</accountId><imageId>" + IMAGE + "</imageId></item></imageUsageReportEntrySet>");

        UsageReports.Answer answer = new UsageReports().check(ec2, IMAGE, NOW.minus(Duration.ofHours(48)), NOW);

        UsageReports.Used used = assertInstanceOf(UsageReports.Used.class, answer);
        assertEquals(List.of("3 ec2:Instance in 444455556666", "1 ec2:LaunchTemplate in 777788889999"), used.users());
        assertEquals("amiur-0000000000000000a", used.reportId(), "the failed newer report is ignored");
        assertEquals(0, server.findAll(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=CreateImageUsageReport"))).size(),
                "a five-hour-old report is fresh enough");
    }

    @Test
    void aReportOlderThanTheMarkDoesNotCount() {
        Instant markedAt = NOW.minus(Duration.ofDays(2));
        answer("DescribeImageUsageReports", null, "<imageUsageReportSet>"
                + report("amiur-0000000000000000a", "available", markedAt.minus(Duration.ofHours(1)))
                + report("amiur-0000000000000000c", "pending", NOW.minus(Duration.ofHours(2))) + "</imageUsageReportSet>");

        UsageReports.Answer answer = new UsageReports().check(ec2, IMAGE, markedAt, NOW);

        UsageReports.Unknown unknown = assertInstanceOf(UsageReports.Unknown.class, answer);
        assertTrue(unknown.why().contains("amiur-0000000000000000c is still pending"), unknown.why());
        assertEquals(0, server.findAll(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=CreateImageUsageReport"))).size(),
                "a pending report is waited for, not requested again");
    }
}
