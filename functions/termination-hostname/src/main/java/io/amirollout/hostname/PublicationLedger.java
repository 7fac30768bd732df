package io.amirollout.hostname;

import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state table's record of what was done for each terminated instance: {@code event#hostname#<id>}
 * (shared-lib {@link ProcessedEvents}, scope {@value #SCOPE}). Whichever event claims the instance first
 * (a conditional write) is the one that publishes; every other delivery, of any of the three events, finds
 * the record and publishes nothing. A claim whose publish fails is released, so the Lambda retry can claim
 * again. A claim left behind by an invocation that died between claim and publish (timeout, crash) is
 * taken over once it is older than {@link #STALE_CLAIM}: longer than the function may run, so its owner is
 * certainly gone.
 */
final class PublicationLedger {

    static final String SCOPE = "hostname";
    /** Deliveries and retries end within hours (EventBridge retries for 24 h at most); a few days is ample. */
    static final Duration KEEP = Duration.ofDays(3);
    /** The function's timeout is 30 s (template.yaml): a claim older than this has no living owner. */
    static final Duration STALE_CLAIM = Duration.ofMinutes(2);

    enum Status {
        /** Claimed by an invocation that is publishing now (or died doing so). */
        CLAIMED,
        /** The message is on the topic. */
        PUBLISHED,
        /** No hostname, and PUBLISH_WITHOUT_HOSTNAME=false: noticed, nothing published. */
        NOT_PUBLISHED
    }

    /** One instance's record. */
    record Entry(Status status, String trigger, String eventId, Instant at, String hostname, String messageId,
                 StateItem item) {

        boolean staleClaim(Instant now) {
            return status == Status.CLAIMED && (at == null || at.plus(STALE_CLAIM).isBefore(now));
        }

        String describe() {
            return status + " by the " + trigger + " event " + eventId + " at " + at
                    + (hostname == null ? "" : " (hostname " + hostname + ")");
        }
    }

    private final StateTable table;
    private final ProcessedEvents events;

    PublicationLedger(StateTable table) {
        this.table = table;
        this.events = new ProcessedEvents(table);
    }

    Optional<Entry> find(String instanceId) {
        return events.find(SCOPE, instanceId).map(item -> new Entry(
                item.get("status").map(Status::valueOf).orElse(Status.CLAIMED), item.getOrNull("trigger"),
                item.getOrNull("eventId"), item.get("at").map(Instant::parse).orElse(null), item.getOrNull("hostname"),
                item.getOrNull("messageId"), item));
    }

    /**
     * This invocation's claim on the instance (a first claim, or the take-over of a stale one), or null when
     * another invocation got there first.
     */
    StateItem claim(TerminationEvent event, Entry stale, Instant now) {
        Map<String, String> attributes = attributes(Status.CLAIMED, event, now);
        if (stale == null) {
            if (!events.claim(SCOPE, event.instanceId(), now, KEEP, attributes)) {
                return null;
            }
            // What the conditional write stored (ProcessedEvents' key layout, revision 1): no read back needed.
            return new StateItem(partition(event.instanceId()), "event", attributes, 1, now.plus(KEEP));
        }
        // Conditional on the stale record's revision: of two invocations taking over, one wins.
        StateItem takeOver = stale.item().with(attributes).expiringAt(now.plus(KEEP));
        if (!table.replace(takeOver)) {
            return null;
        }
        return new StateItem(takeOver.pk(), takeOver.sk(), takeOver.attributes(), takeOver.revision() + 1, takeOver.expiresAt());
    }

    /** After the claim: what was done, for the next delivery and for people reading the table. */
    void settle(StateItem claimed, TerminationEvent event, Status status, String hostname, String messageId, Instant now) {
        Map<String, String> attributes = attributes(status, event, now);
        attributes.put("hostname", hostname);
        attributes.put("messageId", messageId);
        events.update(claimed, attributes);
    }

    /** shared-lib ProcessedEvents' partition key, {@code event#<scope>#<id>} (template.yaml scopes IAM to it). */
    static String partition(String instanceId) {
        return "event#" + SCOPE + "#" + instanceId;
    }

    void release(String instanceId) {
        events.release(SCOPE, instanceId);
    }

    private static Map<String, String> attributes(Status status, TerminationEvent event, Instant now) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("status", status.name());
        attributes.put("trigger", event.trigger());
        attributes.put("eventId", event.eventId() == null ? "" : event.eventId());
        attributes.put("at", now.toString());
        return attributes;
    }
}
