package io.amirollout.refresh;

/** What happened to one Auto Scaling group. */
public enum GroupOutcome {
    /** An instance refresh to the new launch-template version was started (or, in a dry run, would be). */
    STARTED,
    /** The new version waits for the group's window or for another refresh to finish; a later tick starts it. */
    DEFERRED,
    /** Refused or not applicable (untrusted or rejected AMI, architecture mismatch, launch configuration, bad tags…). */
    SKIPPED,
    /** An error; the reason says which. Other groups were not affected. */
    FAILED,
    /** The group's launch-template version already has the AMI (or nothing is pending for it). */
    UP_TO_DATE,
    /** A refresh to this very version is already running (a duplicate event, a retried start, a concurrent invocation). */
    ALREADY_IN_PROGRESS,
    /** A person rejected the AMI for the group: no automatic path starts it again. */
    REJECTED,
    /** Auto Scaling reported our refresh Successful; recorded. */
    SUCCEEDED,
    /** Auto Scaling reported our refresh Successful, but InService instances still run another version or AMI. */
    NOT_CONVERGED,
    /** Auto Scaling rolled our refresh back; recorded, and the AMI is rejected for the group. */
    ROLLED_BACK,
    /** Our refresh failed or was cancelled; recorded (scheduled ticks do not retry it). */
    REFRESH_FAILED
}
