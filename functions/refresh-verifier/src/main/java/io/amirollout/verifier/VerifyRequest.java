package io.amirollout.verifier;

/**
 * One thing to verify, read from the invocation's input.
 *
 * @param phase                what triggered it
 * @param group                Auto Scaling group name (null for a continuation: the record knows it)
 * @param refreshId            the instance refresh the event is about (null for manual and continuation)
 * @param checkpointPercentage the event's CheckpointPercentage (checkpoint events only)
 * @param checkpointDelay      the event's CheckpointDelay, seconds (checkpoint events only, may be null)
 * @param continuationId       the verification record a continuation resumes (continuations only)
 * @param dryRun               decide and report, change nothing
 */
public record VerifyRequest(Phase phase, String group, String refreshId, Integer checkpointPercentage,
                            Integer checkpointDelay, String continuationId, boolean dryRun) {

    public boolean continuation() {
        return continuationId != null;
    }

    /** The verification's key: one per refresh and checkpoint (or success), so no test runs twice for one event. */
    public String verificationId(String requestId) {
        return switch (phase) {
            case CHECKPOINT -> refreshId + "#checkpoint-" + checkpointPercentage;
            case SUCCEEDED -> refreshId + "#succeeded";
            case MANUAL -> "manual#" + group + "#" + requestId;
        };
    }
}
