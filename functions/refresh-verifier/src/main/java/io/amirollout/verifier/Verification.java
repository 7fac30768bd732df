package io.amirollout.verifier;

import io.amirollout.shared.state.StateItem;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one verification (one refresh and checkpoint, one success, or one manual request), kept in the state
 * table as an exactly-once marker ({@code pk = event#verify#<id>}) and advanced by conditional writes only.
 *
 * <p>{@code leaseUntil} says who works on it: an invocation takes the lease (conditional write) before it runs a
 * round, and gives it back when it hands over to a continuation or throws for a Lambda retry. A delivery that finds a
 * live lease, or a record past TESTING/FAILED, changes nothing ("DUPLICATE").
 *
 * @param attempt          how many continuations were handed over so far (bounded by MAX_CONTINUATIONS)
 * @param commandId        the SSM command sent for this verification, once sent (never sent twice)
 * @param commandInstances the instances it was sent to
 * @param checks           the verdict's check results (JSON), once decided
 */
public record Verification(String id, String group, String refreshId, String imageId, Phase phase, State state,
                           int attempt, Instant startedAt, Instant leaseUntil, String commandId,
                           List<String> commandInstances, String checks, StateItem item) {

    public enum State {
        /** Checks running (or waiting for a continuation). */
        TESTING,
        /** Every check passed; nothing else to do. */
        PASSED,
        /** A check failed; the undo is decided and being applied. */
        FAILED,
        /** A check failed and the refresh was undone (or the undo was found already done / impossible). */
        UNDONE,
        /** A check failed and, by design (manual request), nothing is undone. */
        REPORTED
    }

    public Verification {
        commandInstances = commandInstances == null ? List.of() : List.copyOf(commandInstances);
    }

    boolean leaseLive(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    Verification withLease(Instant until) {
        return new Verification(id, group, refreshId, imageId, phase, state, attempt, startedAt, until, commandId,
                commandInstances, checks, item);
    }

    Verification withCommand(String command, List<String> instances) {
        return new Verification(id, group, refreshId, imageId, phase, state, attempt, startedAt, leaseUntil, command,
                instances, checks, item);
    }

    Verification handedOver(Instant now) {
        return new Verification(id, group, refreshId, imageId, phase, state, attempt + 1, startedAt, now, commandId,
                commandInstances, checks, item);
    }

    Verification decided(State next, String checksJson) {
        return new Verification(id, group, refreshId, imageId, phase, next, attempt, startedAt, leaseUntil, commandId,
                commandInstances, checksJson, item);
    }

    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("type", "verification");
        a.put("group", group);
        a.put("refreshId", refreshId);
        a.put("imageId", imageId);
        a.put("phase", phase.name());
        a.put("state", state.name());
        a.put("attempt", Integer.toString(attempt));
        a.put("startedAt", startedAt.toString());
        a.put("leaseUntil", leaseUntil == null ? null : leaseUntil.toString());
        a.put("commandId", commandId);
        a.put("commandInstances", commandInstances.isEmpty() ? null : String.join(",", commandInstances));
        a.put("checks", checks);
        return a;
    }

    static Verification from(String id, StateItem item) {
        String instances = item.getOrNull("commandInstances");
        return new Verification(id, item.getOrNull("group"), item.getOrNull("refreshId"), item.getOrNull("imageId"),
                Phase.valueOf(item.getOrNull("phase")), State.valueOf(item.getOrNull("state")),
                Integer.parseInt(item.get("attempt").orElse("0")), Instant.parse(item.getOrNull("startedAt")),
                item.get("leaseUntil").map(Instant::parse).orElse(null), item.getOrNull("commandId"),
                instances == null ? List.of() : Arrays.asList(instances.split(",")), item.getOrNull("checks"), item);
    }
}
