package io.amirollout.janitor;

import io.amirollout.shared.state.StateItem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decider as plain values: an AMI, its use, its mark, a time, the policy in; one plan out. */
class JanitorDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    static final JanitorPolicy POLICY = new JanitorPolicy(60, 7, 2);

    static Ami ami(int ageDays, Map<String, String> tags, boolean protectedFromDeregistration) {
        return new Ami("eu-west-1", "ami-0123456789abcdef0", "golden-al2023 x", "golden-al2023",
                "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.0/1", NOW.minus(Duration.ofDays(ageDays)),
                null, tags, protectedFromDeregistration, null, List.of("snap-1"));
    }

    static Ami ami(int ageDays) {
        return ami(ageDays, Map.of(), false);
    }

    static AmiMark mark(AmiMark.State state, Instant markedAt) {
        return new AmiMark("eu-west-1", "ami-0123456789abcdef0", state, markedAt, markedAt.plus(Duration.ofDays(7)),
                List.of("snap-1"), StateItem.of("janitor#eu-west-1", "ami#ami-0123456789abcdef0"));
    }

    static AmiPlan decide(Ami ami, boolean newest, Usage usage, AmiMark mark) {
        return JanitorDecider.decide(ami, newest, usage, mark, NOW, POLICY);
    }

    @Test
    void oldAndUnusedIsMarkedWithTheDateSevenDaysLater() {
        AmiPlan plan = decide(ami(61), false, Usage.none(), null);
        assertEquals(AmiPlan.Action.MARK, plan.action());
        assertEquals(NOW.plus(Duration.ofDays(7)), plan.deregisterAfter());
        assertEquals(61, plan.ageDays());
    }

    @Test
    void youngerThanTheThresholdIsKept() {
        AmiPlan plan = decide(ami(59), false, Usage.none(), null);
        assertEquals(AmiPlan.Action.KEEP, plan.action());
        assertTrue(plan.reasons().get(0).contains("59 days old (threshold 60)"));
    }

    @Test
    void anyUseKeepsIt() {
        assertEquals(AmiPlan.Action.KEEP, decide(ami(300), false, Usage.inUse("used by 2 ec2:Instance in 444455556666"), null).action());
        assertEquals(AmiPlan.Action.KEEP, decide(ami(300), false, Usage.inUse("group a/b/c (rollback target)"), null).action());
    }

    @Test
    void unknownUseKeepsIt() {
        AmiPlan plan = decide(ami(300), false, Usage.unknown("usage report pending"), null);
        assertEquals(AmiPlan.Action.KEEP, plan.action());
        assertEquals(List.of("usage unknown: usage report pending"), plan.reasons());
    }

    @Test
    void theNewestAreKeptWhateverTheirAge() {
        AmiPlan plan = decide(ami(400), true, Usage.none(), null);
        assertEquals(AmiPlan.Action.KEEP, plan.action());
        assertTrue(plan.reasons().get(0).startsWith("one of the newest 2 of golden-al2023"));
    }

    @Test
    void onlyTheExactRetainTagProtects() {
        assertEquals(AmiPlan.Action.KEEP, decide(ami(100, Map.of("RetainIndefinitely", "true"), false), false, Usage.none(), null).action());
        assertEquals(AmiPlan.Action.MARK, decide(ami(100, Map.of("retainindefinitely", "true"), false), false, Usage.none(), null).action());
        assertEquals(AmiPlan.Action.MARK, decide(ami(100, Map.of("RetainIndefinitely", "True"), false), false, Usage.none(), null).action());
        assertEquals(AmiPlan.Action.MARK, decide(ami(100, Map.of("RetainIndefinitely", "yes"), false), false, Usage.none(), null).action());
    }

    @Test
    void deregistrationProtectionProtects() {
        assertEquals(AmiPlan.Action.KEEP, decide(ami(100, Map.of(), true), false, Usage.none(), null).action());
    }

    @Test
    void markedWaitsForItsDate() {
        AmiPlan plan = decide(ami(100), false, Usage.none(), mark(AmiMark.State.MARKED, NOW.minus(Duration.ofDays(6))));
        assertEquals(AmiPlan.Action.WAIT, plan.action());
    }

    @Test
    void markedAndDateReachedIsDeregistered() {
        AmiPlan exactly = decide(ami(100), false, Usage.none(), mark(AmiMark.State.MARKED, NOW.minus(Duration.ofDays(7))));
        assertEquals(AmiPlan.Action.DEREGISTER, exactly.action(), "at the date");
        AmiPlan later = decide(ami(100), false, Usage.none(), mark(AmiMark.State.MARKED, NOW.minus(Duration.ofDays(30))));
        assertEquals(AmiPlan.Action.DEREGISTER, later.action(), "after it");
    }

    @Test
    void markedAndUnknownUseWaitsInsteadOfDeregistering() {
        AmiPlan plan = decide(ami(100), false, Usage.unknown("usage report pending"), mark(AmiMark.State.MARKED, NOW.minus(Duration.ofDays(9))));
        assertEquals(AmiPlan.Action.WAIT, plan.action());
    }

    @Test
    void markedAndUsedOrProtectedAgainIsUnmarked() {
        AmiMark mark = mark(AmiMark.State.MARKED, NOW.minus(Duration.ofDays(3)));
        assertEquals(AmiPlan.Action.UNMARK, decide(ami(100), false, Usage.inUse("used"), mark).action());
        assertEquals(AmiPlan.Action.UNMARK, decide(ami(100, Map.of("RetainIndefinitely", "true"), false), false, Usage.none(), mark).action());
        assertEquals(AmiPlan.Action.UNMARK, decide(ami(100, Map.of(), true), false, Usage.none(), mark).action());
        assertEquals(AmiPlan.Action.UNMARK, decide(ami(100), true, Usage.none(), mark).action(), "became one of the newest");
    }

    @Test
    void anInterruptedDeregistrationIsDecidedAgain() {
        AmiMark begun = mark(AmiMark.State.DEREGISTERING, NOW.minus(Duration.ofDays(8)));
        assertEquals(AmiPlan.Action.DEREGISTER, decide(ami(100), false, Usage.none(), begun).action());
        assertEquals(AmiPlan.Action.UNMARK, decide(ami(100), false, Usage.inUse("used"), begun).action());
    }

    @Test
    void aFinishedRecordIsNotAMark() {
        AmiMark unmarked = mark(AmiMark.State.UNMARKED, NOW.minus(Duration.ofDays(30)));
        assertEquals(AmiPlan.Action.MARK, decide(ami(100), false, Usage.none(), unmarked).action(), "unused again: marked again");
    }

    @Test
    void aMirrorTagWithoutARecordIsRemovedWhenTheAmiIsKept() {
        Ami tagged = ami(100, Map.of(JanitorTags.DEREGISTER_AFTER, "2026-12-01T00:00:00Z", "RetainIndefinitely", "true"), false);
        assertEquals(AmiPlan.Action.UNMARK, decide(tagged, false, Usage.none(), null).action());
        Ami taggedUnused = ami(100, Map.of(JanitorTags.DEREGISTER_AFTER, "2026-12-01T00:00:00Z"), false);
        assertEquals(AmiPlan.Action.MARK, decide(taggedUnused, false, Usage.none(), null).action(),
                "the tag alone never deregisters: it is marked (recorded) afresh");
    }
}
