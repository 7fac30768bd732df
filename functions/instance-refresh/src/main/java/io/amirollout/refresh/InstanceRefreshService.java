package io.amirollout.refresh;

import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * New AMI → new launch-template version → instance refresh, per Auto Scaling group, each group isolated from
 * the others' failures. For every group: read ({@link GroupReader}), decide ({@link RefreshDecider}: a plan,
 * no side effects), apply ({@link PlanApplier}: the only code that changes anything). A dry run returns the
 * plan. The state of record ({@link GroupLedger}) is what every decision reads and writes, conditionally: of
 * two invocations deciding for one group at once, one acts and the other reads again.
 */
public final class InstanceRefreshService {

    /** Head writes lost to other invocations before this one gives up (contention: the invocation fails and is retried). */
    static final int DECISION_ATTEMPTS = 3;

    private final InstanceRefreshConfig config;
    private final String region;
    private final GroupTargets targets;
    private final TrustedImageFinder images;
    private final LaunchTemplateUpdater templates;
    private final RefreshStarter refreshes;
    private final GroupLedger ledger;
    private final GroupReader reader;
    private final RefreshDecider decider = new RefreshDecider();
    private final PlanApplier applier;
    private final Notices notices;
    private final RefreshEventRecorder outcomes;
    private final TemplateJanitor janitor;
    private final Clock clock;

    public InstanceRefreshService(InstanceRefreshConfig config, String region, Ec2Client ec2, AutoScalingClient autoScaling,
                                  NotificationPublisher publisher, GroupLedger ledger, Clock clock) {
        this(config, region, ec2, autoScaling, null, publisher, ledger, clock);
    }

    /** @param cloudWatch checks that the groups' alarms exist (DescribeAlarms); null: only their count and form are checked */
    public InstanceRefreshService(InstanceRefreshConfig config, String region, Ec2Client ec2, AutoScalingClient autoScaling,
                                  software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch,
                                  NotificationPublisher publisher, GroupLedger ledger, Clock clock) {
        this.config = config;
        this.region = region;
        this.targets = new GroupTargets(autoScaling, config);
        this.images = new TrustedImageFinder(ec2, config.trustedImageOwners(), clock);
        this.templates = new LaunchTemplateUpdater(ec2);
        this.refreshes = new RefreshStarter(autoScaling);
        this.ledger = ledger;
        this.reader = new GroupReader(config, region, images, new ArchitectureCheck(ec2, images), templates, refreshes, ledger,
                new AlarmCheck(cloudWatch), clock);
        this.applier = new PlanApplier(templates, refreshes, ledger, clock);
        this.notices = new Notices(publisher, clock);
        this.outcomes = new RefreshEventRecorder(ledger, new ConvergenceCheck(autoScaling, ec2), applier, clock);
        this.janitor = new TemplateJanitor(ec2, autoScaling, ledger, new io.amirollout.shared.state.ProcessedEvents(ledger.table()),
                java.time.Duration.ofDays(config.versionRetentionDays()), clock);
        this.clock = clock;
    }

    /** An image was released: every target group that runs that image gets this region's AMI. */
    public RefreshResult release(ImageReleased release) {
        return release(release, Budget.UNLIMITED);
    }

    public RefreshResult release(ImageReleased release, Budget budget) {
        boolean dryRun = config.dryRun() || release.dryRun();
        Optional<ImageReleased.Ami> ami = release.amiFor(region);
        if (ami.isEmpty()) {
            String reason = "the release of " + release.image().name() + " has no AMI for this region (" + region + ")";
            Log.warn(reason, "regions", release.amis().stream().map(ImageReleased.Ami::region).toList());
            return RefreshResult.skipped(dryRun, reason);
        }
        // The AMI's real name (when it is a trusted AMI) decides which groups it belongs to, not the payload's.
        Image image = images.byId(ami.get().imageId()).orElse(null);
        String amiName = image != null ? image.name() : ami.get().name();
        List<TargetGroup> all = targets.all();
        Map<String, TargetGroup.ReleaseMatch> matches = new LinkedHashMap<>();
        for (TargetGroup g : all) {
            // The AMI's real name (DescribeImages, trusted owners) decides, never the payload's image.name alone.
            TargetGroup.ReleaseMatch match = image != null ? g.matchAmi(release.image().name(), image.name())
                    : g.match(release.image().name(), amiName);
            if (match != TargetGroup.ReleaseMatch.NONE) {
                matches.put(g.name(), match);
            }
        }
        List<TargetGroup> groups = all.stream().filter(g -> matches.containsKey(g.name())).toList();
        Log.info("image released", "image", release.image().name(), "imageId", ami.get().imageId(),
                "groups", groups.stream().map(TargetGroup::name).toList(), "dryRun", dryRun);
        // A group that named this very image is told when it cannot run it; one that only matched loosely is not.
        return run(groups, all, g -> new Intent.Release(ami.get().imageId(), release.correlationId(),
                matches.get(g.name()) != TargetGroup.ReleaseMatch.EXPLICIT, image), dryRun, budget);
    }

    /** A scheduled tick: resume what the state of record holds as pending for each group whose window is open. */
    public RefreshResult tick() {
        return tick(Budget.UNLIMITED);
    }

    public RefreshResult tick(Budget budget) {
        List<TargetGroup> groups = rotated(targets.all());
        Log.info("scheduled tick", "groups", groups.size(), "newestByName", config.newestByNameOnTick(), "dryRun", config.dryRun());
        RefreshResult result = run(groups, groups, g -> new Intent.Tick(), config.dryRun(), budget);
        return result.withHousekeeping(janitor.sweep(groups, config.dryRun()));
    }

    /** A person asked for one group: an AMI (optionally forced past a rejection), the newest by name, or a rejection. */
    public RefreshResult manual(ManualRequest request) {
        boolean dryRun = config.dryRun() || request.dryRun();
        Optional<TargetGroup> group = targets.named(request.autoScalingGroup());
        if (group.isEmpty()) {
            String reason = "not a target group: " + (config.explicitGroups() ? "it is not in TARGET_AUTO_SCALING_GROUPS"
                    : "no such group tagged " + RolloutTags.ENABLED + "=true") + " in " + region + "; nothing was changed";
            Log.warn("manual request for an unknown group", "autoScalingGroup", request.autoScalingGroup());
            GroupResult result = GroupResult.of(request.autoScalingGroup()).imageId(request.imageId() != null ? request.imageId()
                    : request.reject()).done(request.reject() != null || request.force() ? GroupOutcome.FAILED : GroupOutcome.SKIPPED, reason);
            notices.publish(result, dryRun, null);
            return RefreshResult.of(dryRun, List.of(result));
        }
        if (request.reject() != null) {
            return RefreshResult.of(dryRun, List.of(announce(reject(group.get(), request, dryRun), group.get(), dryRun)));
        }
        // Every target group: a sibling on $Latest of the same template must be pinned before a version is made.
        return run(List.of(group.get()), targets.all(), g -> new Intent.Manual(request.imageId(), request.force(), request.ignoreWindow()),
                dryRun, Budget.UNLIMITED);
    }

    /** Auto Scaling reported a refresh event: for a refresh we started, record how it ended (and whether the fleet converged). */
    public RefreshResult refreshEvent(EventBridgeEvent event) {
        GroupResult result = outcomes.record(event, config.dryRun());
        return RefreshResult.of(config.dryRun(), List.of(announce(result, null, config.dryRun())));
    }

    private GroupResult reject(TargetGroup group, ManualRequest request, boolean dryRun) {
        String ami = request.reject();
        for (int attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
            GroupPlan plan = rejectionPlan(group, ami, request.reason());
            if (dryRun) {
                return PlanApplier.dryRun(plan);
            }
            PlanApplier.Applied applied = applier.apply(plan, group, null);
            if (!applied.lostRace()) {
                return applied.result();
            }
        }
        throw new IllegalStateException("the state of record of " + group.name() + " kept changing; rejection not recorded, retry");
    }

    /** A person's rejection: the head write (so a concurrent start reads again and sees it), the rejection, a pending release ended. */
    private GroupPlan rejectionPlan(TargetGroup group, String ami, String why) {
        if (ledger.rejection(group.name(), ami).isPresent()) {
            return new GroupPlan(group.name(), GroupOutcome.REJECTED, ami + " already was rejected for the group; nothing changed",
                    false, List.of(), ami, null, null, null, null);
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.WriteHead(ledger.head(group.name()).touched(clock.instant()), "a person rejects " + ami));
        changes.add(new Change.Reject(new RejectedAmi(group.name(), ami, "manual",
                why != null ? why : "rejected by a manual request", null, clock.instant())));
        ledger.release(group.name(), ami).filter(r -> r.state() == ReleaseState.PENDING).ifPresent(r -> changes.add(
                new Change.RecordRelease(r.ended(ReleaseState.SUPERSEDED, "rejected by a person", clock.instant()))));
        return new GroupPlan(group.name(), GroupOutcome.REJECTED, ami + " is rejected for the group: no release, tick, duplicate "
                + "or retry starts it again; only a manual request naming it with \"force\": true does. A refresh already running "
                + "is not stopped by this.", false, changes, ami, null, null, null, null);
    }

    /**
     * @param groups  the groups to decide, in order
     * @param all     every target group (the floating ones among them are protected when a version is created on
     *                their template, even when they are not decided in this run)
     */
    private RefreshResult run(List<TargetGroup> groups, List<TargetGroup> all, Function<TargetGroup, Intent> intent, boolean dryRun,
                              Budget budget) {
        TemplatePins pins = TemplatePins.resolve(all, templates, refreshes);
        List<GroupResult> results = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (budget.exhausted()) {
                List<TargetGroup> rest = groups.subList(i, groups.size());
                Log.warn("time is running out: groups not reached are left to the next tick", "notReached",
                        rest.stream().map(TargetGroup::name).toList());
                rest.forEach(g -> results.add(notReached(g, intent.apply(g), dryRun)));
                break;
            }
            TargetGroup group = groups.get(i);
            results.add(announce(processIsolated(group, intent.apply(group), pins, dryRun), group, dryRun));
        }
        List<String> transientFailures = results.stream().filter(r -> r.outcome() == GroupOutcome.FAILED
                && r.reason() != null && r.reason().startsWith(TRANSIENT)).map(GroupResult::autoScalingGroup).toList();
        if (!transientFailures.isEmpty()) {
            throw new TransientFailure(transientFailures);
        }
        return RefreshResult.of(dryRun, results);
    }

    /** Start of a FAILED group's reason when the error may pass: the invocation then fails after all groups. */
    static final String TRANSIENT = "transient AWS error (Lambda retries the invocation): ";

    /**
     * A group this invocation has no time left for: a release is recorded as the group's pending release (so the
     * next tick inside its window resumes it, with every check); a tick's group is simply next in line.
     */
    private GroupResult notReached(TargetGroup group, Intent intent, boolean dryRun) {
        String reason = "not reached in this invocation (its time ran out); the next scheduled tick continues with it";
        try {
            if (intent instanceof Intent.Release r && !dryRun) {
                var head = ledger.head(group.name());
                if (!r.imageId().equals(head.desiredImageId()) && ledger.release(group.name(), r.imageId()).isEmpty()) {
                    // A plan like any other (head first, then the record), carried out by the one applier; a lost
                    // head write means another invocation is deciding for the group right now, which is enough.
                    GroupPlan plan = new GroupPlan(group.name(), GroupOutcome.DEFERRED, reason, true, List.of(
                            new Change.WriteHead(head.desire(r.imageId(), io.amirollout.shared.state.ReleaseSource.RELEASE, clock.instant()),
                                    "not reached in this invocation"),
                            new Change.RecordRelease(GroupRelease.received(group.name(), r.imageId(), r.image() == null ? null
                                    : r.image().name(), r.correlationId(), io.amirollout.shared.state.ReleaseSource.RELEASE, false,
                                    clock.instant()))), r.imageId(), null, null, null, null);
                    applier.apply(plan, group, null);
                }
                reason += "; the release is recorded as pending for it";
            }
        } catch (RuntimeException e) {
            Log.error("could not record the release for a group not reached", e, "autoScalingGroup", group.name());
            return GroupResult.of(group.name()).done(GroupOutcome.FAILED, "not reached, and the release could not be recorded: " + e.getMessage());
        }
        return GroupResult.of(group.name()).imageId(intent instanceof Intent.Release r ? r.imageId() : null)
                .quietly(GroupOutcome.DEFERRED, reason);
    }

    /** Ticks start at a different group each time, so a long list never starves its tail when time runs out. */
    private List<TargetGroup> rotated(List<TargetGroup> groups) {
        if (groups.size() < 2) {
            return groups;
        }
        int offset = (int) ((clock.instant().getEpochSecond() / 60 / Math.max(1, config.tickIntervalMinutes())) % groups.size());
        List<TargetGroup> out = new ArrayList<>(groups.subList(offset, groups.size()));
        out.addAll(groups.subList(0, offset));
        return out;
    }

    private GroupResult announce(GroupResult result, TargetGroup group, boolean dryRun) {
        Log.info("group decided", "autoScalingGroup", result.autoScalingGroup(), "outcome", result.outcome().name(),
                "reason", result.reason(), "plan", result.plan(), "dryRun", dryRun);
        if (result.announce()) {
            notices.publish(result, dryRun, group == null ? null : group.accountId());
        }
        return result;
    }

    /** One group: read, decide, apply; a lost race reads and decides again. Any exception is that group's FAILED result. */
    private GroupResult processIsolated(TargetGroup group, Intent intent, TemplatePins pins, boolean dryRun) {
        try {
            for (int attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
                GroupPlan plan = decider.decide(reader.read(group, intent, pins, attempt > 0));
                if (dryRun) {
                    return PlanApplier.dryRun(plan);
                }
                PlanApplier.Applied applied = applier.apply(plan, group, pins);
                if (!applied.lostRace()) {
                    return applied.result();
                }
            }
            // Contention: transient like throttling, so the invocation fails after the other groups and Lambda retries it.
            Log.warn("other invocations kept deciding for the group first", "autoScalingGroup", group.name(), "attempts", DECISION_ATTEMPTS);
            return GroupResult.of(group.name()).done(GroupOutcome.FAILED, TRANSIENT + "other invocations kept deciding for the group first ("
                    + DECISION_ATTEMPTS + " attempts)");
        } catch (InvalidEventException e) {
            throw e;
        } catch (RuntimeException e) {
            Log.error("group failed", e, "autoScalingGroup", group.name());
            return GroupResult.of(group.name()).done(GroupOutcome.FAILED, (TransientFailure.is(e) ? TRANSIENT : "")
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
