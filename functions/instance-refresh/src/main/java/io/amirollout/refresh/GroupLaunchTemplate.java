package io.amirollout.refresh;

import io.amirollout.shared.autoscaling.AutoScalingGroups;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;

/**
 * The launch template a group really launches from: directly, or inside its MixedInstancesPolicy.
 *
 * @param templateId   id (may be null when the group names the template)
 * @param templateName name (may be null when the group uses the id)
 * @param version      as the group says: "$Latest", "$Default" or a number ("$Default" when unset)
 * @param mixedPolicy  the group's mixed instances policy, or null
 */
public record GroupLaunchTemplate(String templateId, String templateName, String version, MixedInstancesPolicy mixedPolicy) {

    public static final String LATEST = "$Latest";
    public static final String DEFAULT = "$Default";

    /** What {@link #resolve} found: a template, or why the group cannot be handled. */
    public record Resolution(GroupLaunchTemplate template, String refusal) {
    }

    public static Resolution resolve(AutoScalingGroup group) {
        LaunchTemplateSpecification spec = AutoScalingGroups.launchTemplate(group);
        if (spec != null) {
            // The group's own template wins; otherwise the template came from its mixed instances policy.
            MixedInstancesPolicy mixed = group.launchTemplate() != null ? null : group.mixedInstancesPolicy();
            if (mixed != null) {
                for (LaunchTemplateOverrides override : mixed.launchTemplate().overrides()) {
                    if (override.launchTemplateSpecification() != null) {
                        return new Resolution(null, "its mixed instances policy gives instance type "
                                + override.instanceType() + " a launch template of its own; only groups with one launch "
                                + "template are supported");
                    }
                }
            }
            return new Resolution(from(spec, mixed), null);
        }
        if (group.launchConfigurationName() != null) {
            return new Resolution(null, "it uses launch configuration " + group.launchConfigurationName()
                    + "; launch configurations cannot get new versions or be rolled back. Move the group to a "
                    + "launch template to include it");
        }
        return new Resolution(null, "it has neither a launch template nor a mixed instances policy");
    }

    private static GroupLaunchTemplate from(LaunchTemplateSpecification spec, MixedInstancesPolicy mixed) {
        String version = spec.version() == null || spec.version().isBlank() ? DEFAULT : spec.version();
        return new GroupLaunchTemplate(spec.launchTemplateId(), spec.launchTemplateName(), version, mixed);
    }

    /** True for $Latest / $Default: what runs would change whenever the template changes. */
    public boolean floating() {
        return LATEST.equals(version) || DEFAULT.equals(version);
    }

    public boolean mixed() {
        return mixedPolicy != null;
    }

    public String label() {
        return (templateId != null ? templateId : templateName) + " version " + version;
    }
}
