package io.amirollout.hostname;

import io.amirollout.hostname.HostnamePlan.CompleteLifecycleAction;
import io.amirollout.hostname.HostnamePlan.NotifyHostnameMissing;
import io.amirollout.hostname.HostnamePlan.PublishOnce;
import io.amirollout.hostname.HostnamePlan.RecordOnly;
import io.amirollout.hostname.HostnamePlan.RetryLater;
import io.amirollout.hostname.HostnamePlan.Step;
import io.amirollout.hostname.HostnameSources.InstanceFacts;
import io.amirollout.hostname.HostnameSources.Resolution;
import io.amirollout.hostname.PublicationLedger.Entry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, as a plain value, what one event leads to. Which event wins: the first of the instance's events
 * to claim it in the state table publishes; every later delivery (a duplicate, or the instance's next event)
 * finds the record and publishes nothing. In the normal order that is the lifecycle action (groups with the
 * hook), else {@code shutting-down}, both while the tags are attached; {@code terminated} publishes only when
 * neither was seen (e.g. the shutting-down event failed every retry), and then the tags may be gone.
 */
final class HostnamePlanner {

    private final TerminationHostnameConfig config;

    HostnamePlanner(TerminationHostnameConfig config) {
        this.config = config;
    }

    /** Events acted on without asking the state table or EC2 anything, with the reason; empty to go on. */
    Optional<HostnamePlan> ignored(TerminationEvent event) {
        if (event.isLifecycleAction()) {
            if (!config.lifecycleHookName().equals(event.lifecycle().hookName())) {
                return Optional.of(new HostnamePlan("SKIPPED_OTHER_HOOK", "lifecycle hook '" + event.lifecycle().hookName()
                        + "' is not LIFECYCLE_HOOK_NAME '" + config.lifecycleHookName() + "': another tool's hook, left"
                        + " for it to complete", event, null, List.of()));
            }
            if (!event.lifecycle().terminates()) {
                return Optional.of(new HostnamePlan("SKIPPED_WARM_POOL", "instance " + event.instanceId()
                        + " goes back to the warm pool (Destination " + event.lifecycle().destination()
                        + "), it is not terminated", event, null, List.of(complete(event, "the instance may proceed to the warm pool"))));
            }
            return Optional.empty();
        }
        if (!config.instanceStates().contains(event.trigger())) {
            return Optional.of(new HostnamePlan("SKIPPED_STATE", "state '" + event.trigger()
                    + "' is not one of INSTANCE_STATES " + config.instanceStates(), event, null, List.of()));
        }
        return Optional.empty();
    }

    /** True when EC2 must be asked: nobody has dealt with the instance yet (or the claim is stale). */
    static boolean needsInstance(Optional<Entry> record, Instant now) {
        return record.isEmpty() || record.get().staleClaim(now);
    }

    /** The plan once the record (and, when {@link #needsInstance}, EC2's answer) is known. */
    HostnamePlan plan(TerminationEvent event, Optional<Entry> record, InstanceFacts facts, Instant now) {
        List<Step> steps = new ArrayList<>();
        if (record.isPresent() && !record.get().staleClaim(now)) {
            Entry entry = record.get();
            if (entry.status() == PublicationLedger.Status.CLAIMED) {
                steps.add(new RetryLater("instance " + event.instanceId() + " was claimed " + entry.describe()
                        + " and may be being published right now; retry once that invocation ended"));
                return new HostnamePlan("CLAIMED_ELSEWHERE", steps.get(0).reason(), event, null, steps);
            }
            if (event.isLifecycleAction()) {
                steps.add(complete(event, "the instance was already dealt with; the scale-in may go on"));
            }
            return new HostnamePlan("DUPLICATE", "instance " + event.instanceId() + " was already " + entry.describe()
                    + "; nothing published again", event, null, steps);
        }
        Entry stale = record.orElse(null);
        Resolution resolution = HostnameSources.resolve(event.instanceId(), facts, config);
        String outcome;
        String reason;
        if (resolution.found()) {
            steps.add(new PublishOnce(HostnameMessage.body(event, resolution, facts.tags()),
                    HostnameMessage.attributes(event, resolution), stale,
                    "first " + event.trigger() + " event for " + event.instanceId() + ": hostname " + resolution.hostname()
                            + " from " + resolution.source()));
            outcome = "PUBLISHED";
            reason = "published hostname " + resolution.hostname() + " of instance " + event.instanceId() + " to "
                    + config.hostnameTopicArn();
        } else if (config.publishWithoutHostname()) {
            steps.add(new PublishOnce(HostnameMessage.body(event, resolution, facts.tags()),
                    HostnameMessage.attributes(event, resolution), stale,
                    "no hostname, published with hostname null so the listener can still act or escalate"));
            steps.add(new NotifyHostnameMissing(true, resolution.reason()));
            outcome = "PUBLISHED_WITHOUT_HOSTNAME";
            reason = "no hostname for instance " + event.instanceId() + " (" + resolution.reason()
                    + "); published with hostname null to " + config.hostnameTopicArn();
        } else {
            steps.add(new RecordOnly(stale, "no hostname and PUBLISH_WITHOUT_HOSTNAME=false: remember the instance"
                    + " was dealt with, so its other events do not notify again"));
            steps.add(new NotifyHostnameMissing(false, resolution.reason()));
            outcome = "SKIPPED_NO_HOSTNAME";
            reason = "no hostname for instance " + event.instanceId() + " (" + resolution.reason()
                    + "); nothing published (PUBLISH_WITHOUT_HOSTNAME=false), a HOSTNAME_MISSING notice sent";
        }
        if (event.isLifecycleAction()) {
            steps.add(complete(event, "the hostname was read while the instance waited; the scale-in may go on"));
        }
        return new HostnamePlan(outcome, reason, event, resolution, steps);
    }

    private static CompleteLifecycleAction complete(TerminationEvent event, String reason) {
        return new CompleteLifecycleAction(event.lifecycle(), reason);
    }
}
