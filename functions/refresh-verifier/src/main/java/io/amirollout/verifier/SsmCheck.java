package io.amirollout.verifier;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Your own test: an SSM Run Command document on a sample of the new instances; its exit status decides.
 *
 * <p>The command is sent once per verification ({@link #send}); its id is kept in the verification record so a
 * later round or continuation only polls it. GetCommandInvocation right after SendCommand may answer
 * {@code InvocationDoesNotExist} (Run Command is eventually consistent: the SDK teams' waiters retry it for that
 * reason, aws-sdk issue #86), so that answer is "not visible yet", not a failure. Statuses (CommandInvocationStatus):
 * {@code Pending}, {@code InProgress}, {@code Delayed} ("The system will try to send the command again") are waited
 * for; {@code Success} passes; {@code Failed}, {@code TimedOut}, {@code Cancelled}, {@code Cancelling} fail, with
 * StatusDetails (e.g. {@code Undeliverable}, "Delivery Timed Out", "Execution Timed Out") and the tail of the output
 * as evidence. Still running at our deadline fails too ("did not finish").
 */
final class SsmCheck {

    static final String NAME = "ssm-document";
    static final int OUTPUT_TAIL = 300;

    private final SsmClient ssm;

    SsmCheck(SsmClient ssm) {
        this.ssm = ssm;
    }

    /** Runs the document on the instances; TimeoutSeconds bounds delivery, our own deadline bounds the whole. */
    String send(String document, List<String> instanceIds, Duration timeout, String comment) {
        return ssm.sendCommand(r -> r.documentName(document).instanceIds(instanceIds)
                .timeoutSeconds((int) Math.max(30, timeout.getSeconds())).comment(comment)).command().commandId();
    }

    CheckResult poll(String document, String commandId, List<String> instanceIds, boolean pastDeadline, Duration limit) {
        List<String> waiting = new ArrayList<>();
        int passed = 0;
        for (String instance : instanceIds) {
            GetCommandInvocationResponse invocation;
            try {
                invocation = ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instance));
            } catch (InvocationDoesNotExistException e) {
                waiting.add(instance + " not visible yet");
                continue;
            }
            String status = invocation.statusAsString();
            switch (status == null ? "" : status) {
                case "Success" -> passed++;
                case "Pending", "InProgress", "Delayed" -> waiting.add(instance + " " + invocation.statusDetails());
                default -> {
                    return CheckResult.failed(NAME, document + " on " + instance + ": " + status + " (" + invocation.statusDetails()
                            + ", exit " + invocation.responseCode() + ")" + tail(invocation));
                }
            }
        }
        if (waiting.isEmpty()) {
            return CheckResult.passed(NAME, document + " succeeded on " + passed + " instance(s): " + String.join(", ", instanceIds));
        }
        return CheckResult.pendingUntil(NAME, document + " command " + commandId + ": " + String.join(", ", waiting), pastDeadline, limit);
    }

    private static String tail(GetCommandInvocationResponse invocation) {
        String out = lastChars(invocation.standardErrorContent());
        if (out.isEmpty()) {
            out = lastChars(invocation.standardOutputContent());
        }
        return out.isEmpty() ? "" : "; output tail: " + Redaction.redact(out);
    }

    private static String lastChars(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        return trimmed.length() <= OUTPUT_TAIL ? trimmed : "…" + trimmed.substring(trimmed.length() - OUTPUT_TAIL);
    }
}
