package io.amirollout.hostname;

/**
 * What the function did with one instance state change.
 *
 * @param outcome    PUBLISHED, WOULD_PUBLISH (dry run), SKIPPED_STATE, SKIPPED_NO_HOSTNAME,
 *                   SKIPPED_UNKNOWN_INSTANCE or INVALID_EVENT
 * @param reason     one sentence for people
 * @param instanceId the instance
 * @param state      its new state
 * @param hostname   the hostname tag's value, when there is one
 * @param eventId    the EventBridge event id (also sent as the {@code eventId} message attribute)
 * @param messageId  SNS message id when published
 * @param dryRun     true when nothing was published on purpose
 */
public record HostnameResult(String outcome, String reason, String instanceId, String state, String hostname,
                             String eventId, String messageId, boolean dryRun) {

    static HostnameResult invalid(String reason) {
        return new HostnameResult("INVALID_EVENT", reason, null, null, null, null, null, false);
    }
}
