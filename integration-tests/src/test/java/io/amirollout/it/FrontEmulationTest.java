package io.amirollout.it;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The front's own logic, without moto: the emulations are only as good as these rules. */
class FrontEmulationTest {

    @Test
    void sourceVersionKeepsEveryMemberTheRequestDoesNotName() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("ImageId", "ami-old");
        source.put("UserData", "IyEvYmluL2Jhc2g=");
        source.put("TagSpecification.1.ResourceType", "instance");
        source.put("TagSpecification.1.Tag.1.Key", "app");
        source.put("TagSpecification.1.Tag.1.Value", "web");
        source.put("BlockDeviceMapping.1.DeviceName", "/dev/xvda");
        source.put("BlockDeviceMapping.1.Ebs.VolumeSize", "30");

        Map<String, String> merged = LaunchTemplateShim.merge(source, Map.of("ImageId", "ami-new",
                "BlockDeviceMapping.1.DeviceName", "/dev/sda1"));

        Map<String, String> expected = new LinkedHashMap<>(source);
        expected.put("ImageId", "ami-new");
        expected.remove("BlockDeviceMapping.1.Ebs.VolumeSize"); // a member named in the request is replaced whole
        expected.put("BlockDeviceMapping.1.DeviceName", "/dev/sda1");
        assertEquals(expected, merged);
    }

    /** As EC2 does: an inherited mapping's snapshot is dropped unless the request names the mappings again. */
    @Test
    void sourceVersionDropsInheritedSnapshotsUnlessGivenAgain() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("ImageId", "ami-old");
        source.put("BlockDeviceMapping.1.DeviceName", "/dev/sdf");
        source.put("BlockDeviceMapping.1.Ebs.SnapshotId", "snap-0123456789abcdef0");

        assertEquals(Map.of("ImageId", "ami-new", "BlockDeviceMapping.1.DeviceName", "/dev/sdf"),
                LaunchTemplateShim.merge(source, Map.of("ImageId", "ami-new")));
        assertEquals("snap-0123456789abcdef0", LaunchTemplateShim.merge(source, Map.of("ImageId", "ami-new",
                "BlockDeviceMapping.1.DeviceName", "/dev/sdf", "BlockDeviceMapping.1.Ebs.SnapshotId", "snap-0123456789abcdef0"))
                .get("BlockDeviceMapping.1.Ebs.SnapshotId"));
    }

    @Test
    void flattenedQueryParametersRenderAsTheServicesXml() {
        Map<String, String> flat = new LinkedHashMap<>();
        flat.put("MinHealthyPercentage", "90");
        flat.put("CheckpointPercentages.member.2", "100");
        flat.put("CheckpointPercentages.member.1", "50");
        flat.put("AlarmSpecification.Alarms.member.1", "a<b");

        assertEquals("<MinHealthyPercentage>90</MinHealthyPercentage>"
                + "<CheckpointPercentages><member>50</member><member>100</member></CheckpointPercentages>"
                + "<AlarmSpecification><Alarms><member>a&lt;b</member></Alarms></AlarmSpecification>", QueryForm.toXml(flat));
    }

    @Test
    void formBodiesRoundTrip() {
        Map<String, String> params = QueryForm.parse("Action=StartInstanceRefresh&AutoScalingGroupName=web%20asg&Preferences.AutoRollback=true");
        assertEquals("web asg", params.get("AutoScalingGroupName"));
        assertEquals(Map.of("AutoRollback", "true"), QueryForm.under(params, "Preferences"));
        assertEquals(params, QueryForm.parse(QueryForm.encode(params)));
    }
}
