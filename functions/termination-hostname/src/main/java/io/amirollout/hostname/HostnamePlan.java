package io.amirollout.hostname;

import io.amirollout.hostname.HostnameSources.Resolution;
import io.amirollout.hostname.TerminationEvent.LifecycleAction;

import java.util.List;
import java.util.Map;

/**
 * What the function will do for one event: the changes in order, each with its reason. Computed without
 * side effects ({@link HostnamePlanner}); carried out by {@link HostnameApplier} alone; returned as it is in
 * a dry run.
 *
 * @param outcome    what the plan amounts to (see {@link HostnameResult})
 * @param reason     one sentence for people
 * @param resolution the hostname found, or why there is none; null when EC2 was not asked
 */
record HostnamePlan(String outcome, String reason, TerminationEvent event, Resolution resolution, List<Step> steps) {

    HostnamePlan {
        steps = List.copyOf(steps);
    }

    sealed interface Step {
        String reason();

        /** One line for logs and the result. */
        default String describe() {
            return getClass().getSimpleName() + ": " + reason();
        }
    }

    /**
     * Claim the instance in the state table (or take over the stale claim), publish, record "published".
     * Losing the claim means another delivery got there first: nothing is published.
     */
    record PublishOnce(String message, Map<String, String> attributes, PublicationLedger.Entry staleClaim,
                       String reason) implements Step {
        PublishOnce {
            attributes = Map.copyOf(attributes);
        }
    }

    /** No hostname and PUBLISH_WITHOUT_HOSTNAME=false: claim and record, publish nothing (the notice still goes). */
    record RecordOnly(PublicationLedger.Entry staleClaim, String reason) implements Step {
    }

    /** WARNING notice HOSTNAME_MISSING: which instance, what was tried, whether a message went out. */
    record NotifyHostnameMissing(boolean published, String reason) implements Step {
    }

    /** CompleteLifecycleAction with CONTINUE, so the hook does not hold the scale-in for its whole timeout. */
    record CompleteLifecycleAction(LifecycleAction action, String reason) implements Step {
    }

    /** Another invocation claimed the instance moments ago and may still be publishing: fail, Lambda retries. */
    record RetryLater(String reason) implements Step {
    }

    List<String> describeSteps() {
        return steps.stream().map(Step::describe).toList();
    }
}
