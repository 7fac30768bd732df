package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what the deciders need: Auto Scaling groups and refreshes, and the group's state of record. No writes. */
final class GroupReader {

    /** DescribeAutoScalingGroups accepts many names per call; 50 keeps requests small. */
    private static final int NAMES_PER_CALL = 50;
    /** DescribeInstanceRefreshes MaxRecords upper limit (default 50). */
    private static final int MAX_REFRESH_RECORDS = 100;

    private final AutoScalingClient autoScaling;
    private final GroupLedger ledger;

    GroupReader(AutoScalingClient autoScaling, GroupLedger ledger) {
        this.autoScaling = autoScaling;
        this.ledger = ledger;
    }

    /** Groups carrying an ami-rollout:alarms tag (any value): the tag-key filter narrows the listing. */
    List<AutoScalingGroup> taggedGroups() {
        return autoScaling.describeAutoScalingGroupsPaginator(r -> r
                        .filters(Filter.builder().name("tag-key").values(RolloutTags.ALARMS).build()))
                .autoScalingGroups().stream().toList();
    }

    Map<String, AutoScalingGroup> byName(List<String> names) {
        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        for (int start = 0; start < names.size(); start += NAMES_PER_CALL) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + NAMES_PER_CALL));
            autoScaling.describeAutoScalingGroupsPaginator(r -> r.autoScalingGroupNames(chunk))
                    .autoScalingGroups()
                    .forEach(group -> groups.put(group.autoScalingGroupName(), group));
        }
        return groups;
    }

    /** Everything the decision for one group needs; the group is read again, it may have changed since listing. */
    GroupFacts facts(AutoScalingGroup listed, boolean fresh) {
        String name = listed.autoScalingGroupName();
        AutoScalingGroup group = fresh ? Optional.ofNullable(byName(List.of(name)).get(name)).orElse(listed) : listed;
        GroupHead head = ledger.head(name);
        Optional<GroupRelease> release = ourLatestRelease(head);
        boolean rejected = release.isPresent() && ledger.rejection(name, release.get().imageId()).isPresent();
        return new GroupFacts(group, refreshes(name), head, release, rejected);
    }

    /**
     * The release whose refresh we started last: the head's {@code latestImageId}; if the head does not name one
     * (written by an older version), the most recently updated release that has a refresh id.
     */
    private Optional<GroupRelease> ourLatestRelease(GroupHead head) {
        if (head.latestImageId() != null) {
            return ledger.release(head.group(), head.latestImageId());
        }
        return ledger.releases(head.group()).stream().filter(r -> r.refreshId() != null)
                .max(Comparator.comparing(GroupRelease::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /**
     * The group's refreshes, newest first. AWS lists the last six weeks; the API reference does not promise an
     * order, so they are sorted by start time (a Pending refresh has none yet: it is newest).
     */
    private List<InstanceRefresh> refreshes(String group) {
        return autoScaling.describeInstanceRefreshesPaginator(r -> r.autoScalingGroupName(group).maxRecords(MAX_REFRESH_RECORDS))
                .stream()
                .flatMap(page -> page.instanceRefreshes().stream())
                .sorted(Comparator.comparing((InstanceRefresh r) -> r.startTime() == null ? Instant.MAX : r.startTime()).reversed())
                .toList();
    }
}
