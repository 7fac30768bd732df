package io.amirollout.shared;

/** How loudly a notice should be shown; slack-notifier maps these to good / warning / danger. */
public enum Severity {
    /** Progress a person may want to see (started, deferred). */
    INFO,
    /** Finished well. */
    SUCCESS,
    /** Needs a look, nothing broken yet (skipped with a surprising reason, cancelled). */
    WARNING,
    /** Something failed or was rolled back. */
    ERROR
}
