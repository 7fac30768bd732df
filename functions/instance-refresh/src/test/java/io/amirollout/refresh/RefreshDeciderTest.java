package io.amirollout.refresh;

import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The decider as a plain function: given what was read, this plan (changes in order, with reasons). No AWS, no table. */
class RefreshDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-25T15:30:00Z");
    static final String LT = "lt-0abc1234def567890";
    static final String OLD = "ami-0000000000000aaaa";
    static final String NEW = "ami-0a1b2c3d4e5f60718";

    private final RefreshDecider decider = new RefreshDecider();

    /** web-asg on version 1 (old AMI) of LT, window open, nothing recorded, no refresh history. */
    private static GroupFacts facts(Intent intent, boolean windowOpen, GroupHead head, Optional<GroupRelease> release,
                                    Optional<RejectedAmi> rejection, List<InstanceRefresh> history, String version) {
        AutoScalingGroup asg = AutoScalingGroup.builder().autoScalingGroupName("web-asg")
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(LT).version(version).build()).build();
        LaunchTemplateVersion v1 = FakeAws.version(LT, 1, OLD, "m5.large", "initial");
        Image image = Image.builder().imageId(NEW).name("golden-al2023 2026-11-21T10-00-00Z").ownerId("111122223333")
                .architecture(ArchitectureValues.X86_64).state(ImageState.AVAILABLE).build();
        return new GroupFacts(TargetGroup.of(asg, null), intent, NOW, false, null, false,
                GroupLaunchTemplate.resolve(asg).template(), v1, "", false,
                RefreshSettings.from(Map.of(), "Ignore", "Ignore"), windowOpen, "outside the maintenance window (wed 15:00)",
                image, null, false, intent instanceof Intent.Manual ? ReleaseSource.MANUAL : ReleaseSource.RELEASE, "corr",
                head, release, Optional.empty(), rejection, Optional.empty(), history, List.of(), false);
    }

    private static GroupFacts release(boolean windowOpen) {
        return facts(new Intent.Release(NEW, "corr", false, null), windowOpen, GroupHead.empty("web-asg"), Optional.empty(),
                Optional.empty(), List.of(), "1");
    }

    private static List<Class<?>> kinds(GroupPlan plan) {
        return plan.changes().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aReleaseInsideTheWindowLocksTheHeadCreatesAVersionStartsAndRecords() {
        GroupPlan plan = decider.decide(release(true));

        assertEquals(GroupOutcome.STARTED, plan.outcome());
        assertEquals(List.of(Change.WriteHead.class, Change.CreateVersion.class, Change.StartRefresh.class,
                Change.RecordRelease.class, Change.MirrorTags.class), kinds(plan));
        Change.WriteHead head = (Change.WriteHead) plan.changes().get(0);
        assertEquals(NEW, head.head().desiredImageId());
        assertEquals(NEW, head.head().latestImageId(), "the head says this invocation starts it: a concurrent one reads that");
        GroupRelease recorded = ((Change.RecordRelease) plan.changes().get(3)).release();
        assertEquals(ReleaseState.STARTED, recorded.state());
        assertEquals("1", recorded.fromVersion(), "the roll-forward target");
        assertEquals(1L, ((Change.StartRefresh) plan.changes().get(2)).rollbackVersion());
        assertTrue(plan.described().get(1).startsWith("create a version of " + LT + " from version 1 with " + NEW));
    }

    @Test
    void aFloatingGroupIsPinnedBeforeTheVersionIsCreated() {
        GroupFacts f = facts(new Intent.Release(NEW, "corr", false, null), true, GroupHead.empty("web-asg"), Optional.empty(),
                Optional.empty(), List.of(), "$Latest");

        GroupPlan plan = decider.decide(f);

        assertEquals(List.of(Change.WriteHead.class, Change.PinGroup.class, Change.CreateVersion.class, Change.StartRefresh.class,
                Change.RecordRelease.class, Change.MirrorTags.class), kinds(plan));
        assertTrue(plan.described().get(1).startsWith("pin web-asg from $Latest to version 1"), plan.described().get(1));
    }

    @Test
    void outsideTheWindowTheReleaseIsRecordedAsPending() {
        GroupPlan plan = decider.decide(release(false));

        assertEquals(GroupOutcome.DEFERRED, plan.outcome());
        assertFalse(kinds(plan).contains(Change.StartRefresh.class));
        assertEquals(ReleaseState.PENDING, plan.changes().stream().filter(c -> c instanceof Change.RecordRelease)
                .map(c -> ((Change.RecordRelease) c).release().state()).findFirst().orElseThrow());
    }

    @Test
    void aRejectedAmiIsRefusedWithNoChangeWhateverTheTrigger() {
        RejectedAmi rejected = new RejectedAmi("web-asg", NEW, "rollback-on-alarm", "alarm web-errors", "ir-1", NOW.minusSeconds(3600));
        for (Intent intent : List.of(new Intent.Release(NEW, "corr", false, null), new Intent.Tick(),
                new Intent.Manual(NEW, false, true))) {
            GroupPlan plan = decider.decide(facts(intent, true, GroupHead.empty("web-asg"), Optional.empty(), Optional.of(rejected),
                    List.of(), "1"));
            assertEquals(GroupOutcome.SKIPPED, plan.outcome(), intent.toString());
            assertTrue(plan.changes().isEmpty(), intent + ": " + plan.described());
            assertTrue(plan.reason().contains("rejected") && plan.reason().contains("rollback-on-alarm"), plan.reason());
        }
    }

    @Test
    void onlyAForcedManualRequestStartsARejectedAmiAndTheRecordSaysForced() {
        RejectedAmi rejected = new RejectedAmi("web-asg", NEW, "manual", "bad kernel", null, NOW);

        GroupPlan plan = decider.decide(facts(new Intent.Manual(NEW, true, false), true, GroupHead.empty("web-asg"),
                Optional.empty(), Optional.of(rejected), List.of(), "1"));

        assertEquals(GroupOutcome.STARTED, plan.outcome());
        GroupRelease recorded = plan.changes().stream().filter(c -> c instanceof Change.RecordRelease)
                .map(c -> ((Change.RecordRelease) c).release()).findFirst().orElseThrow();
        assertTrue(recorded.forced());
        assertEquals(ReleaseSource.MANUAL, recorded.source());
    }

    @Test
    void aRepeatOfAnOlderReleaseDoesNotReplaceWhatAPersonAskedFor() {
        GroupHead head = GroupHead.empty("web-asg").desire("ami-0123456789abcdef0", ReleaseSource.MANUAL, NOW);
        GroupRelease earlier = GroupRelease.received("web-asg", NEW, "golden", "corr", ReleaseSource.RELEASE, false, NOW.minusSeconds(86400));

        GroupPlan plan = decider.decide(facts(new Intent.Release(NEW, "corr", false, null), true, head, Optional.of(earlier),
                Optional.empty(), List.of(), "1"));

        assertEquals(GroupOutcome.SKIPPED, plan.outcome());
        assertTrue(plan.changes().isEmpty());
    }

    @Test
    void ourOwnRefreshRunningToTheSameVersionIsAlreadyAndGetsRecorded() {
        InstanceRefresh running = refresh("ir-7", InstanceRefreshStatus.IN_PROGRESS, "2");
        GroupFacts f = facts(new Intent.Release(NEW, "corr", false, null), true, GroupHead.empty("web-asg"), Optional.empty(),
                Optional.empty(), List.of(running), "1");
        f = withExisting(f, 2);

        GroupPlan plan = decider.decide(f);

        assertEquals(GroupOutcome.ALREADY_IN_PROGRESS, plan.outcome());
        GroupRelease recorded = plan.changes().stream().filter(c -> c instanceof Change.RecordRelease)
                .map(c -> ((Change.RecordRelease) c).release()).findFirst().orElseThrow();
        assertEquals(ReleaseState.STARTED, recorded.state());
        assertEquals("ir-7", recorded.refreshId());
        assertEquals("2", recorded.toVersion());
    }

    @Test
    void aForeignRefreshRunningDefersAndOnlyRecords() {
        GroupFacts f = facts(new Intent.Release(NEW, "corr", false, null), true, GroupHead.empty("web-asg"), Optional.empty(),
                Optional.empty(), List.of(refresh("ir-person", InstanceRefreshStatus.IN_PROGRESS, "5")), "1");

        GroupPlan plan = decider.decide(f);

        assertEquals(GroupOutcome.DEFERRED, plan.outcome());
        assertEquals(List.of(Change.WriteHead.class, Change.RecordRelease.class), kinds(plan), "nothing in AWS is touched");
    }

    @Test
    void afterLosingTheHeadWriteToAnInvocationStartingTheSameAmiItDoesNothing() {
        GroupHead head = GroupHead.empty("web-asg").desire(NEW, ReleaseSource.RELEASE, NOW).started(NEW, NOW);
        GroupRelease pending = GroupRelease.received("web-asg", NEW, "golden", "corr", ReleaseSource.RELEASE, false, NOW);
        GroupFacts f = facts(new Intent.Tick(), true, head, Optional.of(pending), Optional.empty(), List.of(), "1");
        GroupFacts lost = new GroupFacts(f.group(), f.intent(), f.now(), true, null, false, f.template(), f.current(), "", false,
                f.settings(), true, f.closedText(), f.image(), null, false, f.source(), f.correlationId(), head, f.release(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), false);

        GroupPlan plan = decider.decide(lost);

        assertEquals(GroupOutcome.ALREADY_IN_PROGRESS, plan.outcome());
        assertTrue(plan.changes().isEmpty());
    }

    @Test
    void noAutomaticPathRetriesAFailedReleaseButAPersonDoes() {
        GroupRelease failed = GroupRelease.received("web-asg", NEW, "golden", "corr", ReleaseSource.RELEASE, false, NOW)
                .ended(ReleaseState.FAILED, "Failed", NOW);
        GroupPlan plan = decider.decide(facts(new Intent.Tick(), true, GroupHead.empty("web-asg").desire(NEW, ReleaseSource.RELEASE, NOW),
                Optional.of(failed), Optional.empty(), List.of(), "1"));

        assertEquals(GroupOutcome.SKIPPED, plan.outcome());
        assertTrue(plan.changes().isEmpty());
        GroupPlan duplicate = decider.decide(facts(new Intent.Release(NEW, "corr", false, null), true,
                GroupHead.empty("web-asg").desire(NEW, ReleaseSource.RELEASE, NOW), Optional.of(failed), Optional.empty(), List.of(), "1"));
        assertTrue(duplicate.changes().isEmpty(), "a repeated delivery does not retry it either");
        GroupPlan person = decider.decide(facts(new Intent.Manual(NEW, false, false), true,
                GroupHead.empty("web-asg").desire(NEW, ReleaseSource.RELEASE, NOW), Optional.of(failed), Optional.empty(), List.of(), "1"));
        assertEquals(GroupOutcome.STARTED, person.outcome(), "a person does");
    }

    @Test
    void aMissedRollbackEventIsReconciledFromTheRefreshStatusAndRejectsTheAmi() {
        GroupRelease started = GroupRelease.received("web-asg", NEW, "golden", "corr", ReleaseSource.RELEASE, false, NOW)
                .started(LT, "1", "2", "ir-9", NOW);
        GroupPlan plan = decider.decide(facts(new Intent.Tick(), true, GroupHead.empty("web-asg").desire(NEW, ReleaseSource.RELEASE, NOW),
                Optional.of(started), Optional.empty(), List.of(refresh("ir-9", InstanceRefreshStatus.ROLLBACK_SUCCESSFUL, "2")), "1"));

        assertEquals(List.of(Change.RecordRelease.class, Change.Reject.class), kinds(plan));
        assertEquals("aws-auto-rollback", ((Change.Reject) plan.changes().get(1)).rejection().by());
        assertEquals(ReleaseState.ROLLED_BACK, ((Change.RecordRelease) plan.changes().get(0)).release().state());
    }

    @Test
    void aStopIsAReportWithoutChanges() {
        GroupPlan plan = decider.decide(GroupFacts.stopped(TargetGroup.of(AutoScalingGroup.builder().autoScalingGroupName("lc").build(), null),
                new Intent.Tick(), NOW, "skipped: launch configuration", true));

        assertEquals(GroupOutcome.SKIPPED, plan.outcome());
        assertTrue(plan.quiet());
        assertTrue(plan.changes().isEmpty());
    }

    private static GroupFacts withExisting(GroupFacts f, long version) {
        return new GroupFacts(f.group(), f.intent(), f.now(), f.lostRace(), null, false, f.template(), f.current(), "", false,
                f.settings(), f.windowOpen(), f.closedText(), f.image(), null, false, f.source(), f.correlationId(), f.head(),
                f.release(), f.supersedes(), f.rejection(), Optional.of(FakeAws.version(LT, version, NEW, "m5.large", "ami-rollout: x")),
                f.history(), List.of(), false);
    }

    private static InstanceRefresh refresh(String id, InstanceRefreshStatus status, String version) {
        return InstanceRefresh.builder().instanceRefreshId(id).autoScalingGroupName("web-asg").status(status)
                .desiredConfiguration(DesiredConfiguration.builder().launchTemplate(LaunchTemplateSpecification.builder()
                        .launchTemplateId(LT).version(version).build()).build()).build();
    }
}
