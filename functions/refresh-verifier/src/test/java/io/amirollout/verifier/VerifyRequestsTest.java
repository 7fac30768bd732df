package io.amirollout.verifier;

import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyRequestsTest {

    static VerifyRequest parse(String json) {
        return VerifyRequests.parse(Json.readTree(json));
    }

    @Test
    void checkpointEventAsAwsSendsIt() {
        VerifyRequest r = parse("""
                {"version":"0","id":"1","detail-type":"EC2 Auto Scaling Instance Refresh Checkpoint Reached","source":"aws.autoscaling",
                 "account":"123456789012","time":"yyyy-mm-ddThh:mm:ssZ","region":"us-west-2","resources":["auto-scaling-group-arn"],
                 "detail":{"InstanceRefreshId":"ab00cf8f-9126-4f3c-8010-dbb8cad6fb86","AutoScalingGroupName":"my-asg",
                 "CheckpointPercentage":"50","CheckpointDelay":"300","SomethingNew":"ignored"}}""");
        assertEquals(Phase.CHECKPOINT, r.phase());
        assertEquals("my-asg", r.group());
        assertEquals(50, r.checkpointPercentage());
        assertEquals(300, r.checkpointDelay());
        assertEquals("ab00cf8f-9126-4f3c-8010-dbb8cad6fb86#checkpoint-50", r.verificationId("x"));
    }

    @Test
    void manualAndContinuationAreStrict() {
        assertEquals(Phase.MANUAL, parse("{\"verify\":\"web-asg\",\"dryRun\":true}").phase());
        assertTrue(parse("{\"verify\":\"web-asg\",\"dryRun\":true}").dryRun());
        assertEquals("r#succeeded", parse("{\"continuation\":{\"id\":\"r#succeeded\"}}").continuationId());
        for (String bad : List.of("{\"verify\":\"web-asg\",\"force\":true}", "{\"verify\":\"\"}", "{\"verify\":\"a,b\"}",
                "{\"verify\":\"web-asg\",\"dryRun\":\"yes\"}", "{\"continuation\":{\"id\":\"x\",\"attempt\":2}}",
                "{\"continuation\":{\"id\":\"x\\ny\"}}", "{\"hello\":1}", "[]",
                "{\"source\":\"aws.autoscaling\",\"detail-type\":\"EC2 Auto Scaling Instance Refresh Started\",\"detail\":{}}",
                "{\"source\":\"aws.autoscaling\",\"detail-type\":\"EC2 Auto Scaling Instance Refresh Checkpoint Reached\","
                        + "\"detail\":{\"InstanceRefreshId\":\"r\",\"AutoScalingGroupName\":\"g\",\"CheckpointPercentage\":\"half\"}}")) {
            assertThrows(InvalidEventException.class, () -> parse(bad), bad);
        }
    }
}
