package io.amirollout.hostname;

import java.util.List;

/**
 * What the function did with one event.
 *
 * @param outcome         PUBLISHED, PUBLISHED_WITHOUT_HOSTNAME, SKIPPED_NO_HOSTNAME (PUBLISH_WITHOUT_HOSTNAME=false),
 *                        DUPLICATE (the instance was already dealt with), SKIPPED_STATE, SKIPPED_OTHER_HOOK,
 *                        SKIPPED_WARM_POOL, INVALID_EVENT; in a dry run WOULD_ is put before what would happen
 *                        (WOULD_PUBLISH, WOULD_PUBLISH_WITHOUT_HOSTNAME, ...)
 * @param reason          one sentence for people
 * @param trigger         {@code lifecycle-action} or the EC2 state of the event
 * @param hostname        the hostname, when one was found
 * @param hostnameSource  where it was found: {@code tag:<key>} or {@code privateDnsName}
 * @param messageId       SNS message id when published
 * @param lifecycleAction COMPLETED, WOULD_COMPLETE (dry run), ALREADY_COMPLETED, NOT_PERMITTED, or null (no hook)
 * @param plan            the plan's steps, each with its reason
 */
public record HostnameResult(String outcome, String reason, String instanceId, String trigger, String hostname,
                             String hostnameSource, String eventId, String messageId, String lifecycleAction,
                             boolean dryRun, List<String> plan) {

    static HostnameResult invalid(String reason) {
        return new HostnameResult("INVALID_EVENT", reason, null, null, null, null, null, null, null, false, List.of());
    }
}
