package io.amirollout.pipeline;

/**
 * One thing the event reported: an object to consider, a reason the event (or one record of it) is
 * not about a new object at all (a delete, a test event, a failed API call), or a record that could
 * not be read ({@code invalid}: reported on its own, the other records still go ahead).
 */
public record Candidate(PayloadObject object, String skipReason, String bucket, String key, boolean invalid) {

    static Candidate of(PayloadObject object) {
        return new Candidate(object, null, object.bucket(), object.key(), false);
    }

    static Candidate skip(String reason, String bucket, String key) {
        return new Candidate(null, reason, bucket, key, false);
    }

    static Candidate invalid(String reason) {
        return new Candidate(null, reason, null, null, true);
    }
}
