package io.amirollout.shared.state;

/** What was decided and done for one release (one AMI) of one Auto Scaling group. */
public enum ReleaseState {
    /** Recorded; waits for the group's window (or for another refresh to end). */
    PENDING,
    /** Our instance refresh to it is running. */
    STARTED,
    /** Our refresh ended Successful (and, where checked, converged). */
    SUCCEEDED,
    /** Our refresh ended Successful but InService instances still run another version or AMI. */
    NOT_CONVERGED,
    /** Our refresh ended Failed or Cancelled without being rolled back. */
    FAILED,
    /** AWS auto rollback, rollback-on-alarm or refresh-verifier rolled the refresh back (the AMI is rejected). */
    ROLLED_BACK,
    /** After it succeeded, the group was refreshed forward to the version it ran before (the AMI is rejected). */
    ROLLED_FORWARD,
    /** A newer release (or a person's request) replaced it before it started. */
    SUPERSEDED;

    /** The refresh to this release is over, one way or another. */
    public boolean ended() {
        return this != PENDING && this != STARTED;
    }
}
