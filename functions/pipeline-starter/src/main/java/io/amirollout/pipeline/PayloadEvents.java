package io.amirollout.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the three event shapes users wire to pipeline-starter into {@link Candidate}s:
 * <ol>
 *   <li>EventBridge "Object Created" (S3 EventBridge notifications, source {@code aws.s3});</li>
 *   <li>EventBridge "AWS API Call via CloudTrail" for {@code PutObject} (and the other calls that
 *       write a whole object: {@code CopyObject}, {@code CompleteMultipartUpload});</li>
 *   <li>the classic S3 notification {@code Records[].s3}, whose keys are URL-encoded ({@code +} for
 *       a space), possibly several records per event; also S3's {@code s3:TestEvent}.</li>
 * </ol>
 * Anything else is an {@link InvalidEventException}.
 */
final class PayloadEvents {

    static final String EVENTBRIDGE = "eventbridge-object-created";
    static final String CLOUDTRAIL = "cloudtrail-put-object";
    static final String S3_NOTIFICATION = "s3-notification";

    /** CloudTrail API calls that leave a whole new object behind. */
    private static final Set<String> OBJECT_WRITES = Set.of("PutObject", "CopyObject", "CompleteMultipartUpload");

    private PayloadEvents() {
    }

    static List<Candidate> read(JsonNode event) {
        if (EventBridgeEvent.looksLike(event)) {
            EventBridgeEvent envelope = EventBridgeEvent.from(event);
            return List.of(fromEventBridge(envelope, envelope.id()));
        }
        JsonNode records = event.get("Records");
        if (records != null && records.isArray()) {
            return fromNotification(records);
        }
        if ("s3:TestEvent".equals(Json.text(event, "Event"))) {
            // S3 sends this once when a notification configuration is saved: nothing was uploaded.
            return List.of(Candidate.skip("S3 test event (sent when a bucket notification is configured)",
                    Json.text(event, "Bucket"), null));
        }
        throw new InvalidEventException("not an S3 object event: expected an EventBridge 'Object Created' or "
                + "'AWS API Call via CloudTrail' event, or an S3 notification with Records[].s3");
    }

    private static Candidate fromEventBridge(EventBridgeEvent event, String eventId) {
        JsonNode detail = event.detail();
        if (!"aws.s3".equals(event.source())) {
            return Candidate.skip("event from " + event.source() + " ('" + event.detailType() + "'), not from aws.s3", null, null);
        }
        if ("Object Created".equals(event.detailType())) {
            String bucket = Json.text(detail.path("bucket"), "name");
            JsonNode object = detail.path("object");
            String key = rawText(object, "key");
            if (bucket == null || key == null) {
                throw new InvalidEventException("the 'Object Created' event has no detail.bucket.name or detail.object.key");
            }
            return Candidate.of(new PayloadObject(EVENTBRIDGE, bucket, key, Json.text(object, "version-id"),
                    unquote(Json.text(object, "etag")), Json.text(object, "sequencer"),
                    Json.text(detail, "request-id"), size(object.get("size")), eventId));
        }
        if ("AWS API Call via CloudTrail".equals(event.detailType())) {
            return fromCloudTrail(detail, eventId);
        }
        return Candidate.skip("S3 event '" + event.detailType() + "' does not create an object", null, null);
    }

    private static Candidate fromCloudTrail(JsonNode detail, String eventId) {
        String eventName = Json.text(detail, "eventName");
        JsonNode request = detail.path("requestParameters");
        String bucket = Json.text(request, "bucketName");
        String key = rawText(request, "key");
        if (!OBJECT_WRITES.contains(eventName)) {
            return Candidate.skip("CloudTrail event " + eventName + " does not write an object", bucket, key);
        }
        String errorCode = Json.text(detail, "errorCode");
        if (errorCode != null) {
            // CloudTrail records refused calls too: nothing was written.
            return Candidate.skip(eventName + " failed with " + errorCode + ": no object was written", bucket, key);
        }
        if (bucket == null || key == null) {
            throw new InvalidEventException("the CloudTrail " + eventName
                    + " event has no detail.requestParameters.bucketName or .key");
        }
        JsonNode response = detail.path("responseElements");
        JsonNode additional = detail.path("additionalEventData");
        return Candidate.of(new PayloadObject(CLOUDTRAIL, bucket, key, Json.text(response, "x-amz-version-id"),
                unquote(Json.text(response, "ETag")), null, Json.text(detail, "requestID"),
                size(additional.get("bytesTransferredIn")), eventId));
    }

    /**
     * Each record on its own: a malformed record becomes an {@link Candidate#invalid invalid} candidate
     * (reported, nothing started for it) and never stops the valid records of the same notification.
     */
    private static List<Candidate> fromNotification(JsonNode records) {
        if (records.isEmpty()) {
            throw new InvalidEventException("the S3 notification has an empty Records[]");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                candidates.add(fromRecord(records.get(i), i));
            } catch (InvalidEventException e) {
                candidates.add(Candidate.invalid("Records[" + i + "]: " + e.getMessage()));
            }
        }
        if (candidates.stream().allMatch(Candidate::invalid)) {
            // Not one readable record: the event as a whole is not an S3 notification.
            throw new InvalidEventException(candidates.get(0).skipReason());
        }
        return candidates;
    }

    private static Candidate fromRecord(JsonNode record, int i) {
        JsonNode s3 = record == null ? null : record.get("s3");
        if (s3 == null || !s3.isObject()) {
            throw new InvalidEventException("no 's3' object (not an S3 notification record)");
        }
        String bucket = Json.text(s3.path("bucket"), "name");
        JsonNode object = s3.path("object");
        String rawKey = rawText(object, "key");
        if (bucket == null || rawKey == null) {
            throw new InvalidEventException("no s3.bucket.name or s3.object.key");
        }
        String key = decodeKey(rawKey);
        String eventName = Json.text(record, "eventName");
        if (eventName == null || !eventName.startsWith("ObjectCreated:")) {
            return Candidate.skip("S3 event " + eventName + " does not create an object", bucket, key);
        }
        JsonNode response = record.path("responseElements");
        return Candidate.of(new PayloadObject(S3_NOTIFICATION, bucket, key, Json.text(object, "versionId"),
                unquote(Json.text(object, "eTag")), Json.text(object, "sequencer"),
                Json.text(response, "x-amz-request-id"), size(object.get("size")),
                // No event id in this shape; the record's x-amz-id-2 tells one write from another.
                Json.text(response, "x-amz-id-2")));
    }

    /**
     * A key exactly as the event carries it: spaces at either end are part of an S3 key, so nothing is
     * trimmed (unlike {@link Json#text}). Null when absent or empty.
     */
    static String rawText(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            return null;
        }
        return value.asText();
    }

    /**
     * Classic notifications URL-encode keys like a form value: {@code +} is a space, {@code %2B} a plus.
     * (S3 event message structure: "The s3 key provides information about the bucket and object involved
     * in the event. The object key name value is URL encoded. For example, 'red flower.jpg' becomes
     * 'red+flower.jpg'.")
     */
    static String decodeKey(String key) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("object key '" + key + "' is not valid URL encoding");
        }
    }

    private static Long size(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        try {
            return Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String unquote(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
