package io.amirollout.verifier;

import io.amirollout.shared.autoscaling.AutoScalingGroups;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the Auto Scaling group, its refreshes and its instances' AMIs. */
final class GroupReader {

    private final AutoScalingClient autoScaling;
    private final Ec2Client ec2;

    GroupReader(AutoScalingClient autoScaling, Ec2Client ec2) {
        this.autoScaling = autoScaling;
        this.ec2 = ec2;
    }

    Optional<GroupView> group(String name) {
        List<AutoScalingGroup> groups = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups();
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        AutoScalingGroup group = groups.get(0);
        Map<String, String> tags = new LinkedHashMap<>();
        group.tags().forEach(t -> tags.put(t.key(), t.value() == null ? "" : t.value()));
        List<GroupView.Member> members = new ArrayList<>();
        for (Instance i : group.instances()) {
            String version = i.launchTemplate() == null ? null : i.launchTemplate().version();
            members.add(new GroupView.Member(i.instanceId(), i.lifecycleStateAsString(), i.healthStatus(), version,
                    Boolean.TRUE.equals(i.protectedFromScaleIn())));
        }
        return Optional.of(new GroupView(group.autoScalingGroupName(), tags, members, group.targetGroupARNs()));
    }

    /** The group's launch template id (own or inside its mixed instances policy), or null. */
    String launchTemplateId(String name) {
        return autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().stream()
                .map(AutoScalingGroups::launchTemplate).filter(java.util.Objects::nonNull)
                .map(t -> t.launchTemplateId()).findFirst().orElse(null);
    }

    /**
     * The group's refreshes, newest first ("DescribeInstanceRefreshes ... returns the instance refreshes in
     * descending order of start time"); the first page is enough to see the latest ones.
     */
    List<InstanceRefresh> refreshes(String group) {
        return autoScaling.describeInstanceRefreshes(r -> r.autoScalingGroupName(group).maxRecords(20)).instanceRefreshes();
    }

    /** The AMI each of these instances runs (DescribeInstances, all pages). */
    Map<String, String> images(List<String> instanceIds) {
        Map<String, String> images = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return images;
        }
        ec2.describeInstancesPaginator(r -> r.instanceIds(instanceIds)).reservations()
                .forEach(res -> res.instances().forEach(i -> images.put(i.instanceId(), i.imageId())));
        return images;
    }
}
