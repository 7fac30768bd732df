package io.amirollout.refresh;

import io.amirollout.shared.autoscaling.RefreshSettings;

import io.amirollout.shared.autoscaling.InstanceRefreshes;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Auto Scaling side: active refreshes, pinning a version, starting a refresh, state tags. */
public final class RefreshStarter {

    /** Statuses in which a refresh still holds the group (StartInstanceRefresh would be refused). */
    static final Set<InstanceRefreshStatus> ACTIVE = EnumSet.of(InstanceRefreshStatus.PENDING,
            InstanceRefreshStatus.IN_PROGRESS, InstanceRefreshStatus.CANCELLING,
            InstanceRefreshStatus.ROLLBACK_IN_PROGRESS, InstanceRefreshStatus.BAKING);

    private final AutoScalingClient autoScaling;

    public RefreshStarter(AutoScalingClient autoScaling) {
        this.autoScaling = autoScaling;
    }

    /** Statuses of a refresh that ended without the group reaching its target. */
    static final Set<InstanceRefreshStatus> UNDONE = EnumSet.of(InstanceRefreshStatus.FAILED,
            InstanceRefreshStatus.CANCELLED, InstanceRefreshStatus.ROLLBACK_SUCCESSFUL, InstanceRefreshStatus.ROLLBACK_FAILED);

    /** The group's refreshes AWS still reports (newest first, all pages). */
    public List<InstanceRefresh> history(String group) {
        return autoScaling.describeInstanceRefreshesPaginator(DescribeInstanceRefreshesRequest.builder()
                        .autoScalingGroupName(group).build())
                .stream()
                .flatMap(page -> page.instanceRefreshes().stream())
                .toList();
    }

    /** The active refresh in a history, if one is running. */
    public static Optional<InstanceRefresh> active(List<InstanceRefresh> history) {
        return history.stream().filter(r -> ACTIVE.contains(r.status())).findFirst();
    }

    /** A refresh to {@code version} that failed, was cancelled or was rolled back, if any. */
    public static Optional<InstanceRefresh> undone(List<InstanceRefresh> history, String version) {
        return history.stream().filter(r -> UNDONE.contains(r.status()) && version.equals(InstanceRefreshes.targetVersion(r))).findFirst();
    }

    /**
     * Points the group at a numbered version, keeping everything else (a mixed-instances group
     * keeps its policy, overrides and distribution).
     */
    public void pin(String group, GroupLaunchTemplate template, String templateId, long version) {
        UpdateAutoScalingGroupRequest.Builder request = UpdateAutoScalingGroupRequest.builder().autoScalingGroupName(group);
        if (template.mixed()) {
            request.mixedInstancesPolicy(withVersion(template.mixedPolicy(), templateId, version));
        } else {
            request.launchTemplate(spec(templateId, version));
        }
        autoScaling.updateAutoScalingGroup(request.build());
    }

    /**
     * Starts the refresh to numbered {@code version}. A numbered version in DesiredConfiguration is
     * what makes AutoRollback possible ($Latest/$Default cannot be rolled back to).
     * Throws InstanceRefreshInProgressException when another refresh holds the group.
     */
    public String start(String group, GroupLaunchTemplate template, String templateId, long version, RefreshSettings settings) {
        return start(group, template, templateId, version, settings.toPreferences());
    }

    public String start(String group, GroupLaunchTemplate template, String templateId, long version,
                        software.amazon.awssdk.services.autoscaling.model.RefreshPreferences preferences) {
        DesiredConfiguration.Builder desired = DesiredConfiguration.builder();
        if (template.mixed()) {
            desired.mixedInstancesPolicy(withVersion(template.mixedPolicy(), templateId, version));
        } else {
            desired.launchTemplate(spec(templateId, version));
        }
        return autoScaling.startInstanceRefresh(StartInstanceRefreshRequest.builder()
                        .autoScalingGroupName(group)
                        .desiredConfiguration(desired.build())
                        .preferences(preferences)
                        .build())
                .instanceRefreshId();
    }

    /** Writes state tags on the group (not propagated to instances). */
    public void tag(String group, Map<String, String> values) {
        autoScaling.createOrUpdateTags(CreateOrUpdateTagsRequest.builder()
                .tags(values.entrySet().stream().map(e -> groupTag(group, e.getKey(), e.getValue())).toList())
                .build());
    }

    public void untag(String group, Collection<String> keys) {
        autoScaling.deleteTags(DeleteTagsRequest.builder()
                .tags(keys.stream().map(k -> groupTag(group, k, null)).toList())
                .build());
    }

    private static Tag groupTag(String group, String key, String value) {
        return Tag.builder().resourceType("auto-scaling-group").resourceId(group).key(key).value(value)
                .propagateAtLaunch(false).build();
    }

    private static LaunchTemplateSpecification spec(String templateId, long version) {
        return LaunchTemplateSpecification.builder().launchTemplateId(templateId).version(Long.toString(version)).build();
    }

    private static MixedInstancesPolicy withVersion(MixedInstancesPolicy policy, String templateId, long version) {
        LaunchTemplate launchTemplate = policy.launchTemplate().toBuilder()
                .launchTemplateSpecification(spec(templateId, version))
                .build();
        return policy.toBuilder().launchTemplate(launchTemplate).build();
    }
}
