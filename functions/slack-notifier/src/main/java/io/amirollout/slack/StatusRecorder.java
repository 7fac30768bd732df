package io.amirollout.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnsEnvelope;
import io.amirollout.shared.state.ReleaseGroupStatus;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Records the organization-wide status (infra stack only, {@code RECORD_RELEASE_STATUS=true}): every notice a
 * workload function sends to the central topic about a group in a release becomes, or updates, that group's
 * {@link ReleaseGroupStatus} item. slack-notifier does it because it already receives every notice, once per
 * delivery, through the queue; no second subscriber is needed.
 *
 * <p>The release is the notice's {@code correlationId} when it is an Image Builder image build version ARN
 * (the {@code ImageReleased} correlation id every workload function carries), else {@code details.imageArn}.
 * Writes are conditional on the stored revision and keep the newest report: a notice older than the stored
 * one (SQS does not keep order) changes nothing, and a duplicate delivery writes the same values again.
 * Dry-run notices are not recorded: nothing happened.
 */
final class StatusRecorder {

    static final Pattern IMAGE_ARN = Pattern.compile("^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\\d{12}:image/[^/]+/[^/]+/\\d+$");
    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("REFRESH_DEFERRED", "DEFERRED"), Map.entry("REFRESH_STARTED", "STARTED"),
            Map.entry("REFRESH_SUCCEEDED", "SUCCEEDED"), Map.entry("TESTS_PASSED", "SUCCEEDED"),
            Map.entry("REFRESH_NOT_CONVERGED", "NOT_CONVERGED"), Map.entry("ROLLBACK_STARTED", "ROLLING_BACK"),
            Map.entry("TESTS_FAILED", "ROLLING_BACK"), Map.entry("REFRESH_ROLLED_BACK", "ROLLED_BACK"),
            Map.entry("AMI_REJECTED", "ROLLED_BACK"), Map.entry("REFRESH_FAILED", "FAILED"),
            Map.entry("ROLLBACK_FAILED", "FAILED"), Map.entry("REFRESH_SKIPPED", "SKIPPED"));
    private static final List<String> DEFERRED_UNTIL_KEYS = List.of("deferredUntil", "nextWindow", "windowOpensAt", "windowStart");
    private static final int MAX_ATTEMPTS = 3;

    private final StateTable table;

    StatusRecorder(StateTable table) {
        this.table = table;
    }

    /** Records the group status the event reports, if it is a notice about a group in a release. */
    Optional<ReleaseGroupStatus> record(JsonNode event) {
        Optional<ReleaseGroupStatus> status = statusOf(event);
        status.ifPresent(this::write);
        return status;
    }

    /** The status a notice reports (a plain value; no AWS call). */
    static Optional<ReleaseGroupStatus> statusOf(JsonNode event) {
        JsonNode notice = notice(event);
        if (notice == null) {
            return Optional.empty();
        }
        String state = STATES.get(Json.text(notice, "kind"));
        JsonNode details = notice.path("details");
        Map<String, Object> detailMap = details.isObject() ? Json.MAPPER.convertValue(details, LinkedHashMap.class) : Map.of();
        if (state == null || NoticeMessages.isDryRun(detailMap)) {
            return Optional.empty();
        }
        String release = releaseOf(notice);
        String group = Json.text(details, "autoScalingGroup");
        String account = Json.text(notice, "accountId");
        String region = Json.text(notice, "region");
        if (release == null || group == null || account == null || region == null) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = Instant.parse(Json.text(notice, "time"));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
        String deferredUntil = null;
        for (String key : DEFERRED_UNTIL_KEYS) {
            if (deferredUntil == null) {
                deferredUntil = Json.text(details, key);
            }
        }
        return Optional.of(new ReleaseGroupStatus(release, account, region, group, state, Json.text(notice, "kind"), at,
                "DEFERRED".equals(state) ? deferredUntil : null, Json.text(details, "imageId"),
                Json.text(details, "instanceRefreshId"), Json.text(details, "reason")));
    }

    private static String releaseOf(JsonNode notice) {
        for (String candidate : new String[] {Json.text(notice, "correlationId"), Json.text(notice.path("details"), "imageArn")}) {
            if (candidate != null && IMAGE_ARN.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return null;
    }

    private static JsonNode notice(JsonNode event) {
        try {
            JsonNode candidate = event;
            if (SnsEnvelope.looksLike(event)) {
                if (event.get("Records").size() != 1) {
                    return null;
                }
                String message = Json.text(event.get("Records").get(0).path("Sns"), "Message");
                if (message == null || !message.strip().startsWith("{")) {
                    return null;
                }
                candidate = Json.readTree(message);
            }
            return candidate.isObject() && candidate.hasNonNull("kind") && candidate.hasNonNull("title") ? candidate : null;
        } catch (InvalidEventException e) {
            return null;
        }
    }

    private void write(ReleaseGroupStatus status) {
        String pk = ReleaseGroupStatus.partition(status.releaseArn());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<StateItem> stored = table.get(pk, status.sortKey());
            if (stored.isPresent()) {
                Optional<ReleaseGroupStatus> current = ReleaseGroupStatus.from(stored.get());
                if (current.isPresent() && current.get().reportedAt().isAfter(status.reportedAt())) {
                    Log.info("older report than the recorded one; status kept", "group", status.autoScalingGroup(),
                            "recorded", current.get().state(), "reported", status.state());
                    return;
                }
            }
            long revision = stored.map(StateItem::revision).orElse(0L);
            if (table.replace(status.toItem(revision))) {
                if (stored.isEmpty()) {
                    markLatest(status);
                }
                Log.info("release status recorded", "release", status.releaseArn(), "group", status.sortKey(),
                        "state", status.state());
                return;
            }
        }
        // Three writers in a row came first: theirs are as recent; the next notice records again.
        Log.warn("release status not recorded: the item kept changing", "group", status.sortKey());
    }

    /** The first report of a release makes it the "latest" (a straggler of an older release never does). */
    private void markLatest(ReleaseGroupStatus status) {
        boolean firstOfRelease = table.putIfAbsent(new StateItem(ReleaseGroupStatus.partition(status.releaseArn()), "release",
                Map.of("releaseArn", status.releaseArn(), "firstReportedAt", status.reportedAt().toString()), 0, null));
        if (firstOfRelease) {
            table.put(new StateItem(ReleaseGroupStatus.LATEST_PK, ReleaseGroupStatus.LATEST_SK,
                    Map.of(ReleaseGroupStatus.LATEST_ATTRIBUTE, status.releaseArn(), "since", status.reportedAt().toString()), 0, null));
        }
    }

    /** Groups per state in a release, for the dashboard metrics. */
    Map<String, Integer> counts(String releaseArn) {
        Map<String, Integer> counts = new TreeMap<>();
        for (StateItem item : table.query(ReleaseGroupStatus.partition(releaseArn), ReleaseGroupStatus.GROUP_PREFIX)) {
            ReleaseGroupStatus.from(item).ifPresent(s -> counts.merge(s.state(), 1, Integer::sum));
        }
        return counts;
    }
}
