package io.amirollout.shared.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMI that must never again reach a group by any automatic path: item {@code pk = group#<name>},
 * {@code sk = rejected#<imageId>}. Written once (first rejection wins); only a manual request that names
 * the AMI with {@code "force": true} starts it again, and the release record then says {@code forced}.
 *
 * @param by        who or what rejected it: {@code rollback-on-alarm}, {@code aws-auto-rollback},
 *                  {@code refresh-verifier}, {@code manual}
 * @param refreshId the refresh that was undone, when there was one
 */
public record RejectedAmi(String group, String imageId, String by, String reason, String refreshId, Instant at) {

    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("type", "rejected");
        a.put("group", group);
        a.put("imageId", imageId);
        a.put("by", by);
        a.put("reason", reason);
        a.put("refreshId", refreshId);
        a.put("at", at == null ? null : at.toString());
        a.values().removeIf(java.util.Objects::isNull);
        return a;
    }

    static RejectedAmi from(StateItem item) {
        return new RejectedAmi(item.getOrNull("group"), item.getOrNull("imageId"), item.getOrNull("by"),
                item.getOrNull("reason"), item.getOrNull("refreshId"), item.get("at").map(Instant::parse).orElse(null));
    }
}
