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
    HOSTNAME_PUBLISHED(Severity.INFO);

    private final Severity defaultSeverity;

    NotificationKind(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }
}
