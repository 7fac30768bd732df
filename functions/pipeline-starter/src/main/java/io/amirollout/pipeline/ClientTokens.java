package io.amirollout.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The idempotency token for StartImagePipelineExecution. It is derived from the object's identity
 * (pipeline, bucket, key and version id; or sequencer/ETag without versioning; or the S3 request
 * id as a last resort), so every delivery of the same upload carries the same token and Image
 * Builder starts one build for it.
 *
 * <p>The API allows 1-36 characters (some references say 64; 36 satisfies both). A name-based
 * UUID (RFC 9562 version 8, from SHA-256 of the identity) is exactly 36 characters of
 * {@code [0-9a-f-]}, valid everywhere, and different identities collide only by SHA-256 chance.
 */
final class ClientTokens {

    static final int MAX_LENGTH = 36;

    private ClientTokens() {
    }

    static String forObject(String pipelineArn, PayloadObject object) {
        return nameBasedUuid(pipelineArn + "\n" + object.bucket() + "\n" + object.key() + "\n" + identity(object));
    }

    /**
     * Which fact tells this upload apart from another upload of the same key: the version id, else the
     * sequencer and ETag, else the S3 request id, else the event's own id (the same on a redelivery). An
     * event with none of these cannot be told apart from a re-upload of the same key, so it gets a fresh
     * random identity: a duplicate delivery of it may then start a second build (logged), but a re-upload
     * is never mistaken for a duplicate and silently ignored by Image Builder.
     */
    static String identity(PayloadObject object) {
        if (object.versionId() != null && !"null".equals(object.versionId())) {
            return "version:" + object.versionId();
        }
        if (object.sequencer() != null || object.etag() != null) {
            return "sequencer:" + object.sequencer() + ",etag:" + object.etag();
        }
        if (object.requestId() != null) {
            return "request:" + object.requestId();
        }
        if (object.eventId() != null) {
            return "event:" + object.eventId();
        }
        return "unidentified:" + UUID.randomUUID();
    }

    static String nameBasedUuid(String name) {
        byte[] hash = sha256(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom (here SHA-256) name-based
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
