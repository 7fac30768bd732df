package io.amirollout.janitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what to do with one AMI from plain values: the AMI, whether it is among the newest of its
 * image name, what is known about its use, its mark (if any), the time and the policy. No AWS, no state:
 * tests call it with values.
 *
 * <p>Rules (any one keeps an AMI; "unknown" counts as in use):
 * <ul>
 *   <li>tag {@code RetainIndefinitely=true} (key and value case-sensitive), or deregistration protection on;</li>
 *   <li>one of the newest N of its image name in its region;</li>
 *   <li>in use: an instance or launch template in any account of the organization (usage report), a
 *       launch-template version a group uses or would roll back to, or launched recently.</li>
 * </ul>
 * Not kept and older than the threshold: MARK. Marked, kept since: UNMARK. Marked, date reached, still not
 * kept: DEREGISTER. A marked AMI whose use is only <em>unknown</em> (a usage report still pending) waits:
 * unknown never lets it be deregistered, and it is not unmarked for a gap in the data alone.
 */
final class JanitorDecider {

    private JanitorDecider() {
    }

    static AmiPlan decide(Ami ami, boolean newest, Usage usage, AmiMark mark, Instant now, JanitorPolicy policy) {
        long ageDays = Math.max(0, Duration.between(ami.created(), now).toDays());
        List<String> protections = protections(ami, newest, policy);
        List<String> keep = new ArrayList<>(protections);
        keep.addAll(usage.inUse());
        boolean marked = mark != null && mark.marked();
        boolean mirrorOnly = !marked && ami.tag(JanitorTags.DEREGISTER_AFTER) != null;

        if (marked) {
            if (!keep.isEmpty()) {
                return plan(ami, ageDays, AmiPlan.Action.UNMARK, prefixed("kept again: ", keep), mark.deregisterAfter());
            }
            if (!usage.unknown().isEmpty()) {
                return plan(ami, ageDays, AmiPlan.Action.WAIT, prefixed("usage unknown, not deregistered: ",
                        usage.unknown()), mark.deregisterAfter());
            }
            if (now.isBefore(mark.deregisterAfter())) {
                return plan(ami, ageDays, AmiPlan.Action.WAIT, List.of("marked " + day(mark.markedAt())
                        + ", deregistered after " + day(mark.deregisterAfter()) + " unless used again"), mark.deregisterAfter());
            }
            return plan(ami, ageDays, AmiPlan.Action.DEREGISTER, List.of("marked " + day(mark.markedAt())
                    + ", not in use since, date " + day(mark.deregisterAfter()) + " reached"), mark.deregisterAfter());
        }
        List<String> blocking = new ArrayList<>(keep);
        blocking.addAll(prefixed("usage unknown: ", usage.unknown()));
        if (mirrorOnly && (!blocking.isEmpty() || ageDays < policy.ageThresholdDays())) {
            // A deregister-after tag with no record behind it (restored AMI, lost record, set by hand): the
            // tag is only a mirror, so it is removed rather than trusted.
            List<String> why = new ArrayList<>(List.of("a " + JanitorTags.DEREGISTER_AFTER + " tag without a mark on record"));
            why.addAll(blocking);
            return plan(ami, ageDays, AmiPlan.Action.UNMARK, why, null);
        }
        if (!blocking.isEmpty()) {
            return plan(ami, ageDays, AmiPlan.Action.KEEP, blocking, null);
        }
        if (ageDays < policy.ageThresholdDays()) {
            return plan(ami, ageDays, AmiPlan.Action.KEEP, List.of(ageDays + " days old (threshold "
                    + policy.ageThresholdDays() + ")"), null);
        }
        Instant after = now.plus(policy.grace());
        return plan(ami, ageDays, AmiPlan.Action.MARK, List.of(ageDays + " days old, not in use: deregistered after "
                + day(after)), after);
    }

    /** Reasons that keep an AMI whatever its use: checked before any usage is looked up. */
    static List<String> protections(Ami ami, boolean newest, JanitorPolicy policy) {
        List<String> reasons = new ArrayList<>();
        // Exact match on purpose: the original policy's tag is case-sensitive in key and value.
        if (JanitorTags.RETAIN_VALUE.equals(ami.tag(JanitorTags.RETAIN))) {
            reasons.add(JanitorTags.RETAIN + "=" + JanitorTags.RETAIN_VALUE);
        }
        if (ami.deregistrationProtected()) {
            reasons.add("deregistration protection is on");
        }
        if (newest) {
            reasons.add("one of the newest " + policy.keepNewest() + " of " + ami.imageName() + " in " + ami.region());
        }
        return reasons;
    }

    private static AmiPlan plan(Ami ami, long ageDays, AmiPlan.Action action, List<String> reasons, Instant after) {
        return new AmiPlan(ami.region(), ami.imageId(), ami.name(), ami.imageName(), ageDays, action, reasons, after,
                List.of(), List.of());
    }

    private static List<String> prefixed(String prefix, List<String> reasons) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            out.add(i == 0 ? prefix + reasons.get(i) : reasons.get(i));
        }
        return out;
    }

    static String day(Instant instant) {
        return instant == null ? "?" : instant.toString().substring(0, 10);
    }
}
