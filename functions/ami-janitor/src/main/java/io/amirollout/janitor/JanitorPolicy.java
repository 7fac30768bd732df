package io.amirollout.janitor;

import java.time.Duration;

/**
 * The clean-up policy the decider applies.
 *
 * @param ageThresholdDays older than this (and not in use): marked
 * @param graceDays        from the mark to deregistration
 * @param keepNewest       the newest N AMIs of each image name in each region are always kept
 */
public record JanitorPolicy(int ageThresholdDays, int graceDays, int keepNewest) {

    Duration ageThreshold() {
        return Duration.ofDays(ageThresholdDays);
    }

    Duration grace() {
        return Duration.ofDays(graceDays);
    }
}
