package io.amirollout.verifier;

import java.util.List;
import java.util.Map;

/**
 * A group as DescribeAutoScalingGroups reported it in one round.
 *
 * @param instances       every instance of the group, any lifecycle state
 * @param targetGroupArns the target groups attached to the group (instances register by id)
 */
public record GroupView(String name, Map<String, String> tags, List<Member> instances, List<String> targetGroupArns) {

    public GroupView {
        tags = Map.copyOf(tags);
        instances = List.copyOf(instances);
        targetGroupArns = List.copyOf(targetGroupArns);
    }

    /**
     * One instance.
     *
     * @param lifecycleState        e.g. {@code InService}, {@code Pending}, {@code Standby}, {@code Terminating}
     * @param launchTemplateVersion the numbered launch-template version it was launched from (null: launch configuration)
     */
    public record Member(String instanceId, String lifecycleState, String healthStatus, String launchTemplateVersion,
                         boolean protectedFromScaleIn) {

        public boolean inService() {
            return "InService".equals(lifecycleState);
        }

        public boolean standby() {
            return lifecycleState != null && lifecycleState.startsWith("Standby");
        }

        public boolean leaving() {
            return lifecycleState != null && (lifecycleState.startsWith("Terminat") || lifecycleState.startsWith("Detach"));
        }
    }

    /** Instances launched from {@code version}, not on their way out, sorted by id (a stable sample). */
    public List<Member> on(String version) {
        return instances.stream().filter(m -> version != null && version.equals(m.launchTemplateVersion()) && !m.leaving())
                .sorted(java.util.Comparator.comparing(Member::instanceId)).toList();
    }
}
