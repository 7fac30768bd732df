package io.amirollout.invoker;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;
import io.amirollout.shared.state.ReleaseGroupStatus;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers {@code {"status": "<arn>" | "latest"}}: reads the release's partition of the infra state table — the
 * fan-out record per target ({@code target#<account>#<region>}, cross-account-invoker) and the latest state per
 * group ({@code group#<account>#<region>#<asg>}, recorded by slack-notifier from the workload functions' notices)
 * — and returns it as JSON with counts per state and the groups still waiting with their next window. With
 * {@code "notify": true} the summary also goes to Slack as a RELEASE_STATUS notice. Reads only; changes nothing.
 */
final class ReleaseStatusService {

    /** How many waiting groups the Slack summary names (the JSON has them all). */
    static final int SUMMARY_WAITING = 10;

    private final StateTable table;
    private final NotificationPublisher notices;
    private final Clock clock;

    /** @param table null when this stack keeps no state table */
    ReleaseStatusService(StateTable table, NotificationPublisher notices, Clock clock) {
        this.table = table;
        this.notices = notices;
        this.clock = clock;
    }

    ReleaseStatusReport handle(ReleaseStatusRequest request) {
        String now = clock.instant().toString();
        if (table == null) {
            Log.warn("status request, but no state table is configured (STATE_TABLE_NAME)");
            return ReleaseStatusReport.failed("NOT_KEPT", null, now, "no state table here (STATE_TABLE_NAME is not set)");
        }
        String release = request.release();
        if (request.latest()) {
            Optional<String> latest = table.get(ReleaseGroupStatus.LATEST_PK, ReleaseGroupStatus.LATEST_SK)
                    .map(i -> i.getOrNull(ReleaseGroupStatus.LATEST_ATTRIBUTE));
            if (latest.isEmpty()) {
                return ReleaseStatusReport.failed("NOT_FOUND", null, now, "no release has been reported yet");
            }
            release = latest.get();
        }
        List<Map<String, String>> groups = new ArrayList<>();
        List<Map<String, String>> targets = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> targetCounts = new TreeMap<>();
        List<ReleaseGroupStatus> waiting = new ArrayList<>();
        for (StateItem item : table.query(ReleaseGroupStatus.partition(release), "")) {
            if (item.sk().startsWith(ReleaseGroupStatus.TARGET_PREFIX)) {
                targets.add(row(item));
                targetCounts.merge(String.valueOf(item.getOrNull("state")), 1, Integer::sum);
            } else {
                ReleaseGroupStatus.from(item).ifPresent(status -> {
                    groups.add(row(item));
                    counts.merge(status.state(), 1, Integer::sum);
                    if ("DEFERRED".equals(status.state())) {
                        waiting.add(status);
                    }
                });
            }
        }
        if (groups.isEmpty() && targets.isEmpty()) {
            return ReleaseStatusReport.failed("NOT_FOUND", release, now, "nothing recorded for this release");
        }
        waiting.sort(Comparator.comparing((ReleaseGroupStatus s) -> s.deferredUntil() == null ? "~" : s.deferredUntil())
                .thenComparing(ReleaseGroupStatus::sortKey));
        List<Map<String, String>> waitingRows = waiting.stream().map(ReleaseStatusService::waitingRow).toList();
        boolean notified = false;
        if (request.sendToSlack()) {
            notices.publish(summary(release, counts, targetCounts, waiting));
            notified = true;
        }
        Log.info("release status read", "release", release, "groups", groups.size(), "targets", targets.size(),
                "counts", counts, "notified", notified);
        return new ReleaseStatusReport("OK", release, now, counts, targetCounts, waitingRows, groups, targets, notified, null);
    }

    private Notification summary(String release, Map<String, Integer> counts, Map<String, Integer> targetCounts,
                                 List<ReleaseGroupStatus> waiting) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        String name = release.substring(release.indexOf(":image/") + ":image/".length());
        List<String> next = new ArrayList<>();
        for (ReleaseGroupStatus s : waiting.subList(0, Math.min(SUMMARY_WAITING, waiting.size()))) {
            next.add(s.accountId() + "/" + s.region() + "/" + s.autoScalingGroup()
                    + (s.deferredUntil() == null ? "" : " at " + s.deferredUntil()));
        }
        boolean trouble = counts.getOrDefault("FAILED", 0) + counts.getOrDefault("ROLLED_BACK", 0)
                + counts.getOrDefault("NOT_CONVERGED", 0) > 0;
        Notification.Builder notice = Notification.of(NotificationKind.RELEASE_STATUS,
                        "Release " + name + ": " + counts.getOrDefault("SUCCEEDED", 0) + " of " + total + " groups done")
                .severity(trouble ? Severity.WARNING : Severity.INFO)
                .correlationId(release)
                .time(clock.instant())
                .detail("imageArn", release)
                .detail("groupsByState", format(counts))
                .detail("targetsByState", targetCounts.isEmpty() ? null : format(targetCounts))
                .detail("waitingGroups", waiting.size());
        if (!next.isEmpty()) {
            notice.detail("nextWindows", next);
        }
        if (waiting.size() > next.size()) {
            notice.detail("moreWaiting", waiting.size() - next.size());
        }
        return notice.build();
    }

    private static String format(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(state + " " + n));
        return String.join(", ", parts);
    }

    private static Map<String, String> row(StateItem item) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("sk", item.sk());
        row.putAll(new TreeMap<>(item.attributes()));
        return row;
    }

    private static Map<String, String> waitingRow(ReleaseGroupStatus s) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("accountId", s.accountId());
        row.put("region", s.region());
        row.put("autoScalingGroup", s.autoScalingGroup());
        if (s.deferredUntil() != null) {
            row.put("deferredUntil", s.deferredUntil());
        }
        return row;
    }
}
