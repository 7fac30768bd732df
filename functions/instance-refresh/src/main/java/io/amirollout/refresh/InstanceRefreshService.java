package io.amirollout.refresh;

import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.RolloutTags;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The AMI chosen for a group, or why none may be used. */
    record Candidate(Image image, String refusal) {
        static Candidate refused(String reason) {
            return new Candidate(null, reason);
        }
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
        List<TargetGroup> groups = targets.all().stream()
                .filter(g -> g.runs(release.image().name(), candidate.image() != null ? candidate.image().name() : ami.get().name()))
                .toList();
        Log.info("image released", "image", release.image().name(), "imageId", ami.get().imageId(),
                "groups", groups.stream().map(TargetGroup::name).toList(), "dryRun", dryRun);
        return run(groups, g -> candidate, Trigger.RELEASE, dryRun, false);
    }

    /** A scheduled tick: start pending refreshes whose window is open, and pick up newer trusted AMIs by name. */
    public RefreshResult tick() {
        List<TargetGroup> groups = targets.all();
        Log.info("scheduled tick", "groups", groups.size(), "dryRun", config.dryRun());
        return run(groups, this::candidateFor, Trigger.TICK, config.dryRun(), false);
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
        return run(List.of(group.get()), g -> fixed != null ? fixed : candidateFor(g), Trigger.MANUAL, dryRun,
                request.ignoreWindow());
    }

    private RefreshResult run(List<TargetGroup> groups, java.util.function.Function<TargetGroup, Candidate> choose,
                              Trigger trigger, boolean dryRun, boolean ignoreWindow) {
        List<GroupResult> results = new ArrayList<>();
        for (TargetGroup group : groups) {
            GroupResult result = processIsolated(group, choose, trigger, dryRun, ignoreWindow);
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
    private GroupResult processIsolated(TargetGroup group, java.util.function.Function<TargetGroup, Candidate> choose,
                                        Trigger trigger, boolean dryRun, boolean ignoreWindow) {
        GroupResult.Builder result = GroupResult.of(group.name());
        try {
            return process(group, choose, trigger, dryRun, ignoreWindow, result);
        } catch (RuntimeException e) {
            Log.error("group failed", e, "autoScalingGroup", group.name());
            return result.done(GroupOutcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private GroupResult process(TargetGroup group, java.util.function.Function<TargetGroup, Candidate> choose,
                                Trigger trigger, boolean dryRun, boolean ignoreWindow, GroupResult.Builder result) {
        boolean tick = trigger == Trigger.TICK;

        // 1. What the group really launches from.
        GroupLaunchTemplate.Resolution resolution = GroupLaunchTemplate.resolve(group.group());
        if (resolution.refusal() != null) {
            return skipped(result, tick, "skipped: " + resolution.refusal());
        }
        GroupLaunchTemplate template = resolution.template();
        LaunchTemplateVersion current = templates.effectiveVersion(template);
        String templateId = current.launchTemplateId();
        long currentVersion = current.versionNumber();
        String currentImage = current.launchTemplateData() == null ? null : current.launchTemplateData().imageId();
        result.launchTemplateId(templateId).previousVersion(Long.toString(currentVersion));
        if (currentImage != null && currentImage.startsWith("resolve:ssm:")) {
            return skipped(result, tick, "skipped: launch template " + template.label() + " takes its AMI from an SSM "
                    + "parameter (" + currentImage + "); instance refresh cannot roll such a group back");
        }

        // 2. The group's own settings, checked before anything changes.
        RefreshSettings settings;
        MaintenanceWindow window;
        try {
            settings = RefreshSettings.from(group, config);
            window = MaintenanceWindow.parse(group.tag(RolloutTags.UPDATE_DAY).orElse(null),
                    group.tag(RolloutTags.UPDATE_TIME).orElse(null), group.tag(RolloutTags.WINDOW_MINUTES).orElse(null),
                    group.tag(RolloutTags.TIMEZONE).orElse(null));
        } catch (IllegalArgumentException e) {
            return skipped(result, tick, "skipped: invalid tag: " + e.getMessage());
        }

        // 3. The AMI: trusted, available, same architecture.
        Candidate candidate = choose.apply(group);
        if (candidate.refusal() != null) {
            return skipped(result, tick, "refused: " + candidate.refusal());
        }
        Image image = candidate.image();
        result.imageId(image.imageId());
        if (image.imageId().equals(currentImage)) {
            clearPending(group, dryRun);
            String reason = "launch template " + template.label() + " (version " + currentVersion + ") already uses "
                    + image.imageId();
            return tick ? result.quietly(GroupOutcome.UP_TO_DATE, reason) : result.done(GroupOutcome.UP_TO_DATE, reason);
        }
        Optional<String> mismatch = architecture.refusal(image, current, template);
        if (mismatch.isPresent()) {
            return skipped(result, tick, "refused: " + mismatch.get());
        }

        // 4. Idempotency: a version made earlier for this very change is reused.
        Optional<LaunchTemplateVersion> existing = templates.existingVersionWith(templateId, currentVersion, image.imageId());
        existing.ifPresent(v -> result.newVersion(Long.toString(v.versionNumber())));

        // 5. Never trample a running refresh.
        List<InstanceRefresh> history = refreshes.history(group.name());
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
        String pinNote = template.floating() ? " The group used " + template.version() + "; it now references version "
                + currentVersion + " (what it already ran) so the refresh can roll back." : "";

        // 6. Dry run: everything decided, nothing changed.
        if (dryRun) {
            String plan = (template.floating() ? "would pin the group from " + template.version() + " to version " + currentVersion + "; " : "")
                    + (existing.isPresent() ? "would reuse version " + existing.get().versionNumber()
                    : "would create a version from " + currentVersion + " with " + image.imageId())
                    + (open ? "; would start an instance refresh" : "; " + closedText(window) + ", would record it as pending");
            return result.done(open ? GroupOutcome.STARTED : GroupOutcome.DEFERRED, "dry run: " + plan);
        }

        // 7. Pin first: a group on $Latest would launch the new version on its very next scale-out,
        //    outside any window and without the refresh's health checks or rollback. Pinning to the
        //    version it already runs changes nothing that runs, and gives rollback a numbered version.
        if (template.floating()) {
            refreshes.pin(group.name(), template, templateId, currentVersion);
            result.pinned(true);
        }
        long newVersion = existing.map(LaunchTemplateVersion::versionNumber)
                .orElseGet(() -> templates.createVersion(templateId, currentVersion, image));
        result.newVersion(Long.toString(newVersion));

        // 8. Outside the window: remember it on the group; a tick inside the window starts it.
        if (!open) {
            boolean known = recordPending(group, templateId, newVersion, image.imageId());
            String reason = closedText(window) + ": version " + newVersion + " with " + image.imageId()
                    + " is recorded as pending and a scheduled tick inside the window starts the refresh." + pinNote;
            return known && tick ? result.quietly(GroupOutcome.DEFERRED, reason) : result.done(GroupOutcome.DEFERRED, reason);
        }

        // 9. Start, then record the versions rollback-on-alarm needs.
        String refreshId;
        try {
            refreshId = refreshes.start(group.name(), template, templateId, newVersion, settings);
        } catch (InstanceRefreshInProgressException e) {
            recordPending(group, templateId, newVersion, image.imageId());
            return result.done(GroupOutcome.DEFERRED, "another instance refresh took the group first (InstanceRefreshInProgress); "
                    + "version " + newVersion + " is recorded as pending and a later scheduled tick starts it." + pinNote);
        }
        result.instanceRefreshId(refreshId);
        String tagWarning = recordStarted(group, templateId, currentVersion, newVersion);
        return result.done(GroupOutcome.STARTED, "instance refresh started to launch template " + templateId + " version "
                + newVersion + " (" + image.imageId() + ") with auto rollback to version " + currentVersion + "." + pinNote + tagWarning);
    }

    private GroupResult whileActive(TargetGroup group, InstanceRefresh active, Optional<LaunchTemplateVersion> existing,
                                    Image image, boolean tick, boolean dryRun, GroupResult.Builder result) {
        String target = RefreshStarter.targetVersion(active);
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

    /** Tick / manual without an AMI: the newest of the pending AMI and the newest trusted AMI by name. */
    Candidate candidateFor(TargetGroup group) {
        Optional<Image> pending = group.tag(RolloutTags.PENDING_IMAGE).flatMap(images::byId);
        Optional<Image> named = group.imageName() == null ? Optional.empty() : images.newestByName(group.imageName());
        Optional<Image> newest = Stream.concat(pending.stream(), named.stream())
                .max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()));
        if (newest.isEmpty()) {
            return Candidate.refused(group.imageName() == null
                    ? "the group has no image name (tag " + RolloutTags.IMAGE + " or DEFAULT_IMAGE_NAME) and nothing pending"
                    : "no available AMI named '" + group.imageName() + "*' owned by a trusted account ("
                    + String.join(", ", images.trustedOwners()) + ")");
        }
        return images.refusal(newest.get()).map(Candidate::refused).orElse(new Candidate(newest.get(), null));
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
