package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;

import static io.amirollout.zipcheck.AwsWire.query;
import static io.amirollout.zipcheck.AwsWire.xml;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

/**
 * Answers for ami-janitor: three AMIs of the pipeline (two new, kept as the newest; one from 2020, whose use is
 * looked up: no groups in the infra account, no usage report yet, so one is requested and the AMI is kept),
 * the state table (DynamoDB JSON 1.0: nothing recorded yet, every write accepted) and SNS.
 */
final class JanitorStubs {

    static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private JanitorStubs() {
    }

    static void stubs(WireMockServer server) {
        server.stubFor(query("DescribeImages").willReturn(xml("<DescribeImagesResponse xmlns=\"" + EC2_NS + "\">"
                + "<requestId>r-1</requestId><imagesSet>"
                + image("ami-0aaaaaaaaaaaaaaa1", "2020-01-01T10:00:00.000Z", "1")
                + image("ami-0aaaaaaaaaaaaaaa2", "2099-01-01T10:00:00.000Z", "2")
                + image("ami-0aaaaaaaaaaaaaaa3", "2099-02-01T10:00:00.000Z", "3")
                + "</imagesSet></DescribeImagesResponse>")));
        server.stubFor(query("DescribeAutoScalingGroups").willReturn(xml(
                "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                        + "<DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>"
                        + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>")));
        server.stubFor(query("DescribeImageUsageReports").willReturn(xml("<DescribeImageUsageReportsResponse xmlns=\"" + EC2_NS
                + "\"><requestId>r-3</requestId><imageUsageReportSet/></DescribeImageUsageReportsResponse>")));
        server.stubFor(query("CreateImageUsageReport").willReturn(xml("<CreateImageUsageReportResponse xmlns=\"" + EC2_NS
                + "\"><requestId>r-4</requestId><reportId>amiur-0123456789abcdef0</reportId></CreateImageUsageReportResponse>")));
        dynamo(server, "GetItem", "{}");
        dynamo(server, "PutItem", "{}");
        dynamo(server, "Query", "{\"Count\":0,\"Items\":[],\"ScannedCount\":0}");
        dynamo(server, "DeleteItem", "{}");
        AwsWire.snsPublish(server);
    }

    private static String image(String id, String created, String build) {
        return "<item><imageId>" + id + "</imageId><imageOwnerId>111122223333</imageOwnerId><imageState>available</imageState>"
                + "<name>golden-al2023 " + created + "</name><creationDate>" + created + "</creationDate>"
                + "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-0" + build
                + "aaaaaaaaaaaaaaa</snapshotId></ebs></item></blockDeviceMapping>"
                + "<tagSet><item><key>CreatedBy</key><value>EC2 Image Builder</value></item>"
                + "<item><key>Ec2ImageBuilderArn</key><value>arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.0/"
                + build + "</value></item></tagSet></item>";
    }

    private static void dynamo(WireMockServer server, String operation, String body) {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810." + operation))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body)));
    }
}
