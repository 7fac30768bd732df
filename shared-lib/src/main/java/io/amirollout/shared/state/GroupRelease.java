package io.amirollout.shared.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One release given to one group: item {@code pk = group#<name>}, {@code sk = release#<imageId>}.
 *
 * @param fromVersion the numbered launch-template version the group ran before our refresh (the
 *                    roll-forward target), null until a refresh starts
 * @param toVersion   the version our refresh moves it to (created with {@code imageId})
 * @param forced      a person forced a rejected AMI by name ({@code "force": true})
 * @param revision    optimistic-concurrency revision of the stored item (0: not stored yet)
 */
public record GroupRelease(String group, String imageId, String imageName, String correlationId, ReleaseSource source,
                           ReleaseState state, String launchTemplateId, String fromVersion, String toVersion,
                           String refreshId, boolean forced, String reason, Instant receivedAt, Instant updatedAt,
                           long revision) {

    public static GroupRelease received(String group, String imageId, String imageName, String correlationId,
                                        ReleaseSource source, boolean forced, Instant now) {
        return new GroupRelease(group, imageId, imageName, correlationId, source, ReleaseState.PENDING, null, null, null,
                null, forced, null, now, now, 0);
    }

    public GroupRelease pending(String launchTemplateId, String toVersion, String reason, Instant now) {
        return new GroupRelease(group, imageId, imageName, correlationId, source, ReleaseState.PENDING, launchTemplateId,
                fromVersion, toVersion, refreshId, forced, reason, receivedAt, now, revision);
    }

    public GroupRelease started(String launchTemplateId, String fromVersion, String toVersion, String refreshId, Instant now) {
        return new GroupRelease(group, imageId, imageName, correlationId, source, ReleaseState.STARTED, launchTemplateId,
                fromVersion, toVersion, refreshId, forced, null, receivedAt, now, revision);
    }

    public GroupRelease ended(ReleaseState state, String reason, Instant now) {
        return new GroupRelease(group, imageId, imageName, correlationId, source, state, launchTemplateId, fromVersion,
                toVersion, refreshId, forced, reason, receivedAt, now, revision);
    }

    public GroupRelease withRevision(long newRevision) {
        return new GroupRelease(group, imageId, imageName, correlationId, source, state, launchTemplateId, fromVersion,
                toVersion, refreshId, forced, reason, receivedAt, updatedAt, newRevision);
    }

    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("type", "release");
        a.put("group", group);
        a.put("imageId", imageId);
        a.put("imageName", imageName);
        a.put("correlationId", correlationId);
        a.put("source", source.name());
        a.put("state", state.name());
        a.put("launchTemplateId", launchTemplateId);
        a.put("fromVersion", fromVersion);
        a.put("toVersion", toVersion);
        a.put("refreshId", refreshId);
        a.put("forced", forced ? "true" : null);
        a.put("reason", reason);
        a.put("receivedAt", receivedAt == null ? null : receivedAt.toString());
        a.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        a.values().removeIf(java.util.Objects::isNull);
        return a;
    }

    static GroupRelease from(StateItem item) {
        return new GroupRelease(item.getOrNull("group"), item.getOrNull("imageId"), item.getOrNull("imageName"),
                item.getOrNull("correlationId"), ReleaseSource.valueOf(item.get("source").orElse("RELEASE")),
                ReleaseState.valueOf(item.get("state").orElse("PENDING")), item.getOrNull("launchTemplateId"),
                item.getOrNull("fromVersion"), item.getOrNull("toVersion"), item.getOrNull("refreshId"),
                "true".equals(item.getOrNull("forced")), item.getOrNull("reason"),
                item.get("receivedAt").map(Instant::parse).orElse(null), item.get("updatedAt").map(Instant::parse).orElse(null),
                item.revision());
    }
}
