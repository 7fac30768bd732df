package io.amirollout.invoker;

import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageEventsTest {

    static final String EVENTS = "../../events/cross-account-invoker/";
    static final String ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";

    private static List<ImageEvent> read(String json) {
        return ImageEvents.read(Json.readTree(json));
    }

    @Test
    void snsAvailableCarriesTheAmisOfEveryRegion() {
        ImageEvent e = ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + "sns-image-available.json"))).get(0);
        assertEquals(ImageEvents.SNS, e.shape());
        assertFalse(e.needsLookup());
        BuiltImage image = e.image();
        assertEquals(ARN, image.arn());
        assertEquals("golden-al2023", image.name());
        assertEquals("1.0.3/4", image.version());
        assertEquals("AVAILABLE", image.status());
        assertEquals(List.of("eu-west-1", "us-east-1"), image.regions());
        assertEquals(new ImageReleased.Ami("eu-west-1", "ami-0a1b2c3d4e5f60718", "golden-al2023 2026-11-21T10-31-05.112Z",
                "111122223333"), image.amis().get(0));
    }

    @Test
    void snsFailedCarriesTheReason() {
        BuiltImage image = ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + "sns-image-failed.json"))).get(0).image();
        assertEquals("FAILED", image.status());
        assertTrue(image.reason().contains("exited with code 1"));
        assertTrue(image.amis().isEmpty());
    }

    @Test
    void eventBridgeStateChangeNeedsALookup() {
        ImageEvent e = ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + "eventbridge-image-available.json"))).get(0);
        assertTrue(e.needsLookup());
        assertEquals(ARN, e.image().arn());
        assertEquals("AVAILABLE", e.image().status());
        assertEquals("golden-al2023", e.image().name());
        assertEquals("1.0.3/4", e.image().version());
    }

    @Test
    void theImageJsonItselfIsAccepted() {
        ImageEvent e = ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + "image-available.json"))).get(0);
        assertEquals(ImageEvents.DIRECT, e.shape());
        assertEquals(2, e.image().amis().size());
    }

    @Test
    void otherImageBuilderEventsAreSkipped() {
        ImageEvent e = read("""
                {"detail-type":"EC2 Image Builder CVE Detected","source":"aws.imagebuilder","resources":[],"detail":{}}""").get(0);
        assertNotNull(e.skipReason());
        assertNull(e.image());
    }

    @Test
    void versionFallsBackToVersionAndBuildWhenTheArnHasNone() {
        BuiltImage image = ImageEvents.fromImageJson(Json.readTree("""
                {"arn":"arn:aws:imagebuilder:eu-west-1:111122223333:image/x","name":"x","version":"1.0.0","buildVersion":2,
                 "state":{"status":"AVAILABLE"},"outputResources":{"amis":[{"region":"eu-west-1","image":"not-an-ami"}]}}"""));
        assertEquals("1.0.0/2", image.version());
        assertTrue(image.amis().isEmpty(), "malformed AMI entries are dropped");
    }

    @Test
    void wrongShapesAreInvalid() {
        assertThrows(InvalidEventException.class, () -> read("{\"foo\":1}"));
        assertThrows(InvalidEventException.class, () -> read("""
                {"Records":[{"EventSource":"aws:sns","Sns":{"Message":"hello, not json"}}]}"""));
        assertThrows(InvalidEventException.class, () -> read("""
                {"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{\\"AlarmName\\":\\"x\\"}"}}]}"""));
        assertThrows(InvalidEventException.class, () -> read("""
                {"detail-type":"EC2 Image Builder Image State Change","source":"aws.imagebuilder","resources":[],
                 "detail":{"state":{"status":"AVAILABLE"}}}"""));
        assertThrows(InvalidEventException.class, () -> read("""
                {"detail-type":"EC2 Image Builder Image State Change","source":"aws.imagebuilder","resources":["%s"],
                 "detail":{}}""".formatted(ARN)));
    }

    @Test
    void amiChoicePrefersTheCopyInTheTargetAccountThenTheOwners() {
        BuiltImage image = new BuiltImage(ARN, "golden", "1.0.3/4", "AVAILABLE", null, List.of(
                new ImageReleased.Ami("eu-west-1", "ami-00000000000000001", "n", "111122223333"),
                new ImageReleased.Ami("eu-west-1", "ami-00000000000000002", "n", "444455556666"),
                new ImageReleased.Ami("us-east-1", "ami-00000000000000003", "n", "999999999999")));
        assertEquals("ami-00000000000000002", image.amiFor("444455556666", "eu-west-1").imageId());
        assertEquals("ami-00000000000000001", image.amiFor("777788889999", "eu-west-1").imageId());
        assertEquals("ami-00000000000000003", image.amiFor("777788889999", "us-east-1").imageId());
        assertNull(image.amiFor("777788889999", "ap-south-1"));
        assertEquals("111122223333", image.ownerAccount());
        assertEquals("aws", image.partition());
        assertEquals("aws-cn", new BuiltImage("arn:aws-cn:imagebuilder:cn-north-1:111122223333:image/x/1.0.0/1",
                null, null, "AVAILABLE", null, List.of()).partition());
    }
}
