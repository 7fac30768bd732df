package io.amirollout.invoker;

/**
 * What happened for one account × region.
 *
 * @param imageId   the AMI sent to that target
 * @param reason    why it failed or was not attempted
 * @param errorCode the AWS error code of a failure, when there is one
 */
public record TargetResult(String accountId, String region, String imageId, Status status, String reason,
                           String errorCode) {

    public enum Status {
        /** Lambda accepted the asynchronous invocation (202). */
        SUCCEEDED,
        /** AssumeRole or Invoke failed; reason says why. */
        FAILED,
        /** The Lambda's remaining time ran below the safety margin before this target was started. */
        NOT_ATTEMPTED,
        /** Dry run: would have been invoked. */
        DRY_RUN
    }
}
