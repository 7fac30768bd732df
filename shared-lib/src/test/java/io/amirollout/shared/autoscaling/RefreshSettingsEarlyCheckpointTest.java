package io.amirollout.shared.autoscaling;

import io.amirollout.shared.RolloutTags;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The early-checkpoint rule instance-refresh applies for groups that refresh-verifier tests. */
class RefreshSettingsEarlyCheckpointTest {

    private static RefreshSettings settings(Map<String, String> tags) {
        return RefreshSettings.from(tags, "Ignore", "Ignore");
    }

    @Test
    void groupWithoutTestsKeepsItsSettings() {
        RefreshSettings plain = settings(Map.of());
        assertSame(plain, RefreshSettings.withEarlyCheckpoint(plain, Map.of()));
    }

    @Test
    void testedGroupWithoutCheckpointsGetsTenAndHundredWithAShortDelay() {
        Map<String, String> tags = Map.of(RolloutTags.TEST_DOCUMENT, "web-health");
        RefreshSettings early = RefreshSettings.withEarlyCheckpoint(settings(tags), tags);
        assertEquals(List.of(10, 100), early.checkpoints());
        assertEquals(RefreshSettings.DEFAULT_EARLY_CHECKPOINT_DELAY, early.checkpointDelay());
        assertEquals(List.of(10, 100), early.toPreferences().checkpointPercentages());
    }

    @Test
    void existingCheckpointsGetTheEarlyOneInFrontAndKeepTheirDelay() {
        Map<String, String> tags = Map.of(RolloutTags.TEST_ECS_CLUSTER, "web", RolloutTags.CHECKPOINTS, "50",
                RolloutTags.CHECKPOINT_DELAY, "1200", RolloutTags.EARLY_CHECKPOINT, "20");
        RefreshSettings early = RefreshSettings.withEarlyCheckpoint(settings(tags), tags);
        assertEquals(List.of(20, 50, 100), early.checkpoints());
        assertEquals(1200, early.checkpointDelay());
    }

    @Test
    void aListStartingEarlierIsKept() {
        Map<String, String> tags = Map.of(RolloutTags.TEST_DOCUMENT, "d", RolloutTags.CHECKPOINTS, "5,100");
        assertEquals(List.of(5, 100), RefreshSettings.withEarlyCheckpoint(settings(tags), tags).checkpoints());
    }

    @Test
    void noneTurnsItOffAndAMalformedValueIsNamed() {
        Map<String, String> off = Map.of(RolloutTags.TEST_DOCUMENT, "d", RolloutTags.EARLY_CHECKPOINT, "none");
        assertEquals(List.of(), RefreshSettings.withEarlyCheckpoint(settings(off), off).checkpoints());
        Map<String, String> bad = Map.of(RolloutTags.TEST_DOCUMENT, "d", RolloutTags.EARLY_CHECKPOINT, "100");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RefreshSettings.withEarlyCheckpoint(settings(bad), bad));
        assertTrue(e.getMessage().contains(RolloutTags.EARLY_CHECKPOINT), e.getMessage());
    }
}
