package io.amirollout.pipeline;

/**
 * An object written to S3, as one of the accepted event shapes describes it. Fields an event
 * shape does not carry are null (CloudTrail's PutObject record has no size or ETag, for instance).
 *
 * @param shape     which event shape it came from (for logs and the result)
 * @param bucket    bucket name
 * @param key       object key exactly as S3 stores it (URL-decoded where the shape encodes it; never trimmed)
 * @param versionId version id when the bucket is versioned
 * @param etag      ETag without quotes
 * @param sequencer S3's per-key event ordering value
 * @param requestId the S3 request id of the write
 * @param size      bytes, or null when the event does not say
 * @param eventId   the delivery-independent id of the event (EventBridge {@code id}; a classic record's
 *                  {@code x-amz-id-2}): the same on every redelivery, different for another upload
 */
public record PayloadObject(String shape, String bucket, String key, String versionId, String etag,
                            String sequencer, String requestId, Long size, String eventId) {
}
