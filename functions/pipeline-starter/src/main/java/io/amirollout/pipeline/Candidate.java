package io.amirollout.pipeline;

/**
 * One thing the event reported: an object to consider, or a reason the event (or one record of
 * it) is not about a new object at all (a delete, a test event, a failed API call).
 */
public record Candidate(PayloadObject object, String skipReason, String bucket, String key) {

    static Candidate of(PayloadObject object) {
        return new Candidate(object, null, object.bucket(), object.key());
    }

    static Candidate skip(String reason, String bucket, String key) {
        return new Candidate(null, reason, bucket, key);
    }
}
