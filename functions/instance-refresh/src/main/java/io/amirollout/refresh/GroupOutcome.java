package io.amirollout.refresh;

/** What happened to one Auto Scaling group. */
public enum GroupOutcome {
    /** An instance refresh to the new launch-template version was started (or, in a dry run, would be). */
    STARTED,
    /** The new version waits for the group's window or for another refresh to finish; a later tick starts it. */
    DEFERRED,
    /** Refused or not applicable (untrusted AMI, architecture mismatch, launch configuration, bad tags…). */
    SKIPPED,
    /** An error; the reason says which. Other groups were not affected. */
    FAILED,
    /** The group's launch-template version already has the AMI. */
    UP_TO_DATE,
    /** A refresh to this very version is already running (a duplicate event, for example). */
    ALREADY_IN_PROGRESS
}
