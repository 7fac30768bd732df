package io.amirollout.shared.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workload stack's record of each Auto Scaling group: its head (decision lock), the releases it was
 * given and what became of each, and the AMIs rejected for it. instance-refresh, rollback-on-alarm and
 * refresh-verifier read and write groups only through this class. Item layout: shared-lib/README.md.
 */
public final class GroupLedger {

    private final StateTable table;

    public GroupLedger(StateTable table) {
        this.table = table;
    }

    /** The table underneath (for the exactly-once markers a function keeps beside its groups). */
    public StateTable table() {
        return table;
    }

    public static String partition(String group) {
        return "group#" + group;
    }

    public GroupHead head(String group) {
        return table.get(partition(group), "head").map(GroupHead::from).orElse(GroupHead.empty(group));
    }

    /** Conditional on {@code head.revision()}; false when another invocation decided first (read again). */
    public boolean writeHead(GroupHead head) {
        return table.replace(new StateItem(partition(head.group()), "head", head.attributes(), head.revision(), null));
    }

    public Optional<GroupRelease> release(String group, String imageId) {
        return table.get(partition(group), "release#" + imageId).map(GroupRelease::from);
    }

    /** Every release recorded for the group, oldest first by receipt. */
    public List<GroupRelease> releases(String group) {
        return table.query(partition(group), "release#").stream().map(GroupRelease::from)
                .sorted(java.util.Comparator.comparing(GroupRelease::receivedAt,
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                .toList();
    }

    /** Conditional on {@code release.revision()}; false when another invocation wrote it first. */
    public boolean writeRelease(GroupRelease release) {
        return table.replace(new StateItem(partition(release.group()), "release#" + release.imageId(),
                release.attributes(), release.revision(), null));
    }

    /** The release whose refresh was started for {@code refreshId}, if this project started it. */
    public Optional<GroupRelease> releaseByRefresh(String group, String refreshId) {
        return releases(group).stream().filter(r -> refreshId != null && refreshId.equals(r.refreshId())).findFirst();
    }

    public Map<String, RejectedAmi> rejected(String group) {
        Map<String, RejectedAmi> out = new LinkedHashMap<>();
        table.query(partition(group), "rejected#").stream().map(RejectedAmi::from).forEach(r -> out.put(r.imageId(), r));
        return out;
    }

    public Optional<RejectedAmi> rejection(String group, String imageId) {
        return table.get(partition(group), "rejected#" + imageId).map(RejectedAmi::from);
    }

    /** Records the rejection unless the AMI already is rejected for the group; true when this call recorded it. */
    public boolean reject(RejectedAmi rejection) {
        return table.putIfAbsent(new StateItem(partition(rejection.group()), "rejected#" + rejection.imageId(),
                rejection.attributes(), 0, null));
    }
}
