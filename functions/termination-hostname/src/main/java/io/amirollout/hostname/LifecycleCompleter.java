package io.amirollout.hostname;

import io.amirollout.hostname.TerminationEvent.LifecycleAction;
import io.amirollout.shared.Log;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;

/**
 * Completes the terminate lifecycle action with CONTINUE once the hostname is on the topic, so the hook
 * does not hold the scale-in (or the instance refresh) for its whole heartbeat timeout.
 *
 * <p>CompleteLifecycleAction (Auto Scaling API Reference): "Completes the lifecycle action for the specified
 * token or instance with the specified result." LifecycleActionToken: "A universally unique identifier
 * (UUID) that identifies a specific lifecycle action associated with an instance"; LifecycleActionResult:
 * "The action for the group to take. You can specify either CONTINUE or ABANDON." For a terminating
 * instance both results terminate it; CONTINUE also lets the group's other terminate hooks run.
 * The token and the instance id from the event are both sent.
 */
final class LifecycleCompleter {

    static final String CONTINUE = "CONTINUE";

    private final AutoScalingClient autoScaling;

    LifecycleCompleter(AutoScalingClient autoScaling) {
        this.autoScaling = autoScaling;
    }

    /** COMPLETED, ALREADY_COMPLETED or NOT_PERMITTED; a transient failure is thrown for Lambda to retry. */
    String complete(TerminationEvent event, LifecycleAction action) {
        try {
            autoScaling.completeLifecycleAction(r -> r.autoScalingGroupName(action.groupName())
                    .lifecycleHookName(action.hookName())
                    .lifecycleActionToken(action.token())
                    .instanceId(event.instanceId())
                    .lifecycleActionResult(CONTINUE));
            Log.info("lifecycle action completed", "instanceId", event.instanceId(), "autoScalingGroup", action.groupName(),
                    "lifecycleHook", action.hookName(), "result", CONTINUE);
            return "COMPLETED";
        } catch (AutoScalingException e) {
            String code = Errors.code(e);
            String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
            if ("ValidationError".equals(code) && message.contains("No active Lifecycle Action")) {
                // Completed before (a duplicate delivery, a retry), or the hook's timeout passed and its
                // default result applied: either way nothing is waiting any more.
                Log.info("lifecycle action no longer active", "instanceId", event.instanceId(), "error", Errors.describe(e));
                return "ALREADY_COMPLETED";
            }
            if (code != null && code.startsWith("AccessDenied")) {
                // Permanent: the group is not opted in (ami-rollout:enabled=true). The hook's DefaultResult applies
                // at its timeout; retrying cannot help.
                Log.error("not allowed to complete the lifecycle action (is the group tagged ami-rollout:enabled=true?);"
                                + " the hook's default result applies at its timeout", "instanceId", event.instanceId(),
                        "autoScalingGroup", action.groupName(), "error", Errors.describe(e));
                return "NOT_PERMITTED";
            }
            throw new HostnamePublishException("could not complete the lifecycle action of " + event.instanceId() + ": "
                    + Errors.describe(e), e);
        }
    }
}
