package io.amirollout.shared.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The group's decision record and lock: item {@code pk = group#<name>}, {@code sk = head}. Every
 * decision for the group (record a release as desired, start a refresh, undo one) is a conditional
 * write of this item on its revision, so of two concurrent invocations exactly one acts.
 *
 * @param desiredImageId the AMI the group should run: the latest release for it, or the AMI a person
 *                       named in a manual request (until a newer release arrives)
 * @param latestImageId  the AMI of the latest refresh this project started for the group (its
 *                       {@link GroupRelease} has the versions and the refresh id)
 */
public record GroupHead(String group, String desiredImageId, ReleaseSource desiredSource, String latestImageId,
                        Instant updatedAt, long revision) {

    public static GroupHead empty(String group) {
        return new GroupHead(group, null, null, null, null, 0);
    }

    public GroupHead desire(String imageId, ReleaseSource source, Instant now) {
        return new GroupHead(group, imageId, source, latestImageId, now, revision);
    }

    public GroupHead started(String imageId, Instant now) {
        return new GroupHead(group, desiredImageId, desiredSource, imageId, now, revision);
    }

    public GroupHead touched(Instant now) {
        return new GroupHead(group, desiredImageId, desiredSource, latestImageId, now, revision);
    }

    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("type", "head");
        a.put("group", group);
        a.put("desiredImageId", desiredImageId);
        a.put("desiredSource", desiredSource == null ? null : desiredSource.name());
        a.put("latestImageId", latestImageId);
        a.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        a.values().removeIf(java.util.Objects::isNull);
        return a;
    }

    static GroupHead from(StateItem item) {
        return new GroupHead(item.getOrNull("group"), item.getOrNull("desiredImageId"),
                item.get("desiredSource").map(ReleaseSource::valueOf).orElse(null), item.getOrNull("latestImageId"),
                item.get("updatedAt").map(Instant::parse).orElse(null), item.revision());
    }
}
