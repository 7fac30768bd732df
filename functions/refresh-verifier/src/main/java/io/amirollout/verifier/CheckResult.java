package io.amirollout.verifier;

/**
 * One check's answer in one round. {@code evidence} is what a person needs to see (states, counts, the tail of a
 * command's output): bounded, and never a secret.
 */
public record CheckResult(String name, Status status, String evidence) {

    public enum Status {
        PASSED,
        FAILED,
        /** Not decided yet (targets still initial, command still running); decided again in the next round. */
        PENDING,
        /** Not run: a dry run does not send a command to instances. */
        SKIPPED
    }

    static final int MAX_EVIDENCE = 600;

    public CheckResult {
        evidence = bounded(evidence);
    }

    public static CheckResult passed(String name, String evidence) {
        return new CheckResult(name, Status.PASSED, evidence);
    }

    public static CheckResult failed(String name, String evidence) {
        return new CheckResult(name, Status.FAILED, evidence);
    }

    public static CheckResult pending(String name, String evidence) {
        return new CheckResult(name, Status.PENDING, evidence);
    }

    /** PENDING before the deadline, FAILED at or after it ("not ... within N s"). */
    public static CheckResult pendingUntil(String name, String evidence, boolean pastDeadline, java.time.Duration limit) {
        return pastDeadline ? failed(name, "not within " + limit.getSeconds() + " s: " + evidence) : pending(name, evidence);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    static String bounded(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_EVIDENCE ? text : text.substring(0, MAX_EVIDENCE - 1) + "…";
    }
}
