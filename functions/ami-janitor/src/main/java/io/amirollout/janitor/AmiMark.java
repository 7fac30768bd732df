package io.amirollout.janitor;

import io.amirollout.shared.state.StateItem;

import java.time.Instant;
import java.util.List;

/**
 * The janitor's record of one AMI in the infra state table ({@code pk = janitor#<region>},
 * {@code sk = ami#<imageId>}): the state of record of a mark. Tags on the AMI only mirror it.
 *
 * @param state           MARKED, DEREGISTERING (deregistration begun: finish deleting its snapshots),
 *                        DEREGISTERED, UNMARKED
 * @param deregisterAfter when a MARKED AMI may be deregistered
 * @param item            the stored item (its revision makes the next write conditional)
 */
public record AmiMark(String region, String imageId, State state, Instant markedAt, Instant deregisterAfter,
                      List<String> snapshotIds, StateItem item) {

    public enum State { MARKED, DEREGISTERING, DEREGISTERED, UNMARKED }

    static String partition(String region) {
        return "janitor#" + region;
    }

    static String sortKey(String imageId) {
        return "ami#" + imageId;
    }

    static AmiMark from(StateItem item) {
        String region = item.pk().substring("janitor#".length());
        String imageId = item.sk().substring("ami#".length());
        String snapshots = item.getOrNull("snapshots");
        return new AmiMark(region, imageId, State.valueOf(item.getOrNull("state")), instant(item.getOrNull("markedAt")),
                instant(item.getOrNull("deregisterAfter")),
                snapshots == null || snapshots.isEmpty() ? List.of() : List.of(snapshots.split(",")), item);
    }

    /** Marked and not finished: DEREGISTERING counts, so an interrupted deregistration is decided again and finished. */
    boolean marked() {
        return state == State.MARKED || state == State.DEREGISTERING;
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
