package io.amirollout.invoker;

import java.util.List;
import java.util.Map;

/**
 * The organization-wide status of one release, as the {@code status} request answers it.
 *
 * @param status      OK, NOT_FOUND (no record of the release), NOT_KEPT (no state table here) or INVALID_REQUEST
 * @param releaseArn  the image build version ARN (resolved when "latest" was asked)
 * @param counts      groups per state (DEFERRED, STARTED, SUCCEEDED, NOT_CONVERGED, ROLLING_BACK, ROLLED_BACK,
 *                    FAILED, SKIPPED)
 * @param targetCounts fan-out targets per state (INVOKED, FAILED, …), from cross-account-invoker's records
 * @param waiting     groups still waiting (DEFERRED), soonest window first, with when it opens
 * @param groups      every group record: account, region, group, state, kind, reportedAt, deferredUntil, …
 * @param targets     every fan-out record: account, region, state, attempts, error, …
 * @param notified    whether the summary was sent to Slack
 * @param error       why nothing was read (bad request), else null
 */
record ReleaseStatusReport(String status, String releaseArn, String generatedAt, Map<String, Integer> counts,
                           Map<String, Integer> targetCounts, List<Map<String, String>> waiting,
                           List<Map<String, String>> groups, List<Map<String, String>> targets, boolean notified,
                           String error) {

    static ReleaseStatusReport failed(String status, String releaseArn, String generatedAt, String error) {
        return new ReleaseStatusReport(status, releaseArn, generatedAt, Map.of(), Map.of(), List.of(), List.of(), List.of(),
                false, error);
    }
}
