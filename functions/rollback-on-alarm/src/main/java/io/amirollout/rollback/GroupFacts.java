package io.amirollout.rollback;

import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

import java.util.List;
import java.util.Optional;

/**
 * Everything the decision for one group is made from, read in one go.
 *
 * @param group           the group as DescribeAutoScalingGroups reports it (tags, launch template)
 * @param refreshes       its instance refreshes of the last six weeks, NEWEST FIRST (by start time; a Pending
 *                        refresh without one counts as newest)
 * @param head            the group's head in the state of record (decision lock; {@code latestImageId} names
 *                        the release whose refresh we started last)
 * @param release         that release, when recorded
 * @param releaseRejected whether its AMI already is recorded as rejected for the group
 */
record GroupFacts(AutoScalingGroup group, List<InstanceRefresh> refreshes, GroupHead head, Optional<GroupRelease> release,
                  boolean releaseRejected) {

    GroupFacts {
        refreshes = List.copyOf(refreshes);
    }

    String name() {
        return group.autoScalingGroupName();
    }

    Optional<InstanceRefresh> latest() {
        return refreshes.isEmpty() ? Optional.empty() : Optional.of(refreshes.get(0));
    }

    /** The refresh started just before the latest one. */
    Optional<InstanceRefresh> beforeLatest() {
        return refreshes.size() < 2 ? Optional.empty() : Optional.of(refreshes.get(1));
    }
}
