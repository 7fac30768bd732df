package io.amirollout.shared.autoscaling;

import io.amirollout.shared.RolloutTags;
import software.amazon.awssdk.services.autoscaling.model.AlarmSpecification;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Instance refresh preferences for one group, from its tags (and the stack's protected /
 * standby settings). Shared so that every refresh this project starts for a group (instance-refresh's
 * refresh, rollback-on-alarm's and refresh-verifier's roll-forward) uses the same preferences. Always AutoRollback and SkipMatching: instances already on the target
 * version are not replaced, and a failed refresh or a firing alarm puts the old version back.
 */
public record RefreshSettings(int minHealthyPercentage, Integer instanceWarmup, List<Integer> checkpoints,
                              Integer checkpointDelay, List<String> alarms, String scaleInProtectedInstances,
                              String standbyInstances) {

    public static final int DEFAULT_MIN_HEALTHY = 90;
    /** CheckpointDelay and BakeTime share this API maximum (48 h). */
    public static final int MAX_DELAY_SECONDS = 172_800;

    public RefreshSettings {
        checkpoints = List.copyOf(checkpoints);
        alarms = List.copyOf(alarms);
    }

    /**
     * Reads the group's tags; a malformed tag is an {@link IllegalArgumentException} naming it.
     *
     * @param tags                      the group's tags (key to value)
     * @param scaleInProtectedInstances the stack's setting (Refresh, Ignore or Wait)
     * @param standbyInstances          the stack's setting (Terminate, Ignore or Wait)
     */
    public static RefreshSettings from(java.util.Map<String, String> tags, String scaleInProtectedInstances,
                                       String standbyInstances) {
        java.util.function.Function<String, java.util.Optional<String>> tag = key -> java.util.Optional.ofNullable(tags.get(key))
                .map(String::trim).filter(v -> !v.isEmpty());
        List<String> problems = new ArrayList<>();
        int minHealthy = tag.apply(RolloutTags.MIN_HEALTHY_PERCENTAGE)
                .map(v -> number(RolloutTags.MIN_HEALTHY_PERCENTAGE, v, 0, 100, problems))
                .orElse(DEFAULT_MIN_HEALTHY);
        Integer warmup = tag.apply(RolloutTags.INSTANCE_WARMUP)
                .map(v -> number(RolloutTags.INSTANCE_WARMUP, v, 0, MAX_DELAY_SECONDS, problems)).orElse(null);
        List<Integer> checkpoints = tag.apply(RolloutTags.CHECKPOINTS).map(v -> checkpoints(v, problems)).orElse(List.of());
        Integer delay = tag.apply(RolloutTags.CHECKPOINT_DELAY)
                .map(v -> number(RolloutTags.CHECKPOINT_DELAY, v, 0, MAX_DELAY_SECONDS, problems)).orElse(null);
        if (delay != null && checkpoints.isEmpty()) {
            problems.add(RolloutTags.CHECKPOINT_DELAY + " needs " + RolloutTags.CHECKPOINTS + " (AWS rejects a delay without checkpoints)");
        }
        List<String> alarms = tag.apply(RolloutTags.ALARMS)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new RefreshSettings(minHealthy, warmup, checkpoints, delay, alarms,
                scaleInProtectedInstances, standbyInstances);
    }

    /** Early checkpoint percentage when a group has tests and no {@code ami-rollout:early-checkpoint} tag. */
    public static final int DEFAULT_EARLY_CHECKPOINT = 10;
    /**
     * Checkpoint delay when the early checkpoint is added and the group has no {@code ami-rollout:checkpoint-delay}
     * tag: long enough for refresh-verifier's default test timeouts (600 s) and its polling, far shorter than AWS's
     * default of 3600 s.
     */
    public static final int DEFAULT_EARLY_CHECKPOINT_DELAY = 900;

    /**
     * The rule instance-refresh applies so that refresh-verifier can test a group before most of it is replaced:
     * when the group has tests configured (an {@code ami-rollout:test-document} or {@code ami-rollout:test-ecs-cluster}
     * tag) and {@code ami-rollout:early-checkpoint} is not {@code none}, the checkpoints start with the early
     * percentage (default 10): {@code []} becomes {@code [10, 100]}, {@code [50, 100]} becomes {@code [10, 50, 100]};
     * a list that already starts at or below it is kept. Without a delay tag the delay becomes 900 s. AWS emits
     * "Checkpoint Reached" for every checkpoint except the 100 percent one, so the early checkpoint is where the
     * verifier can still roll the refresh back cheaply. Pure: no AWS call. A malformed early-checkpoint tag is an
     * {@link IllegalArgumentException} naming it.
     */
    public static RefreshSettings withEarlyCheckpoint(RefreshSettings settings, java.util.Map<String, String> tags) {
        java.util.function.Function<String, java.util.Optional<String>> tag = key -> java.util.Optional.ofNullable(tags.get(key))
                .map(String::trim).filter(v -> !v.isEmpty());
        boolean tested = tag.apply(RolloutTags.TEST_DOCUMENT).isPresent() || tag.apply(RolloutTags.TEST_ECS_CLUSTER).isPresent();
        String early = tag.apply(RolloutTags.EARLY_CHECKPOINT).orElse(Integer.toString(DEFAULT_EARLY_CHECKPOINT));
        if (!tested || early.equalsIgnoreCase("none")) {
            return settings;
        }
        List<String> problems = new ArrayList<>();
        Integer percent = number(RolloutTags.EARLY_CHECKPOINT, early, 1, 99, problems);
        if (percent == null) {
            throw new IllegalArgumentException(String.join("; ", problems) + " (or 'none')");
        }
        List<Integer> checkpoints = new ArrayList<>(settings.checkpoints());
        if (checkpoints.isEmpty()) {
            checkpoints.add(100);
        }
        if (checkpoints.get(0) > percent) {
            checkpoints.add(0, percent);
        }
        Integer delay = settings.checkpointDelay() != null ? settings.checkpointDelay() : DEFAULT_EARLY_CHECKPOINT_DELAY;
        return new RefreshSettings(settings.minHealthyPercentage(), settings.instanceWarmup(), checkpoints, delay,
                settings.alarms(), settings.scaleInProtectedInstances(), settings.standbyInstances());
    }

    public RefreshPreferences toPreferences() {
        RefreshPreferences.Builder prefs = RefreshPreferences.builder()
                .minHealthyPercentage(minHealthyPercentage)
                .instanceWarmup(instanceWarmup)
                .skipMatching(true)
                .autoRollback(true)
                // Explicit: the API default, Wait, fails the whole refresh after an hour.
                .scaleInProtectedInstances(scaleInProtectedInstances)
                .standbyInstances(standbyInstances);
        if (!checkpoints.isEmpty()) {
            prefs.checkpointPercentages(checkpoints).checkpointDelay(checkpointDelay);
        }
        if (!alarms.isEmpty()) {
            prefs.alarmSpecification(AlarmSpecification.builder().alarms(alarms).build());
        }
        return prefs.build();
    }

    /**
     * A whole-number tag value within [min, max], or null with "tag 'value' must be …" added to {@code problems}
     * (every numeric rollout tag is read this way, so the messages agree).
     */
    public static Integer number(String tag, String value, int min, int max, List<String> problems) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(tag + " '" + value + "' must be a whole number from " + min + " to " + max);
        return null;
    }

    /**
     * Ascending, unique percentages from 1 to 100. The last must be 100, or the refresh would stop
     * part-way and leave the group mixed; a list that stops short gets 100 appended.
     */
    private static List<Integer> checkpoints(String value, List<String> problems) {
        List<Integer> result = new ArrayList<>();
        for (String item : value.split(",")) {
            Integer percent = number(RolloutTags.CHECKPOINTS, item, 1, 100, problems);
            if (percent == null) {
                return List.of();
            }
            if (!result.isEmpty() && percent <= result.get(result.size() - 1)) {
                problems.add(RolloutTags.CHECKPOINTS + " '" + value + "' must be ascending and unique");
                return List.of();
            }
            result.add(percent);
        }
        if (result.get(result.size() - 1) != 100) {
            result.add(100);
        }
        return result;
    }
}
