package io.amirollout.refresh;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNamesTest {

    @Test
    void theImageNameEndsAtASpaceOrIsTheWholeName() {
        assertTrue(ImageNames.matches("golden-al2023", "golden-al2023 2026-11-21T10-00-00Z"), "Image Builder's <name> <date>");
        assertTrue(ImageNames.matches("golden-al2023", "golden-al2023"));
        assertFalse(ImageNames.matches("golden-al2023", "golden-al2023-arm64 2026-11-21T10-00-00Z"), "another image");
        assertFalse(ImageNames.matches("golden-al2023", "golden-al2023x 2026"));
        assertFalse(ImageNames.matches("golden-al2023", "golden-al2 2026"));
        assertFalse(ImageNames.matches("golden-al2023", null));
    }

    @Test
    void fallbackASeparatorFollowedByADateOrVersion() {
        assertTrue(ImageNames.matches("example", "example-2026-11-21T10-00-00.000Z"));
        assertTrue(ImageNames.matches("example", "example_20261121"));
        assertTrue(ImageNames.matches("example", "example.1.0.3"));
        assertFalse(ImageNames.matches("example", "example-"));
        assertFalse(ImageNames.matches("example", "example-arm64-2026"));
    }

    @Test
    void aReleaseMatchesExplicitlyByImageNameLooselyByAmiNameOrEveryReleaseWithoutAName() {
        TargetGroup named = new TargetGroup(AutoScalingGroup.builder().autoScalingGroupName("g").build(), java.util.Map.of(), "golden-al2023");
        TargetGroup unnamed = new TargetGroup(AutoScalingGroup.builder().autoScalingGroupName("g").build(), java.util.Map.of(), null);

        assertEquals(TargetGroup.ReleaseMatch.EXPLICIT, named.match("golden-al2023", "whatever"));
        assertEquals(TargetGroup.ReleaseMatch.BY_AMI_NAME, named.match("recipe-x", "golden-al2023 2026-11-21T10-00-00Z"));
        assertEquals(TargetGroup.ReleaseMatch.NONE, named.match("golden-al2023-arm64", "golden-al2023-arm64 2026-11-21T10-00-00Z"));
        assertEquals(TargetGroup.ReleaseMatch.UNNAMED, unnamed.match("golden-al2023-arm64", "golden-al2023-arm64 2026"));
    }
}
