package io.amirollout.invoker;

/**
 * What happened for one account × region (the result's view of its record).
 *
 * @param imageId   the AMI sent to that target
 * @param reason    why it failed or was not attempted
 * @param errorCode the AWS error code of a failure, when there is one
 * @param attempts  attempts made so far
 */
public record TargetResult(String accountId, String region, String imageId, Status status, String reason,
                           String errorCode, int attempts) {

    public TargetResult(String accountId, String region, String imageId, Status status, String reason, String errorCode) {
        this(accountId, region, imageId, status, reason, errorCode, 0);
    }

    public enum Status {
        /** Lambda accepted the asynchronous invocation (202). */
        SUCCEEDED,
        /** AssumeRole or Invoke failed for good (or the attempts ran out); reason says why. */
        FAILED,
        /** Never attempted before the fan-out gave up. */
        NOT_ATTEMPTED,
        /** instance-refresh is not deployed in that account and region. */
        NOT_DEPLOYED,
        /** Still to do: a continuation (or a retry after its backoff) carries on. */
        PENDING,
        /** Dry run: would have been invoked. */
        DRY_RUN
    }

    static TargetResult of(TargetRecord r) {
        Status status = switch (r.state()) {
            case INVOKED -> Status.SUCCEEDED;
            case FAILED -> Status.FAILED;
            case NOT_ATTEMPTED -> Status.NOT_ATTEMPTED;
            case NOT_DEPLOYED -> Status.NOT_DEPLOYED;
            case PENDING -> Status.PENDING;
        };
        return new TargetResult(r.accountId(), r.region(), r.imageId(), status, r.error(), r.errorCode(), r.attempts());
    }
}
