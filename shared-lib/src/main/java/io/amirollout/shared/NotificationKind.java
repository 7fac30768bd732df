package io.amirollout.shared;

/**
 * Every kind of notice the functions publish: the one list, shared by publishers and by
 * slack-notifier. Each kind has the severity it usually carries; a publisher may raise it.
 */
public enum NotificationKind {
    PIPELINE_STARTED(Severity.INFO),
    PIPELINE_START_FAILED(Severity.ERROR),
    PIPELINE_SKIPPED(Severity.INFO),
    IMAGE_BUILD_FAILED(Severity.ERROR),
    FANOUT_COMPLETED(Severity.SUCCESS),
    REFRESH_STARTED(Severity.INFO),
    REFRESH_DEFERRED(Severity.INFO),
    REFRESH_SKIPPED(Severity.INFO),
    REFRESH_FAILED(Severity.ERROR),
    ROLLBACK_STARTED(Severity.WARNING),
    ROLLBACK_FAILED(Severity.ERROR),
    ROLLBACK_SKIPPED(Severity.INFO),
    HOSTNAME_PUBLISHED(Severity.INFO),
    // The round that made the system remember (issues 11-18): outcomes, tests, clean-up, status.
    /** A refresh this project started ended Successful and every InService instance converged. */
    REFRESH_SUCCEEDED(Severity.SUCCESS),
    /** A refresh ended but instances still run another launch-template version or AMI. */
    REFRESH_NOT_CONVERGED(Severity.WARNING),
    /** A refresh this project started was rolled back by AWS (auto rollback) or ended Failed/Cancelled. */
    REFRESH_ROLLED_BACK(Severity.WARNING),
    /** An AMI was recorded as rejected for a group (never rolled out again automatically). */
    AMI_REJECTED(Severity.WARNING),
    /** refresh-verifier: every configured check passed. */
    TESTS_PASSED(Severity.SUCCESS),
    /** refresh-verifier: a check failed; the refresh is undone. */
    TESTS_FAILED(Severity.ERROR),
    /** termination-hostname: no hostname could be found for a terminated instance. */
    HOSTNAME_MISSING(Severity.WARNING),
    /** cross-account-invoker: targets failed or were not reached after every retry. */
    FANOUT_FAILED(Severity.ERROR),
    /** cross-account-invoker: an organization-wide status summary, on request. */
    RELEASE_STATUS(Severity.INFO),
    /** ami-janitor: an AMI was marked for deregistration. */
    AMI_MARKED(Severity.INFO),
    /** ami-janitor: a mark was removed (in use again, or protected). */
    AMI_UNMARKED(Severity.INFO),
    /** ami-janitor: an AMI was deregistered and its snapshots deleted. */
    AMI_DEREGISTERED(Severity.INFO),
    /** An alarm on the automation itself (template alarms routed to the notifications topic). */
    AUTOMATION_ALARM(Severity.ERROR);

    private final Severity defaultSeverity;

    NotificationKind(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }
}
