package io.amirollout.verifier;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the Auto Scaling group and its refreshes. */
final class GroupReader {

    private final AutoScalingClient autoScaling;

    GroupReader(AutoScalingClient autoScaling) {
        this.autoScaling = autoScaling;
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

    /**
     * The group's refreshes, newest first ("DescribeInstanceRefreshes ... returns the instance refreshes in
     * descending order of start time"); the first page is enough to see the latest ones.
     */
    List<InstanceRefresh> refreshes(String group) {
        return autoScaling.describeInstanceRefreshes(r -> r.autoScalingGroupName(group).maxRecords(20)).instanceRefreshes();
    }

}
