package io.amirollout.refresh;

import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * New AMI → new launch-template version → instance refresh, per Auto Scaling group, each group
 * isolated from the others' failures. Three entry points, one per input shape; all of them end in
 * {@link #process}, which decides everything before it changes anything (so a dry run is the same
 * path stopped before the first change).
 */
public final class InstanceRefreshService {

    /** What started this run; scheduled ticks keep quiet about repeats. */
    enum Trigger { RELEASE, TICK, MANUAL }

    /**
     * The AMI chosen for a group, or why none may be used.
     *
     * @param quietMismatch an architecture mismatch is logged, not announced: the group did not name
     *                      this image itself (it matched by AMI name, or takes every release)
     */
    record Candidate(Image image, String refusal, boolean quietMismatch) {
        Candidate(Image image, String refusal) {
            this(image, refusal, false);
        }

        static Candidate refused(String reason) {
            return new Candidate(null, reason);
        }

        Candidate quietOnMismatch() {
            return new Candidate(image, refusal, true);
        }
    }

    /** Chooses a group's AMI; what the group can run is read only when the choice needs it. */
    @FunctionalInterface
    interface Chooser {
        Candidate choose(TargetGroup group, Supplier<ArchitectureCheck.GroupArchitecture> architecture);
    }

    private final InstanceRefreshConfig config;
    private final String region;
    private final GroupTargets targets;
    private final TrustedImageFinder images;
    private final ArchitectureCheck architecture;
    private final LaunchTemplateUpdater templates;
    private final RefreshStarter refreshes;
    private final Notices notices;
    private final Clock clock;

    public InstanceRefreshService(InstanceRefreshConfig config, String region, Ec2Client ec2,
                                  AutoScalingClient autoScaling, NotificationPublisher publisher,
                                  io.amirollout.shared.state.GroupLedger ledger, Clock clock) {
        this(config, region, ec2, autoScaling, publisher, clock);
    }

    public InstanceRefreshService(InstanceRefreshConfig config, String region, Ec2Client ec2,
                                  AutoScalingClient autoScaling, NotificationPublisher publisher, Clock clock) {
        this.config = config;
        this.region = region;
        this.targets = new GroupTargets(autoScaling, config);
        this.images = new TrustedImageFinder(ec2, config.trustedImageOwners());
        this.architecture = new ArchitectureCheck(ec2, images);
        this.templates = new LaunchTemplateUpdater(ec2);
        this.refreshes = new RefreshStarter(autoScaling);
        this.notices = new Notices(publisher, clock);
        this.clock = clock;
    }

    /** An image was released: every target group that runs that image gets this region's AMI. */
    public RefreshResult release(ImageReleased release) {
        boolean dryRun = config.dryRun() || release.dryRun();
        Optional<ImageReleased.Ami> ami = release.amiFor(region);
        if (ami.isEmpty()) {
            String reason = "the release of " + release.image().name() + " has no AMI for this region (" + region + ")";
            Log.warn(reason, "regions", release.amis().stream().map(ImageReleased.Ami::region).toList());
            return RefreshResult.skipped(dryRun, reason);
        }
        Candidate candidate = fixedCandidate(ami.get().imageId());
        String amiName = candidate.image() != null ? candidate.image().name() : ami.get().name();
        List<TargetGroup> all = targets.all();
        Map<String, TargetGroup.ReleaseMatch> matches = new LinkedHashMap<>();
        for (TargetGroup g : all) {
            TargetGroup.ReleaseMatch match = g.match(release.image().name(), amiName);
            if (match != TargetGroup.ReleaseMatch.NONE) {
                matches.put(g.name(), match);
            }
        }
        List<TargetGroup> groups = all.stream().filter(g -> matches.containsKey(g.name())).toList();
        Log.info("image released", "image", release.image().name(), "imageId", ami.get().imageId(),
                "groups", groups.stream().map(TargetGroup::name).toList(), "dryRun", dryRun);
        // A group that named this very image is told when it cannot run it; one that only matched
        // loosely (AMI name, or takes every release) is skipped with a log line, no notice.
        return run(groups, all, (g, arch) -> matches.get(g.name()) == TargetGroup.ReleaseMatch.EXPLICIT
                ? candidate : candidate.quietOnMismatch(), Trigger.RELEASE, dryRun, false);
    }

    /** A scheduled tick: start pending refreshes whose window is open, and pick up newer trusted AMIs by name. */
    public RefreshResult tick() {
        List<TargetGroup> groups = targets.all();
        Log.info("scheduled tick", "groups", groups.size(), "dryRun", config.dryRun());
        return run(groups, groups, this::candidateFor, Trigger.TICK, config.dryRun(), false);
    }

    /** A person asked for one group, optionally with one AMI. */
    public RefreshResult manual(ManualRequest request) {
        boolean dryRun = config.dryRun() || request.dryRun();
        Optional<TargetGroup> group = targets.named(request.autoScalingGroup());
        if (group.isEmpty()) {
            GroupResult result = GroupResult.of(request.autoScalingGroup()).imageId(request.imageId())
                    .done(GroupOutcome.SKIPPED, "not a target group: " + (config.explicitGroups()
                            ? "it is not in TARGET_AUTO_SCALING_GROUPS" : "no such group tagged " + RolloutTags.ENABLED + "=true")
                            + " in " + region);
            notices.publish(result, dryRun, null);
            return RefreshResult.of(dryRun, List.of(result));
        }
        Candidate fixed = request.imageId() == null ? null : fixedCandidate(request.imageId());
        // Every target group: a sibling on $Latest of the same template must be pinned before a version is made.
        return run(List.of(group.get()), targets.all(), (g, arch) -> fixed != null ? fixed : candidateFor(g, arch),
                Trigger.MANUAL, dryRun, request.ignoreWindow());
    }

    /**
     * @param groups  the groups to decide, in order
     * @param targets every target group (the floating ones among them are protected when a version
     *                is created on their template, even when they are not decided in this run)
     */
    private RefreshResult run(List<TargetGroup> groups, List<TargetGroup> targets, Chooser choose,
                              Trigger trigger, boolean dryRun, boolean ignoreWindow) {
        // Before anything changes: what each floating group effectively runs now.
        TemplatePins pins = TemplatePins.resolve(targets, templates, refreshes);
        List<GroupResult> results = new ArrayList<>();
        for (TargetGroup group : groups) {
            GroupResult result = processIsolated(group, choose, pins, trigger, dryRun, ignoreWindow);
            Log.info("group decided", "autoScalingGroup", group.name(), "outcome", result.outcome().name(),
                    "reason", result.reason(), "dryRun", dryRun);
            if (result.announce()) {
                notices.publish(result, dryRun, group.accountId());
            }
            results.add(result);
        }
        return RefreshResult.of(dryRun, results);
    }

    /** One group; any exception becomes that group's FAILED result, never the others'. */
    private GroupResult processIsolated(TargetGroup group, Chooser choose, TemplatePins pins,
                                        Trigger trigger, boolean dryRun, boolean ignoreWindow) {
        GroupResult.Builder result = GroupResult.of(group.name());
        try {
            return process(group, choose, pins, trigger, dryRun, ignoreWindow, result);
        } catch (RuntimeException e) {
            Log.error("group failed", e, "autoScalingGroup", group.name());
            return result.done(GroupOutcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private GroupResult process(TargetGroup group, Chooser choose, TemplatePins pins, Trigger trigger, boolean dryRun,
                                boolean ignoreWindow, GroupResult.Builder result) {
        boolean tick = trigger == Trigger.TICK;

        // 1. What the group really launches from. A floating group's version was read before this
        //    invocation changed anything: a version made meanwhile for a group sharing the template
        //    is not what this group runs.
        GroupLaunchTemplate.Resolution resolution = GroupLaunchTemplate.resolve(group.group());
        if (resolution.refusal() != null) {
            return skipped(result, tick, "skipped: " + resolution.refusal());
        }
        GroupLaunchTemplate template = resolution.template();
        LaunchTemplateVersion current = (template.floating() ? pins.effectiveAtStart(group.name()) : Optional.<LaunchTemplateVersion>empty())
                .orElseGet(() -> templates.effectiveVersion(template));
        String templateId = current.launchTemplateId();
        result.launchTemplateId(templateId).previousVersion(Long.toString(current.versionNumber()));
        if (imageOf(current) != null && imageOf(current).startsWith("resolve:ssm:")) {
            return skipped(result, tick, "skipped: launch template " + template.label() + " takes its AMI from an SSM "
                    + "parameter (" + imageOf(current) + "); instance refresh cannot roll such a group back");
        }

        // 2. The group's own settings, checked before anything changes.
        RefreshSettings settings;
        MaintenanceWindow window;
        try {
            settings = RefreshSettings.from(group.tags(), config.scaleInProtectedInstances(), config.standbyInstances());
            window = MaintenanceWindow.parse(group.tag(RolloutTags.UPDATE_DAY).orElse(null),
                    group.tag(RolloutTags.UPDATE_TIME).orElse(null), group.tag(RolloutTags.WINDOW_MINUTES).orElse(null),
                    group.tag(RolloutTags.TIMEZONE).orElse(null));
        } catch (IllegalArgumentException e) {
            return skipped(result, tick, "skipped: invalid tag: " + e.getMessage());
        }

        // 3. The AMI: trusted, available, an architecture the group runs.
        LaunchTemplateVersion effective = current;
        Supplier<ArchitectureCheck.GroupArchitecture> runnable = memoize(() -> architecture.of(effective, template));
        Candidate candidate = choose.choose(group, runnable);
        if (candidate.refusal() != null) {
            return skipped(result, tick, "refused: " + candidate.refusal());
        }
        Image image = candidate.image();
        result.imageId(image.imageId());
        List<InstanceRefresh> history = null;
        String floatedNote = "";
        if (image.imageId().equals(imageOf(current))) {
            // A floating group whose $Latest/$Default already is a version this function made for
            // another group (a previous invocation, or a group added since): it floated onto the AMI
            // outside any refresh. It is handled as if it had been pinned first: back to the version
            // that version was made from, then refreshed to it inside its window, with rollback.
            OptionalLong source = template.floating() ? LaunchTemplateUpdater.sourceVersion(current) : OptionalLong.empty();
            history = refreshes.history(group.name());
            String floatedTo = Long.toString(current.versionNumber());
            boolean refreshedBefore = history.stream().anyMatch(r -> floatedTo.equals(InstanceRefreshes.targetVersion(r)));
            Optional<LaunchTemplateVersion> sourceVersion = source.isPresent() && !refreshedBefore
                    ? templates.version(templateId, Long.toString(source.getAsLong())) : Optional.empty();
            if (sourceVersion.isEmpty()) {
                return upToDate(group, template, templateId, current, image, pins, tick, dryRun, result);
            }
            floatedNote = " " + template.version() + " already pointed at version " + floatedTo + " (made for another group "
                    + "sharing the template), so the group may have launched it outside any refresh;";
            current = sourceVersion.get();
            result.previousVersion(Long.toString(current.versionNumber()));
        }
        long currentVersion = current.versionNumber();
        Optional<String> mismatch = runnable.get().refusal(image);
        if (mismatch.isPresent()) {
            if (candidate.quietMismatch()) {
                Log.info("the release matched the group by name only and is of another architecture: skipped without a notice",
                        "autoScalingGroup", group.name(), "imageId", image.imageId(), "reason", mismatch.get());
            }
            return skipped(result, tick || candidate.quietMismatch(), "refused: " + mismatch.get());
        }

        // 4. Idempotency: a version made earlier for this very change is reused.
        Optional<LaunchTemplateVersion> existing = templates.existingVersionWith(templateId, currentVersion, image.imageId());
        existing.ifPresent(v -> result.newVersion(Long.toString(v.versionNumber())));

        // 5. Never trample a running refresh.
        if (history == null) {
            history = refreshes.history(group.name());
        }
        Optional<InstanceRefresh> active = RefreshStarter.active(history);
        if (active.isPresent()) {
            return whileActive(group, active.get(), existing, image, tick, dryRun, result);
        }
        // A version whose refresh failed or was rolled back is not retried by the clock: every tick
        // in the window would start it again and roll it back again. A person retries it on purpose.
        if (tick && existing.isPresent()) {
            Optional<InstanceRefresh> undone = RefreshStarter.undone(history, Long.toString(existing.get().versionNumber()));
            if (undone.isPresent()) {
                result.instanceRefreshId(undone.get().instanceRefreshId());
                return result.quietly(GroupOutcome.SKIPPED, "instance refresh " + undone.get().instanceRefreshId()
                        + " to version " + existing.get().versionNumber() + " ended " + undone.get().statusAsString()
                        + "; scheduled ticks do not retry it. Send a manual request for the group to try again.");
            }
        }

        boolean open = ignoreWindow || window.isOpen(clock.instant());
        String pinNote = template.floating() ? " The group used " + template.version() + ";" + floatedNote + " it now references version "
                + currentVersion + " (what it ran) so the refresh can roll back." : "";
        List<TemplatePins.Floating> siblings = existing.isPresent() ? List.of() : pins.othersOn(templateId, group.name());

        // 6. Dry run: everything decided, nothing changed.
        if (dryRun) {
            String plan = (template.floating() ? "would pin the group from " + template.version() + " to version " + currentVersion + "; " : "")
                    + (siblings.isEmpty() ? "" : "would pin " + siblings.stream().map(f -> f.group().name() + " (" + f.template().version()
                    + " → version " + f.effective().versionNumber() + ")").collect(Collectors.joining(", ")) + ", sharing the launch template; ")
                    + (existing.isPresent() ? "would reuse version " + existing.get().versionNumber()
                    : "would create a version from " + currentVersion + " with " + image.imageId())
                    + (open ? "; would start an instance refresh" : "; " + closedText(window) + ", would record it as pending");
            return result.done(open ? GroupOutcome.STARTED : GroupOutcome.DEFERRED, "dry run: " + plan);
        }

        // 7. Pin first: a group on $Latest would launch the new version on its very next scale-out,
        //    outside any window and without the refresh's health checks or rollback. Pinning to the
        //    version it already runs changes nothing that runs, and gives rollback a numbered version.
        //    Every other floating target group on the template is pinned too before a version is made.
        if (template.floating()) {
            pins.pin(group.name(), template, templateId, currentVersion);
            result.pinned(true);
        }
        String siblingNote = "";
        long newVersion;
        if (existing.isPresent()) {
            newVersion = existing.get().versionNumber();
        } else {
            List<String> pinnedOthers = pins.pinOthersBeforeCreating(templateId, group.name());
            if (!pinnedOthers.isEmpty()) {
                siblingNote = " Groups sharing the launch template were pinned first: " + String.join(", ", pinnedOthers) + ".";
            }
            newVersion = templates.createVersion(templateId, currentVersion, image);
        }
        result.newVersion(Long.toString(newVersion));

        // 8. Outside the window: remember it on the group; a tick inside the window starts it.
        if (!open) {
            boolean known = recordPending(group, templateId, newVersion, image.imageId());
            String reason = closedText(window) + ": version " + newVersion + " with " + image.imageId()
                    + " is recorded as pending and a scheduled tick inside the window starts the refresh." + pinNote + siblingNote;
            return known && tick && siblingNote.isEmpty() ? result.quietly(GroupOutcome.DEFERRED, reason) : result.done(GroupOutcome.DEFERRED, reason);
        }

        // 9. Start, then record the versions rollback-on-alarm needs.
        String refreshId;
        try {
            refreshId = refreshes.start(group.name(), template, templateId, newVersion, settings);
        } catch (InstanceRefreshInProgressException e) {
            recordPending(group, templateId, newVersion, image.imageId());
            return result.done(GroupOutcome.DEFERRED, "another instance refresh took the group first (InstanceRefreshInProgress); "
                    + "version " + newVersion + " is recorded as pending and a later scheduled tick starts it." + pinNote + siblingNote);
        }
        result.instanceRefreshId(refreshId);
        String tagWarning = recordStarted(group, templateId, currentVersion, newVersion);
        return result.done(GroupOutcome.STARTED, "instance refresh started to launch template " + templateId + " version "
                + newVersion + " (" + image.imageId() + ") with auto rollback to version " + currentVersion + "." + pinNote
                + siblingNote + tagWarning);
    }

    /**
     * The effective version already has the AMI. A floating group is still pinned to it: the next
     * release must not reach it by scale-out, and a later refresh needs a numbered version to roll back to.
     */
    private GroupResult upToDate(TargetGroup group, GroupLaunchTemplate template, String templateId, LaunchTemplateVersion current,
                                 Image image, TemplatePins pins, boolean tick, boolean dryRun, GroupResult.Builder result) {
        clearPending(group, dryRun);
        String reason = "launch template " + template.label() + " (version " + current.versionNumber() + ") already uses "
                + image.imageId();
        if (!template.floating()) {
            return tick ? result.quietly(GroupOutcome.UP_TO_DATE, reason) : result.done(GroupOutcome.UP_TO_DATE, reason);
        }
        if (dryRun) {
            return result.done(GroupOutcome.UP_TO_DATE, "dry run: " + reason + "; would pin the group from " + template.version()
                    + " to version " + current.versionNumber());
        }
        boolean already = pins.pinned(group.name());
        pins.pin(group.name(), template, templateId, current.versionNumber());
        result.pinned(true);
        reason += ". The group used " + template.version() + "; it now references version " + current.versionNumber()
                + " so a later version of the template does not reach it outside a refresh.";
        return already && tick ? result.quietly(GroupOutcome.UP_TO_DATE, reason) : result.done(GroupOutcome.UP_TO_DATE, reason);
    }

    private static String imageOf(LaunchTemplateVersion version) {
        return version.launchTemplateData() == null ? null : version.launchTemplateData().imageId();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    private GroupResult whileActive(TargetGroup group, InstanceRefresh active, Optional<LaunchTemplateVersion> existing,
                                    Image image, boolean tick, boolean dryRun, GroupResult.Builder result) {
        String target = InstanceRefreshes.targetVersion(active);
        result.instanceRefreshId(active.instanceRefreshId());
        if (existing.isPresent() && Long.toString(existing.get().versionNumber()).equals(target)) {
            String reason = "instance refresh " + active.instanceRefreshId() + " (" + active.statusAsString()
                    + ") is already moving the group to version " + target + " with " + image.imageId();
            return tick ? result.quietly(GroupOutcome.ALREADY_IN_PROGRESS, reason) : result.done(GroupOutcome.ALREADY_IN_PROGRESS, reason);
        }
        // Another refresh (older target, or a person's) holds the group: do not touch the group's
        // template while it runs. Only the AMI is remembered; a later tick makes the version.
        boolean known = image.imageId().equals(group.tag(RolloutTags.PENDING_IMAGE).orElse(null));
        if (!dryRun && !known) {
            refreshes.tag(group.name(), Map.of(RolloutTags.PENDING_IMAGE, image.imageId()));
        }
        String reason = (dryRun ? "dry run: " : "") + "instance refresh " + active.instanceRefreshId() + " (" + active.statusAsString()
                + ", target version " + target + ") is active; it is not interrupted. " + image.imageId()
                + (dryRun ? " would be" : " is") + " recorded as pending and a later scheduled tick continues.";
        return known && tick ? result.quietly(GroupOutcome.DEFERRED, reason) : result.done(GroupOutcome.DEFERRED, reason);
    }

    /**
     * Tick / manual without an AMI: the newest usable one of the pending AMI and the newest trusted
     * AMI of the group's image name in an architecture the group runs. A pending AMI is kept when
     * the named one is refused (and the other way round): one bad candidate never blocks the other.
     */
    Candidate candidateFor(TargetGroup group, Supplier<ArchitectureCheck.GroupArchitecture> architecture) {
        Optional<Image> pending = group.tag(RolloutTags.PENDING_IMAGE).flatMap(images::byId);
        Set<String> architectures = group.imageName() == null ? Set.of() : architecture.get().architectures();
        Optional<Image> named = group.imageName() == null ? Optional.empty() : images.newestByName(group.imageName(), architectures);
        List<Image> options = Stream.concat(named.stream(), pending.stream())
                .filter(distinctBy(Image::imageId))
                .sorted(TrustedImageFinder.NEWEST.reversed())
                .toList();
        if (options.isEmpty()) {
            return Candidate.refused(group.imageName() == null
                    ? "the group has no image name (tag " + RolloutTags.IMAGE + " or DEFAULT_IMAGE_NAME) and nothing pending"
                    : "no available " + (architectures.isEmpty() ? "" : String.join("/", new TreeSet<>(architectures)) + " ")
                    + "AMI of image '" + group.imageName() + "' (named '" + group.imageName() + "' or '" + group.imageName()
                    + " <date>') owned by a trusted account (" + String.join(", ", images.trustedOwners()) + ")");
        }
        String firstRefusal = null;
        for (Image option : options) {
            Optional<String> refusal = images.refusal(option).or(() -> architecture.get().refusal(option));
            if (refusal.isEmpty()) {
                return new Candidate(option, null);
            }
            Log.info("candidate AMI refused; trying the next", "autoScalingGroup", group.name(), "imageId", option.imageId(),
                    "reason", refusal.get());
            firstRefusal = firstRefusal == null ? refusal.get() : firstRefusal;
        }
        return Candidate.refused(firstRefusal);
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, String> key) {
        Set<String> seen = new java.util.HashSet<>();
        return t -> seen.add(key.apply(t));
    }

    /** A given AMI id (payload or manual): it must still be trusted and available. */
    private Candidate fixedCandidate(String imageId) {
        Optional<Image> image = images.byId(imageId);
        if (image.isEmpty()) {
            return Candidate.refused("AMI " + imageId + " does not exist in " + region + " or is not owned by a trusted account ("
                    + String.join(", ", images.trustedOwners()) + ")");
        }
        return images.refusal(image.get()).map(Candidate::refused).orElse(new Candidate(image.get(), null));
    }

    private static GroupResult skipped(GroupResult.Builder result, boolean quiet, String reason) {
        return quiet ? result.quietly(GroupOutcome.SKIPPED, reason) : result.done(GroupOutcome.SKIPPED, reason);
    }

    private String closedText(MaintenanceWindow window) {
        return "outside the maintenance window (" + window.describe() + ")"
                + window.nextOpening(clock.instant()).map(t -> "; it next opens " + t.toOffsetDateTime()).orElse("");
    }

    /** Writes the pending tags unless they already say this; true when they already did. */
    private boolean recordPending(TargetGroup group, String templateId, long version, String imageId) {
        boolean known = Long.toString(version).equals(group.tag(RolloutTags.PENDING_VERSION).orElse(null))
                && imageId.equals(group.tag(RolloutTags.PENDING_IMAGE).orElse(null))
                && templateId.equals(group.tag(RolloutTags.LAUNCH_TEMPLATE_ID).orElse(null));
        if (!known) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(RolloutTags.PENDING_VERSION, Long.toString(version));
            tags.put(RolloutTags.PENDING_IMAGE, imageId);
            tags.put(RolloutTags.LAUNCH_TEMPLATE_ID, templateId);
            refreshes.tag(group.name(), tags);
        }
        return known;
    }

    /** Records previous/current versions for rollback-on-alarm; a failure here does not undo the started refresh. */
    private String recordStarted(TargetGroup group, String templateId, long previousVersion, long newVersion) {
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(RolloutTags.PREVIOUS_VERSION, Long.toString(previousVersion));
            tags.put(RolloutTags.CURRENT_VERSION, Long.toString(newVersion));
            tags.put(RolloutTags.LAUNCH_TEMPLATE_ID, templateId);
            refreshes.tag(group.name(), tags);
            clearPending(group, false);
            return "";
        } catch (RuntimeException e) {
            Log.error("refresh started but its state tags could not be written", e, "autoScalingGroup", group.name());
            return " Warning: the state tags for rollback-on-alarm could not be written (" + e.getMessage() + ").";
        }
    }

    private void clearPending(TargetGroup group, boolean dryRun) {
        List<String> present = Stream.of(RolloutTags.PENDING_VERSION, RolloutTags.PENDING_IMAGE)
                .filter(k -> group.tags().containsKey(k)).toList();
        if (!dryRun && !present.isEmpty()) {
            refreshes.untag(group.name(), present);
        }
    }
}
