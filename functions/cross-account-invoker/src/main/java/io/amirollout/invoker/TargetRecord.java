package io.amirollout.invoker;

import io.amirollout.shared.state.StateItem;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One target's record in the infra state table: {@code pk = release#<image build version arn>},
 * {@code sk = target#<account>#<region>} (shared-lib/README.md, "Infra stack").
 *
 * @param attempts      how many times an invocation was attempted
 * @param error         the last failure, in the service's words (kept after a later success is not needed: cleared)
 * @param errorCode     the AWS error code of the last failure
 * @param nextAttemptAt earliest time of the next attempt (backoff); null = now
 * @param leaseUntil    an attempt in flight owns the target until then (no second runner invokes it meanwhile)
 * @param revision      the stored revision (optimistic concurrency)
 */
public record TargetRecord(String releaseArn, String accountId, String region, TargetState state, int attempts,
                           String imageId, String error, String errorCode, Instant nextAttemptAt, Instant leaseUntil,
                           Instant updatedAt, long revision) {

    static final String TARGET_PREFIX = "target#";

    static String partition(String releaseArn) {
        return "release#" + releaseArn;
    }

    static String sortKey(String accountId, String region) {
        return TARGET_PREFIX + accountId + "#" + region;
    }

    static TargetRecord pending(String releaseArn, String accountId, String region, String imageId, Instant now) {
        return new TargetRecord(releaseArn, accountId, region, TargetState.PENDING, 0, imageId, null, null, null, null, now, 0);
    }

    String key() {
        return accountId + "/" + region;
    }

    /** Due for an attempt at {@code now}: pending, its backoff over, and no attempt in flight. */
    boolean dueAt(Instant now) {
        return state == TargetState.PENDING && (nextAttemptAt == null || !nextAttemptAt.isAfter(now))
                && (leaseUntil == null || !leaseUntil.isAfter(now));
    }

    TargetRecord claimed(Instant now, Instant lease) {
        return new TargetRecord(releaseArn, accountId, region, TargetState.PENDING, attempts + 1, imageId, error, errorCode,
                null, lease, now, revision);
    }

    TargetRecord settled(TargetState newState, String newError, String newErrorCode, Instant next, Instant now) {
        return new TargetRecord(releaseArn, accountId, region, newState, attempts, imageId, newError, newErrorCode, next,
                null, now, revision);
    }

    /** A redrive: back to PENDING with a fresh attempts budget; the last error stays for reference. */
    TargetRecord redriven(Instant now) {
        return new TargetRecord(releaseArn, accountId, region, TargetState.PENDING, 0, imageId, error, errorCode, null,
                null, now, revision);
    }

    StateItem toItem() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("state", state.name());
        a.put("attempts", String.valueOf(attempts));
        a.put("accountId", accountId);
        a.put("region", region);
        put(a, "imageId", imageId);
        put(a, "error", error);
        put(a, "errorCode", errorCode);
        put(a, "nextAttemptAt", nextAttemptAt == null ? null : nextAttemptAt.toString());
        put(a, "leaseUntil", leaseUntil == null ? null : leaseUntil.toString());
        put(a, "updatedAt", updatedAt == null ? null : updatedAt.toString());
        return new StateItem(partition(releaseArn), sortKey(accountId, region), a, revision, null);
    }

    static TargetRecord from(String releaseArn, StateItem item) {
        String[] key = item.sk().substring(TARGET_PREFIX.length()).split("#", 2);
        return new TargetRecord(releaseArn, key[0], key[1], TargetState.valueOf(item.getOrNull("state")),
                Integer.parseInt(item.get("attempts").orElse("0")), item.getOrNull("imageId"), item.getOrNull("error"),
                item.getOrNull("errorCode"), instant(item.getOrNull("nextAttemptAt")), instant(item.getOrNull("leaseUntil")),
                instant(item.getOrNull("updatedAt")), item.revision());
    }

    private static void put(Map<String, String> attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
