package io.amirollout.refresh;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.RefreshSettings;
import software.amazon.awssdk.services.autoscaling.model.InstanceMaintenancePolicy;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The refresh preferences for one group: {@link RefreshSettings} (shared with the roll-forward) refined by what
 * only instance-refresh reads. The group's own instance maintenance policy wins where it has one: MinHealthyPercentage
 * is sent only when the group's tag sets it or the group has no policy ("Both MinHealthyPercentage and
 * MaxHealthyPercentage must be specified, and the difference between them cannot be greater than 100" —
 * InstanceMaintenancePolicy, Auto Scaling API reference: so a max-healthy tag brings the min along). Protected and
 * standby instance handling can be set per group. A malformed tag is an {@link IllegalArgumentException} naming it.
 */
final class GroupPreferences {

    private GroupPreferences() {
    }

    static RefreshPreferences of(RefreshSettings settings, TargetGroup group) {
        Map<String, String> tags = group.tags();
        List<String> problems = new ArrayList<>();
        RefreshPreferences.Builder prefs = settings.toPreferences().toBuilder();
        boolean minTagged = group.tag(RolloutTags.MIN_HEALTHY_PERCENTAGE).isPresent();
        InstanceMaintenancePolicy policy = group.group().instanceMaintenancePolicy();
        Integer policyMin = policy == null || policy.minHealthyPercentage() == null || policy.minHealthyPercentage() < 0
                ? null : policy.minHealthyPercentage();
        Optional<Integer> max = group.tag(RolloutTags.MAX_HEALTHY_PERCENTAGE)
                .map(v -> RefreshSettings.number(RolloutTags.MAX_HEALTHY_PERCENTAGE, v, 100, 200, problems));
        int min = minTagged || policyMin == null ? settings.minHealthyPercentage() : policyMin;
        if (max.isPresent() && max.get() != null) {
            if (max.get() - min > 100) {
                problems.add(RolloutTags.MAX_HEALTHY_PERCENTAGE + " " + max.get() + " is more than 100 above the minimum healthy "
                        + "percentage " + min + " (AWS refuses the pair)");
            }
            prefs.minHealthyPercentage(min).maxHealthyPercentage(max.get());
        } else if (!minTagged && policyMin != null) {
            prefs.minHealthyPercentage((Integer) null); // the group's instance maintenance policy applies
        }
        group.tag(RolloutTags.BAKE_TIME).map(v -> RefreshSettings.number(RolloutTags.BAKE_TIME, v, 0, RefreshSettings.MAX_DELAY_SECONDS, problems))
                .ifPresent(prefs::bakeTime);
        group.tag(RolloutTags.SCALE_IN_PROTECTED_INSTANCES)
                .map(v -> choice(RolloutTags.SCALE_IN_PROTECTED_INSTANCES, v, InstanceRefreshConfig.SCALE_IN_PROTECTED_VALUES, problems))
                .ifPresent(prefs::scaleInProtectedInstances);
        group.tag(RolloutTags.STANDBY_INSTANCES)
                .map(v -> choice(RolloutTags.STANDBY_INSTANCES, v, InstanceRefreshConfig.STANDBY_VALUES, problems))
                .ifPresent(prefs::standbyInstances);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return prefs.build();
    }

    private static String choice(String tag, String value, Set<String> allowed, List<String> problems) {
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.trim())) {
                return candidate;
            }
        }
        problems.add(tag + " '" + value + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        return null;
    }
}
