package io.amirollout.shared.autoscaling;

import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.util.Optional;

/** Reading Auto Scaling groups as DescribeAutoScalingGroups reports them. */
public final class AutoScalingGroups {

    private AutoScalingGroups() {
    }

    /**
     * The launch template the group launches from: its own, or the one inside its mixed instances
     * policy (which may itself be null). Null for a launch-configuration group.
     */
    public static LaunchTemplateSpecification launchTemplate(AutoScalingGroup group) {
        if (group.launchTemplate() != null) {
            return group.launchTemplate();
        }
        MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
        if (mixed != null && mixed.launchTemplate() != null) {
            return mixed.launchTemplate().launchTemplateSpecification();
        }
        return null;
    }

    /** A tag's value, trimmed; empty when the tag is absent or blank (a blank tag says nothing). */
    public static Optional<String> tag(AutoScalingGroup group, String key) {
        for (TagDescription tag : group.tags()) {
            if (key.equals(tag.key())) {
                String value = tag.value() == null ? "" : tag.value().trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
