package io.amirollout.janitor;

import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.testing.IamActions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequences of daily runs over simulated weeks against {@link FakeEc2} and the in-memory state table:
 * what gets marked, when it is deregistered, what is never touched. (JanitorIT runs the same stories
 * against moto.)
 */
class JanitorScenarioTest {

    private final JanitorFixture f = new JanitorFixture();

    /** Two new AMIs that are always the newest two, so the old ones are judged on their own. */
    private void twoNewest() {
        f.ami("ami-0000000000000new1", 3);
        f.ami("ami-0000000000000new2", 2);
    }

    @Test
    void markedThenUnusedForSevenDaysIsDeregisteredWithItsSnapshots() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);

        f.run(); // day 0: a usage report is requested; unknown counts as in use
        assertNull(f.state("ami-00000000000000old"));
        f.daily(1); // day 1: the report says nobody uses it: marked
        assertEquals(AmiMark.State.MARKED, f.state("ami-00000000000000old"));
        Map<String, String> tags = f.ec2.tags("ami-00000000000000old");
        String after = tags.get(JanitorTags.DEREGISTER_AFTER);
        assertEquals(JanitorFixture.START.plus(Duration.ofDays(8)).toString(), after, "deregister after = mark + 7 days");
        assertEquals(after, f.ec2.images.get("ami-00000000000000old").deprecationTime(), "deprecated at that time");
        assertEquals(1, f.notices.ofKind(NotificationKind.AMI_MARKED).size());

        f.daily(6); // days 2-7: waiting
        assertTrue(f.registered("ami-00000000000000old"), "not before the date");
        f.daily(3); // days 8-10: date reached, a fresh report says unused
        assertFalse(f.registered("ami-00000000000000old"));
        assertFalse(f.ec2.snapshots.contains("snap-00000000000000old"), "its snapshot is deleted");
        assertEquals(AmiMark.State.DEREGISTERED, f.state("ami-00000000000000old"));
        assertEquals(1, f.notices.ofKind(NotificationKind.AMI_DEREGISTERED).size());
        assertTrue(f.registered("ami-0000000000000new1") && f.registered("ami-0000000000000new2"));
    }

    @Test
    void markedThenUsedAgainIsUnmarked() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.run();
        f.daily(1);
        assertEquals(AmiMark.State.MARKED, f.state("ami-00000000000000old"));

        f.groupUsers.put("ami-00000000000000old", List.of("group 444455556666/eu-west-1/web-asg (launch template lt-1 v7, current)"));
        f.daily(1);
        assertEquals(AmiMark.State.UNMARKED, f.state("ami-00000000000000old"));
        assertNull(f.ec2.tags("ami-00000000000000old").get(JanitorTags.DEREGISTER_AFTER), "tag removed");
        assertNull(f.ec2.images.get("ami-00000000000000old").deprecationTime(), "deprecation removed");
        assertEquals(1, f.notices.ofKind(NotificationKind.AMI_UNMARKED).size());

        f.daily(20);
        assertTrue(f.registered("ami-00000000000000old"), "in use: never deregistered");
    }

    @Test
    void anAmiOnlyARollbackTargetReferencesIsNeverMarked() {
        twoNewest();
        f.ami("ami-000000000rollback", 120);
        f.groupUsers.put("ami-000000000rollback",
                List.of("group 444455556666/eu-west-1/web-asg (launch template lt-1 v6, rollback target)"));
        f.run();
        f.daily(30);
        assertNull(f.state("ami-000000000rollback"));
        assertTrue(f.registered("ami-000000000rollback"));
        assertFalse(f.ec2.calls.stream().anyMatch(c -> c.contains("ami-000000000rollback")),
                "not even a usage report: the group reference decides");
    }

    @Test
    void anAmiRunningInAnotherAccountIsNeverMarked() {
        twoNewest();
        f.ami("ami-0000000000running", 200);
        f.ec2.useIn("ami-0000000000running", "444455556666", 3);
        f.run();
        f.daily(30);
        assertNull(f.state("ami-0000000000running"));
        assertTrue(f.ec2.mutations().isEmpty(), "nothing changed: " + f.ec2.mutations());
        AmiPlan plan = f.run().outcomes().stream().map(AmiOutcome::plan)
                .filter(p -> p.imageId().equals("ami-0000000000running")).findFirst().orElseThrow();
        assertEquals(AmiPlan.Action.KEEP, plan.action());
        assertTrue(plan.reasons().get(0).contains("3 ec2:Instance in 444455556666"), plan.reasons().toString());
    }

    @Test
    void onlyTheExactRetainTagProtects() {
        twoNewest();
        f.ami("ami-00000000000exact", 100, Map.of("RetainIndefinitely", "true"));
        f.ami("ami-000000000lowerkey", 100, Map.of("retainindefinitely", "true"));
        f.ami("ami-00000000000upper", 100, Map.of("RetainIndefinitely", "TRUE"));
        f.run();
        f.daily(12);
        assertTrue(f.registered("ami-00000000000exact"), "RetainIndefinitely=true protects");
        assertNull(f.state("ami-00000000000exact"));
        assertFalse(f.registered("ami-000000000lowerkey"), "retainindefinitely=true (wrong case) does not protect");
        assertFalse(f.registered("ami-00000000000upper"), "RetainIndefinitely=TRUE does not protect");
    }

    @Test
    void protectedSinceMarkedIsUnmarked() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.run();
        f.daily(1);
        assertEquals(AmiMark.State.MARKED, f.state("ami-00000000000000old"));
        // A person protects it by hand.
        f.ec2.put(f.ec2.images.get("ami-00000000000000old").toBuilder().deregistrationProtection("enabled").build());
        f.daily(1);
        assertEquals(AmiMark.State.UNMARKED, f.state("ami-00000000000000old"));
        f.daily(14);
        assertTrue(f.registered("ami-00000000000000old"));
    }

    @Test
    void theNewestTwoOfAnImageNameAreKeptWhateverTheirAge() {
        f.ami("ami-00000000000000000a", 300);
        f.ami("ami-00000000000000000b", 200);
        f.ami("ami-00000000000000000c", 100);
        f.run();
        f.daily(12);
        assertFalse(f.registered("ami-00000000000000000a"));
        assertTrue(f.registered("ami-00000000000000000b"));
        assertTrue(f.registered("ami-00000000000000000c"));
    }

    @Test
    void aSnapshotSharedWithAnotherAmiIsKept() {
        twoNewest();
        f.ec2.add("ami-0000000000000old1", JanitorFixture.NAME, JanitorFixture.START.minus(Duration.ofDays(100)), Map.of(),
                "snap-shared", "snap-only1");
        // Another AMI of ours (not this pipeline's: registered by hand) uses the same snapshot.
        f.ec2.put(software.amazon.awssdk.services.ec2.model.Image.builder().imageId("ami-00000000000byhand")
                .ownerId(FakeEc2.OWNER).name("by hand").state("available").creationDate(JanitorFixture.START.toString())
                .blockDeviceMappings(software.amazon.awssdk.services.ec2.model.BlockDeviceMapping.builder().deviceName("/dev/xvda")
                        .ebs(software.amazon.awssdk.services.ec2.model.EbsBlockDevice.builder().snapshotId("snap-shared").build()).build())
                .build());
        f.run();
        f.daily(12);
        assertFalse(f.registered("ami-0000000000000old1"));
        assertFalse(f.ec2.snapshots.contains("snap-only1"), "its own snapshot is deleted");
        assertTrue(f.ec2.snapshots.contains("snap-shared"), "the shared one is kept");
        assertFalse(f.ec2.calls.contains("ec2:DeleteSnapshot snap-shared"), "not even attempted");
        assertTrue(f.registered("ami-00000000000byhand"), "never considered: not this pipeline's");
    }

    @Test
    void aRunRepeatedTheSameDayChangesNothingTwice() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.run();
        f.daily(1);
        int after = f.ec2.mutations().size();
        int notices = f.notices.all().size();
        f.run();
        f.run();
        assertEquals(after, f.ec2.mutations().size(), "no second tag or deprecation");
        assertEquals(notices, f.notices.all().size(), "no second notice");
    }

    @Test
    void aDryRunReturnsThePlansAsATableAndChangesNothing() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        JanitorService dry = f.service(Map.of("DRY_RUN", "true"));
        dry.run(false, () -> 600_000);
        f.clock.advance(Duration.ofDays(1));
        JanitorResult result = dry.run(false, () -> 600_000);

        assertTrue(result.dryRun());
        assertEquals(1, result.marked());
        assertTrue(f.ec2.mutations().isEmpty(), "no change to any AMI: " + f.ec2.mutations());
        assertNull(f.state("ami-00000000000000old"), "no mark recorded");
        assertTrue(result.table().lines().anyMatch(l -> l.startsWith("MARK ") && l.contains("ami-00000000000000old")
                && l.contains("91d") && l.contains("not in use")), result.table());
        assertTrue(result.table().lines().anyMatch(l -> l.startsWith("KEEP ") && l.contains("newest 2")), result.table());
        String noticeTable = String.valueOf(f.notices.only().details().get("table"));
        assertTrue(noticeTable.contains("ami-00000000000000old"), noticeTable);
        assertTrue(f.notices.only().title().startsWith("[dry run]"));
    }

    @Test
    void unknownUsageNeverLetsAnAmiGo() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.unreadable.add("444455556666/eu-west-1: AccessDenied");
        f.run();
        f.daily(20);
        assertNull(f.state("ami-00000000000000old"));
        assertTrue(f.ec2.mutations().isEmpty());
    }

    @Test
    void aLargeEstateContinuesWhereItLeftOff() {
        // Three regions' worth of units, time for one unit per invocation.
        JanitorService service = f.service(Map.of("REGIONS", "eu-west-1,eu-central-1,us-east-1", "TIME_SAFETY_MARGIN_SECONDS", "5"));
        twoNewest();
        long[] calls = {0};
        // Enough time for the checks of one unit (one before it, one per AMI), then less than the margin.
        java.util.function.LongSupplier budget = () -> calls[0]++ < 3 ? 6_000 : 1_000;
        JanitorResult first = service.run(false, budget);
        assertEquals(1, first.unitsDone());
        assertFalse(first.complete());
        calls[0] = 0;
        JanitorResult second = service.run(false, budget);
        assertEquals(2, second.unitsDone());
        assertEquals(first.passStartedAt(), second.passStartedAt(), "the same pass");
        calls[0] = 0;
        JanitorResult third = service.run(false, budget);
        assertTrue(third.complete());
        calls[0] = 0;
        JanitorResult next = service.run(false, budget);
        assertEquals(1, next.unitsDone(), "then a new pass starts");
    }

    @Test
    void aRefusedDeregistrationIsReportedAndTheOthersCarryOn() {
        twoNewest();
        f.ami("ami-00000000000000ol1", 90);
        f.ami("ami-00000000000000ol2", 91);
        f.run();
        f.daily(1);
        assertEquals(AmiMark.State.MARKED, f.state("ami-00000000000000ol1"));
        f.ec2.refuseDeregister = "UnauthorizedOperation";
        List<JanitorResult> results = f.daily(10);
        List<AmiOutcome> failed = results.stream().flatMap(r -> r.outcomes().stream())
                .filter(o -> o.status() == AmiOutcome.Status.FAILED).toList();
        assertTrue(failed.size() >= 2, "refused, reported, retried on later runs: " + failed);
        assertTrue(failed.stream().allMatch(o -> o.detail().startsWith("UnauthorizedOperation")), failed.toString());
        assertEquals(Set.of("ami-00000000000000ol1", "ami-00000000000000ol2"),
                failed.stream().map(o -> o.plan().imageId()).collect(java.util.stream.Collectors.toSet()), "one failing never stops the other");
        assertTrue(f.notices.ofKind(NotificationKind.AMI_DEREGISTERED).stream()
                .anyMatch(n -> n.severity() == io.amirollout.shared.Severity.ERROR));
        assertTrue(f.registered("ami-00000000000000ol1") && f.ec2.snapshots.contains("snap-00000000000000ol1"),
                "nothing deleted after a refused deregistration");
        f.ec2.refuseDeregister = null;
        f.daily(2);
        assertFalse(f.registered("ami-00000000000000ol1"), "the next run finishes it");
        assertFalse(f.ec2.snapshots.contains("snap-00000000000000ol1"));
    }

    @Test
    void aDeregistrationInterruptedAfterDeregisterImageFinishesItsSnapshotsOnTheNextRun() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.run();
        f.daily(6);
        f.ec2.throttleDeleteSnapshot = 1;
        // The first run at or after the date deregisters, then DeleteSnapshot is throttled: the invocation fails.
        RuntimeException thrown = null;
        for (int day = 0; day < 4 && thrown == null; day++) {
            f.clock.advance(Duration.ofDays(1));
            try {
                f.run();
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
        assertTrue(thrown != null, "a transient error fails the invocation");
        assertFalse(f.registered("ami-00000000000000old"), "the AMI is already gone");
        assertEquals(AmiMark.State.DEREGISTERING, f.state("ami-00000000000000old"));
        assertTrue(f.ec2.snapshots.contains("snap-00000000000000old"));

        JanitorResult retry = f.run(); // Lambda's retry, or the next day
        assertFalse(f.ec2.snapshots.contains("snap-00000000000000old"), "the snapshot is deleted on the retry");
        assertEquals(AmiMark.State.DEREGISTERED, f.state("ami-00000000000000old"));
        assertEquals(1, retry.deregistered());
    }

    @Test
    void everyEc2CallIsInIamActions() {
        twoNewest();
        f.ami("ami-00000000000000old", 90);
        f.ami("ami-000000000000used", 90);
        f.run();
        f.daily(1);
        f.groupUsers.put("ami-00000000000000old", List.of("group x"));
        f.daily(1);
        f.groupUsers.clear();
        f.daily(12);
        Set<String> called = new TreeSet<>();
        f.ec2.calls.forEach(c -> called.add(c.split(" ")[0]));
        Set<String> listed = IamActions.listed("iam-actions.txt");
        Set<String> missing = new TreeSet<>(called);
        missing.removeAll(listed);
        assertEquals(Set.of(), missing, "called but not in iam-actions.txt");
        assertTrue(called.containsAll(Set.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:EnableImageDeprecation",
                "ec2:DisableImageDeprecation", "ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:CreateImageUsageReport")), called.toString());
    }
}
