package io.amirollout.pipeline;

/**
 * What happened for one object of the event.
 *
 * @param status               what was done
 * @param reason               why it was skipped or failed (null when started)
 * @param errorCode            the AWS error code of a failure, when there is one
 * @param clientToken          the idempotency token used (or that would be used in a dry run)
 * @param imageBuildVersionArn the image build Image Builder started
 */
public record ObjectOutcome(String bucket, String key, String versionId, Status status, String reason,
                            String errorCode, String clientToken, String imageBuildVersionArn) {

    public enum Status {
        /** StartImagePipelineExecution accepted the request (a redelivery answered with the same build also lands here). */
        STARTED,
        /** Image Builder refused the token as already used: an earlier delivery started this build. */
        ALREADY_STARTED,
        /** Dry run: it would have started. */
        DRY_RUN,
        /** Not a payload for this pipeline (other bucket, key, event, or an empty object). */
        SKIPPED,
        /** The start failed; reason says why. */
        FAILED,
        /** This record of the event could not be read (the other records were handled). */
        INVALID
    }

    static ObjectOutcome skipped(String bucket, String key, String versionId, String reason) {
        return new ObjectOutcome(bucket, key, versionId, Status.SKIPPED, reason, null, null, null);
    }
}
