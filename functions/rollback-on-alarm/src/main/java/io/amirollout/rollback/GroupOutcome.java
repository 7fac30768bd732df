package io.amirollout.rollback;

/** What happened to one Auto Scaling group guarded by the alarm. */
public enum GroupOutcome {
    /** RollbackInstanceRefresh accepted: AWS is restoring the configuration the group had before the refresh. */
    ROLLBACK_STARTED,
    /** AWS refused to roll back (irreversible refresh), so the refresh was CANCELLED: replaced instances stay. */
    CANCELLED_NOT_ROLLED_BACK,
    /** The refresh had already finished Successful: a new refresh back to the previous version was started. */
    ROLL_FORWARD_STARTED,
    /** Dry run: would have called RollbackInstanceRefresh. */
    WOULD_ROLL_BACK,
    /** Dry run: would have started a refresh back to the previous version. */
    WOULD_ROLL_FORWARD,
    /** A rollback, cancellation or our own roll-forward is already under way (duplicate alarm). */
    ALREADY_UNDOING,
    /** Nothing to undo: no refresh, a refresh that ended without changing the group, or one too old. */
    NOTHING_TO_UNDO,
    /** Could not undo; the reason says why. */
    FAILED;

    public boolean failed() {
        return this == FAILED || this == CANCELLED_NOT_ROLLED_BACK;
    }
}
