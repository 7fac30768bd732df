package io.amirollout.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags that bind an image build to exactly one uploaded object version. pipeline-starter passes them
 * to StartImagePipelineExecution ("tags: Specify tags for Image Builder to apply to the image resource
 * that's created", API reference), so they belong to that one image build version, whatever else runs
 * at the same time. The payload component (component/run-payload.sh) finds its own image build version
 * through the build instance's {@code Ec2ImageBuilderArn} tag, reads these tags with GetImage and
 * downloads exactly that object version.
 *
 * <ul>
 *   <li>{@code ami-rollout:payload-bucket}: bucket name (tag-safe by S3's naming rules).</li>
 *   <li>{@code ami-rollout:payload-key-b64-1..n}: the exact key, UTF-8, standard Base64, in pieces of
 *       at most 256 characters (Image Builder's tag value limit); keys may hold any character, tag
 *       values may not, and an S3 key of up to 1,024 bytes needs up to 6 pieces.</li>
 *   <li>{@code ami-rollout:payload-version}: the version id (what the build downloads).</li>
 *   <li>{@code ami-rollout:payload-etag}: the ETag (the build checks it with {@code If-Match}; the
 *       only binding when the bucket is not versioned: then a later overwrite fails the build instead
 *       of building other content).</li>
 *   <li>{@code ami-rollout:payload-key}: the key made tag-safe, for people (not used by the build).</li>
 * </ul>
 */
final class PayloadBinding {

    static final String TAG_BUCKET = "ami-rollout:payload-bucket";
    static final String TAG_KEY = "ami-rollout:payload-key";
    static final String TAG_KEY_B64 = "ami-rollout:payload-key-b64-";
    static final String TAG_VERSION = "ami-rollout:payload-version";
    static final String TAG_ETAG = "ami-rollout:payload-etag";
    /** Image Builder tag values: at most 256 characters. */
    static final int TAG_VALUE_LIMIT = 256;
    /** What a tag value may hold (letters, digits, spaces and {@code _ . : / = + - @}). */
    static final Pattern TAG_SAFE = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}$");

    private PayloadBinding() {
    }

    /** Null when the object can be bound exactly, else why not (the build would not know what to run). */
    static String whyNotBindable(PayloadObject object) {
        boolean version = object.versionId() != null && !"null".equals(object.versionId());
        if (!version && object.etag() == null) {
            return "the event names neither a version id nor an ETag, so the build could not be bound to this "
                    + "upload: turn on versioning on the payload bucket";
        }
        if (version && !TAG_SAFE.matcher(object.versionId()).matches()) {
            return "the version id cannot be carried in an Image Builder tag";
        }
        if (object.etag() != null && !TAG_SAFE.matcher(object.etag()).matches()) {
            return "the ETag cannot be carried in an Image Builder tag";
        }
        return null;
    }

    static Map<String, String> tags(PayloadObject object) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_BUCKET, object.bucket());
        tags.put(TAG_KEY, readable(object.key()));
        String encoded = Base64.getEncoder().encodeToString(object.key().getBytes(StandardCharsets.UTF_8));
        for (int piece = 0; piece * TAG_VALUE_LIMIT < encoded.length(); piece++) {
            tags.put(TAG_KEY_B64 + (piece + 1), encoded.substring(piece * TAG_VALUE_LIMIT,
                    Math.min(encoded.length(), (piece + 1) * TAG_VALUE_LIMIT)));
        }
        if (object.versionId() != null && !"null".equals(object.versionId())) {
            tags.put(TAG_VERSION, object.versionId());
        }
        if (object.etag() != null) {
            tags.put(TAG_ETAG, object.etag());
        }
        return tags;
    }

    /** The key for people: characters a tag value cannot hold become {@code _}, at most 256 characters. */
    static String readable(String value) {
        String cleaned = value.replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return cleaned.length() <= TAG_VALUE_LIMIT ? cleaned : cleaned.substring(0, TAG_VALUE_LIMIT);
    }

    /** The key back from its pieces (what run-payload.sh does with base64 -d). */
    static String decodeKey(Map<String, String> tags) {
        StringBuilder encoded = new StringBuilder();
        for (int piece = 1; tags.containsKey(TAG_KEY_B64 + piece); piece++) {
            encoded.append(tags.get(TAG_KEY_B64 + piece));
        }
        return new String(Base64.getDecoder().decode(encoded.toString()), StandardCharsets.UTF_8);
    }
}
