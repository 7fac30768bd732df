package io.amirollout.janitor;

/**
 * What became of one plan.
 *
 * @param status DONE (carried out), PLANNED (dry run, or nothing to change), LOST_RACE (another invocation
 *               changed the record first: nothing done), FAILED (a permanent AWS refusal; {@code detail} says why)
 */
public record AmiOutcome(AmiPlan plan, Status status, String detail) {

    public enum Status { DONE, PLANNED, LOST_RACE, FAILED }
}
