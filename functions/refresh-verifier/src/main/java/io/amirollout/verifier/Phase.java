package io.amirollout.verifier;

/** Where in a refresh the tests run, which decides what "new instances" are and how a failure is undone. */
public enum Phase {
    /** "Checkpoint Reached": the refresh waits (CheckpointDelay); a failure rolls it back (RollbackInstanceRefresh). */
    CHECKPOINT,
    /** "Succeeded": every instance replaced; a failure rolls the group forward to the version it ran before. */
    SUCCEEDED,
    /** A person's {@code {"verify": "<group>"}}: the checks run and are reported; nothing is undone. */
    MANUAL
}
