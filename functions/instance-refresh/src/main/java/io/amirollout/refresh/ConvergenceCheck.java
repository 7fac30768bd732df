package io.amirollout.refresh;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After a refresh we started ends Successful: does the fleet really run the target? Auto Scaling reports
 * Successful while instances it did not replace keep the old launch template and AMI: protected from scale-in
 * (ScaleInProtectedInstances=Ignore, e.g. ECS managed termination protection), in Standby, or skipped as
 * "matching". Every InService or Standby instance must be on the target launch-template version and AMI.
 */
final class ConvergenceCheck {

    /** How many instance ids DescribeInstances is given at once. */
    static final int IDS_PER_CALL = 200;

    private final AutoScalingClient autoScaling;
    private final Ec2Client ec2;

    ConvergenceCheck(AutoScalingClient autoScaling, Ec2Client ec2) {
        this.autoScaling = autoScaling;
        this.ec2 = ec2;
    }

    /** The instances not on {@code version} of {@code templateId} with {@code imageId}, each with why; empty = converged. */
    List<String> laggards(String group, String templateId, String version, String imageId) {
        List<Instance> instances = new ArrayList<>();
        for (AutoScalingGroup g : autoScaling.describeAutoScalingGroupsPaginator(DescribeAutoScalingGroupsRequest.builder()
                .autoScalingGroupNames(group).build()).autoScalingGroups()) {
            g.instances().stream().filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE || i.lifecycleState() == LifecycleState.STANDBY)
                    .forEach(instances::add);
        }
        Map<String, String> images = new HashMap<>();
        List<String> ids = instances.stream().map(Instance::instanceId).toList();
        for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
            ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().instanceIds(ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL)))
                    .build()).reservations().forEach(r -> r.instances().forEach(x -> images.put(x.instanceId(), x.imageId())));
        }
        List<String> laggards = new ArrayList<>();
        for (Instance instance : instances) {
            String runsVersion = instance.launchTemplate() == null ? null : instance.launchTemplate().version();
            String runsTemplate = instance.launchTemplate() == null ? null : instance.launchTemplate().launchTemplateId();
            String runsImage = images.get(instance.instanceId());
            boolean onTarget = version.equals(runsVersion) && (runsTemplate == null || runsTemplate.equals(templateId))
                    && imageId.equals(runsImage);
            if (onTarget) {
                continue;
            }
            String why = Boolean.TRUE.equals(instance.protectedFromScaleIn()) ? "protected from scale-in"
                    : instance.lifecycleState() == LifecycleState.STANDBY ? "in Standby"
                    : "not replaced (skipped as matching, or launched outside the refresh)";
            laggards.add(instance.instanceId() + " (version " + runsVersion + ", " + runsImage + "): " + why);
        }
        return laggards;
    }
}
