package io.amirollout.shared.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The organization-wide status of one group in one release (infra stack's table): the latest state the
 * workload functions reported for it, recorded from their notices by slack-notifier and read by
 * cross-account-invoker's {@code status} request. Key: {@code pk = release#<image build version arn>},
 * {@code sk = group#<account>#<region>#<asg>}, next to the fan-out records ({@code target#…}).
 *
 * <p>The release most recently first reported is named by the pointer item {@code release#latest / pointer}
 * (attribute {@code releaseArn}), so {@code "status": "latest"} needs no table scan.
 *
 * @param state         DEFERRED, STARTED, SUCCEEDED, NOT_CONVERGED, ROLLING_BACK, ROLLED_BACK, FAILED, SKIPPED
 * @param kind          the notice kind that reported it
 * @param reportedAt    the notice's time; an older notice never overwrites a newer one
 * @param deferredUntil when the group's window opens, for DEFERRED (null when not reported)
 */
public record ReleaseGroupStatus(String releaseArn, String accountId, String region, String autoScalingGroup,
                                 String state, String kind, Instant reportedAt, String deferredUntil, String imageId,
                                 String instanceRefreshId, String reason) {

    public static final String GROUP_PREFIX = "group#";
    public static final String TARGET_PREFIX = "target#";
    public static final String LATEST_PK = "release#latest";
    public static final String LATEST_SK = "pointer";
    public static final String LATEST_ATTRIBUTE = "releaseArn";

    public static String partition(String releaseArn) {
        return "release#" + releaseArn;
    }

    public String sortKey() {
        return GROUP_PREFIX + accountId + "#" + region + "#" + autoScalingGroup;
    }

    public StateItem toItem(long revision) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("releaseArn", releaseArn);
        a.put("accountId", accountId);
        a.put("region", region);
        a.put("autoScalingGroup", autoScalingGroup);
        a.put("state", state);
        a.put("kind", kind);
        a.put("reportedAt", reportedAt.toString());
        a.put("deferredUntil", deferredUntil);
        a.put("imageId", imageId);
        a.put("instanceRefreshId", instanceRefreshId);
        a.put("reason", reason);
        a.values().removeIf(java.util.Objects::isNull);
        return new StateItem(partition(releaseArn), sortKey(), a, revision, null);
    }

    /** The record in an item of the release partition; empty for items that are not group records. */
    public static Optional<ReleaseGroupStatus> from(StateItem item) {
        if (!item.sk().startsWith(GROUP_PREFIX) || item.getOrNull("state") == null) {
            return Optional.empty();
        }
        String reported = item.getOrNull("reportedAt");
        return Optional.of(new ReleaseGroupStatus(item.getOrNull("releaseArn"), item.getOrNull("accountId"),
                item.getOrNull("region"), item.getOrNull("autoScalingGroup"), item.getOrNull("state"),
                item.getOrNull("kind"), reported == null ? Instant.EPOCH : Instant.parse(reported),
                item.getOrNull("deferredUntil"), item.getOrNull("imageId"), item.getOrNull("instanceRefreshId"),
                item.getOrNull("reason")));
    }
}
