package io.amirollout.refresh;

import io.amirollout.shared.Log;
import io.amirollout.shared.RolloutTags;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.Filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which groups this function works on: the explicit TARGET_AUTO_SCALING_GROUPS list (the seed's
 * single-group setup, no tag needed), or every group tagged {@code ami-rollout:enabled=true}
 * (server-side tag filter, all pages).
 */
public final class GroupTargets {

    static final int NAMES_PER_REQUEST = 50;

    private final AutoScalingClient autoScaling;
    private final InstanceRefreshConfig config;

    public GroupTargets(AutoScalingClient autoScaling, InstanceRefreshConfig config) {
        this.autoScaling = autoScaling;
        this.config = config;
    }

    /** Every target group, in the order AWS returns them. */
    public List<TargetGroup> all() {
        List<DescribeAutoScalingGroupsRequest> requests = new ArrayList<>();
        if (config.explicitGroups()) {
            // DescribeAutoScalingGroups accepts at most 50 names per request.
            List<String> names = config.targetAutoScalingGroups();
            for (int i = 0; i < names.size(); i += NAMES_PER_REQUEST) {
                requests.add(DescribeAutoScalingGroupsRequest.builder()
                        .autoScalingGroupNames(names.subList(i, Math.min(names.size(), i + NAMES_PER_REQUEST))).build());
            }
        } else {
            // tag:<key> matches key AND value; values are case-sensitive, so exactly "true".
            requests.add(DescribeAutoScalingGroupsRequest.builder()
                    .filters(Filter.builder().name("tag:" + RolloutTags.ENABLED).values("true").build()).build());
        }
        List<TargetGroup> targets = new ArrayList<>();
        for (DescribeAutoScalingGroupsRequest request : requests) {
            for (AutoScalingGroup group : autoScaling.describeAutoScalingGroupsPaginator(request).autoScalingGroups()) {
                targets.add(TargetGroup.of(group, config.explicitGroups() ? config.defaultImageName() : null));
            }
        }
        if (config.explicitGroups() && targets.size() < config.targetAutoScalingGroups().size()) {
            List<String> found = targets.stream().map(TargetGroup::name).toList();
            Log.warn("some TARGET_AUTO_SCALING_GROUPS do not exist in this account and region", "missing",
                    config.targetAutoScalingGroups().stream().filter(n -> !found.contains(n)).toList());
        }
        return targets;
    }

    /** One named group, if it is a target (listed, or tagged enabled). */
    public Optional<TargetGroup> named(String name) {
        if (config.explicitGroups() && !config.targetAutoScalingGroups().contains(name)) {
            return Optional.empty();
        }
        for (AutoScalingGroup group : autoScaling.describeAutoScalingGroupsPaginator(
                DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(name).build()).autoScalingGroups()) {
            TargetGroup target = TargetGroup.of(group, config.explicitGroups() ? config.defaultImageName() : null);
            if (config.explicitGroups() || "true".equals(target.tags().get(RolloutTags.ENABLED))) {
                return Optional.of(target);
            }
        }
        return Optional.empty();
    }
}
