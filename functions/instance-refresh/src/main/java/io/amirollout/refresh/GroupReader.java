package io.amirollout.refresh;

import io.amirollout.shared.Log;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads (only reads) what a decision for one group needs: its launch template and effective version, its
 * settings and window, the AMI the intent points at, and the state of record (head, release, rejection).
 */
final class GroupReader {

    private final InstanceRefreshConfig config;
    private final TrustedImageFinder images;
    private final ArchitectureCheck architecture;
    private final LaunchTemplateUpdater templates;
    private final RefreshStarter refreshes;
    private final GroupLedger ledger;
    private final Clock clock;
    private final String region;
    private final AlarmCheck alarms;

    GroupReader(InstanceRefreshConfig config, String region, TrustedImageFinder images, ArchitectureCheck architecture,
                LaunchTemplateUpdater templates, RefreshStarter refreshes, GroupLedger ledger, AlarmCheck alarms, Clock clock) {
        this.alarms = alarms;
        this.config = config;
        this.region = region;
        this.images = images;
        this.architecture = architecture;
        this.templates = templates;
        this.refreshes = refreshes;
        this.ledger = ledger;
        this.clock = clock;
    }

    GroupFacts read(TargetGroup group, Intent intent, TemplatePins pins, boolean lostRace) {
        Instant now = clock.instant();
        boolean tick = intent.tick();
        if (group.imageName() == null && !config.explicitGroups()) {
            return GroupFacts.stopped(group, intent, now, "skipped: the group is tagged " + RolloutTags.ENABLED + "=true but has no "
                    + RolloutTags.IMAGE + " tag; a group names the image it runs, or any trusted AMI of its architecture (a Windows "
                    + "build on a Linux fleet) could reach it", tick);
        }
        GroupLaunchTemplate.Resolution resolution = GroupLaunchTemplate.resolve(group.group());
        if (resolution.refusal() != null) {
            return GroupFacts.stopped(group, intent, now, "skipped: " + resolution.refusal(), tick);
        }
        GroupLaunchTemplate template = resolution.template();
        LaunchTemplateVersion current = (template.floating() ? pins.effectiveAtStart(group.name()) : Optional.<LaunchTemplateVersion>empty())
                .orElseGet(() -> templates.effectiveVersion(template));
        String currentImage = imageOf(current);
        if (currentImage != null && currentImage.startsWith("resolve:ssm:")) {
            return GroupFacts.stopped(group, intent, now, "skipped: launch template " + template.label() + " takes its AMI from an SSM "
                    + "parameter (" + currentImage + "); instance refresh cannot roll such a group back", tick);
        }
        RefreshSettings settings;
        MaintenanceWindow window;
        try {
            // A group refresh-verifier tests gets an early checkpoint, so a bad AMI is caught on a few instances.
            settings = RefreshSettings.withEarlyCheckpoint(
                    RefreshSettings.from(group.tags(), config.scaleInProtectedInstances(), config.standbyInstances()), group.tags());
            GroupPreferences.of(settings, group); // the refinements only instance-refresh reads, checked before anything changes
            window = window(group);
        } catch (IllegalArgumentException e) {
            return GroupFacts.stopped(group, intent, now, "skipped: invalid tag: " + e.getMessage(), tick);
        }
        if (window.length().toMinutes() < config.tickIntervalMinutes()) {
            return GroupFacts.stopped(group, intent, now, "skipped: the maintenance window (" + window.describe() + ") is shorter than "
                    + "the tick interval (" + config.tickIntervalMinutes() + " min, TICK_INTERVAL_MINUTES): a tick might never fall "
                    + "inside it; make " + RolloutTags.WINDOW_MINUTES + " at least " + config.tickIntervalMinutes(), tick);
        }

        GroupHead head = ledger.head(group.name());
        Supplier<ArchitectureCheck.GroupArchitecture> runnable = memoize(() -> architecture.of(current, template));
        Choice choice = choose(group, intent, head, runnable);
        if (choice.stop() != null) {
            return GroupFacts.stopped(group, intent, now, choice.stop(), choice.quiet());
        }
        Image image = choice.image();
        Optional<String> refusal = images.refusal(image);
        if (refusal.isPresent()) {
            return GroupFacts.stopped(group, intent, now, "refused: " + refusal.get(), tick);
        }
        Optional<String> badAlarms = alarms.problem(settings.alarms(), group.tag(RolloutTags.ALARMS).orElse(""));
        if (badAlarms.isPresent()) {
            return GroupFacts.stopped(group, intent, now, "skipped: invalid tag: " + badAlarms.get(), tick);
        }

        // A floating group whose $Latest/$Default already is a version this function made for another group:
        // it is handled as if it had been pinned first (back to the source version, then refreshed to it).
        LaunchTemplateVersion base = current;
        String floatedNote = "";
        boolean upToDate = false;
        List<InstanceRefresh> history = null;
        if (image.imageId().equals(currentImage)) {
            OptionalLong source = template.floating() ? LaunchTemplateUpdater.sourceVersion(current) : OptionalLong.empty();
            history = refreshes.history(group.name());
            String floatedTo = Long.toString(current.versionNumber());
            boolean refreshedBefore = history.stream().anyMatch(r -> floatedTo.equals(InstanceRefreshes.targetVersion(r)));
            Optional<LaunchTemplateVersion> sourceVersion = source.isPresent() && !refreshedBefore
                    ? templates.version(current.launchTemplateId(), Long.toString(source.getAsLong())) : Optional.empty();
            if (sourceVersion.isEmpty()) {
                upToDate = true;
            } else {
                floatedNote = " " + template.version() + " already pointed at version " + floatedTo + " (made for another group "
                        + "sharing the template), so the group may have launched it outside any refresh;";
                base = sourceVersion.get();
            }
        }
        String mismatch = upToDate ? null : runnable.get().refusal(image).orElse(null);
        Optional<GroupRelease> release = ledger.release(group.name(), image.imageId());
        Optional<GroupRelease> supersedes = head.desiredImageId() == null || head.desiredImageId().equals(image.imageId())
                ? Optional.empty() : ledger.release(group.name(), head.desiredImageId()).filter(r -> r.state() == ReleaseState.PENDING);
        Optional<LaunchTemplateVersion> existing = upToDate || mismatch != null ? Optional.empty()
                : templates.existingVersionWith(base.launchTemplateId(), base.versionNumber(), image.imageId());
        if (history == null && mismatch == null) {
            history = refreshes.history(group.name());
        }
        List<TemplatePins.Floating> siblings = existing.isPresent() || upToDate ? List.of() : pins.othersOn(base.launchTemplateId(), group.name());
        return new GroupFacts(group, intent, now, lostRace, null, false, template, base, floatedNote, upToDate, settings,
                intent.ignoreWindow() || window.isOpen(now), closedText(window, now), image, mismatch, choice.quietMismatch(),
                choice.source(), choice.correlationId(), head, release, supersedes, ledger.rejection(group.name(), image.imageId()),
                existing, history == null ? List.of() : history, siblings, pins.pinned(group.name()));
    }

    /** The AMI the intent points at for this group, or why there is none. */
    private record Choice(Image image, ReleaseSource source, String correlationId, boolean quietMismatch, String stop, boolean quiet) {
        static Choice stop(String reason, boolean quiet) {
            return new Choice(null, null, null, false, reason, quiet);
        }
    }

    private Choice choose(TargetGroup group, Intent intent, GroupHead head, Supplier<ArchitectureCheck.GroupArchitecture> runnable) {
        if (intent instanceof Intent.Release r) {
            if (r.image() != null) {
                return new Choice(r.image(), ReleaseSource.RELEASE, r.correlationId(), r.quietMismatch(), null, false);
            }
            return fixed(r.imageId(), ReleaseSource.RELEASE, r.correlationId(), r.quietMismatch(), false);
        }
        if (intent instanceof Intent.Manual m) {
            if (m.imageId() != null) {
                return fixed(m.imageId(), ReleaseSource.MANUAL, "manual/" + group.name(), false, false);
            }
            return byName(group, head, runnable, ReleaseSource.MANUAL, false);
        }
        if (config.newestByNameOnTick()) {
            return byName(group, head, runnable, ReleaseSource.TICK, true);
        }
        if (head.desiredImageId() == null) {
            return Choice.stop("nothing recorded for the group yet: the tick only resumes releases and requests the state of record holds", true);
        }
        Optional<GroupRelease> desired = ledger.release(group.name(), head.desiredImageId());
        if (desired.isPresent() && desired.get().state().ended()) {
            return Choice.stop("nothing pending: release " + head.desiredImageId() + " is " + desired.get().state(), true);
        }
        return fixed(head.desiredImageId(), head.desiredSource(), desired.map(GroupRelease::correlationId).orElse(null), false, true);
    }

    private Choice fixed(String imageId, ReleaseSource source, String correlationId, boolean quietMismatch, boolean quiet) {
        Optional<Image> image = images.byId(imageId);
        if (image.isEmpty()) {
            return Choice.stop("refused: AMI " + imageId + " does not exist in " + region + " or is not owned by a trusted account ("
                    + String.join(", ", images.trustedOwners()) + ")", quiet);
        }
        return new Choice(image.get(), source, correlationId, quietMismatch, null, false);
    }

    /**
     * The newest trusted AMI of the group's image name it can run, never a rejected one. A desired image a
     * person named (or a pending release) stays the choice until an AMI newer than that request appears.
     */
    private Choice byName(TargetGroup group, GroupHead head, Supplier<ArchitectureCheck.GroupArchitecture> runnable,
                          ReleaseSource source, boolean quiet) {
        if (group.imageName() == null) {
            return Choice.stop("skipped: the group has no image name (tag " + RolloutTags.IMAGE + " or DEFAULT_IMAGE_NAME)", quiet);
        }
        Set<String> architectures = runnable.get().architectures();
        Set<String> rejected = ledger.rejected(group.name()).keySet();
        Optional<Image> named = images.newestByName(group.imageName(), architectures, rejected);
        Optional<Image> desired = Optional.ofNullable(head.desiredImageId()).filter(id -> !rejected.contains(id)).flatMap(images::byId)
                .filter(i -> images.refusal(i).isEmpty() && runnable.get().refusal(i).isEmpty());
        Optional<GroupRelease> record = desired.flatMap(d -> ledger.release(group.name(), d.imageId()));
        Instant requestedAt = record.map(GroupRelease::receivedAt).orElse(head.updatedAt());
        if (desired.isPresent() && (named.isEmpty() || !newerThanRequest(named.get(), desired.get(), head.desiredSource(), requestedAt))) {
            return new Choice(desired.get(), head.desiredSource(), record.map(GroupRelease::correlationId).orElse(null), false, null, false);
        }
        if (named.isEmpty()) {
            return Choice.stop("refused: no available " + (architectures.isEmpty() ? "" : String.join("/", new TreeSet<>(architectures)) + " ")
                    + "AMI of image '" + group.imageName() + "' that is not rejected for the group, owned by a trusted account ("
                    + String.join(", ", images.trustedOwners()) + ")", quiet);
        }
        Log.info("newest trusted AMI by name", "autoScalingGroup", group.name(), "imageId", named.get().imageId());
        return new Choice(named.get(), source, source.name().toLowerCase() + "/" + group.name(), true, null, false);
    }

    /** The named AMI replaces the desired one only when it is newer than it and, for a person's choice, than the request. */
    private static boolean newerThanRequest(Image named, Image desired, ReleaseSource desiredSource, Instant requestedAt) {
        if (named.imageId().equals(desired.imageId()) || TrustedImageFinder.NEWEST.compare(named, desired) <= 0) {
            return false;
        }
        if (desiredSource == ReleaseSource.MANUAL && requestedAt != null && named.creationDate() != null) {
            return Instant.parse(named.creationDate()).isAfter(requestedAt);
        }
        return true;
    }

    /**
     * The group's window: its schedule tags (either spelling, AMI_update_* or AMI_refresh_*; both, differing, is an
     * error); what a group does not tag comes from the stack's default window.
     */
    private MaintenanceWindow window(TargetGroup group) {
        String day = oneOf(group, RolloutTags.UPDATE_DAY, RolloutTags.REFRESH_DAY);
        String time = oneOf(group, RolloutTags.UPDATE_TIME, RolloutTags.REFRESH_TIME);
        String minutes = group.tag(RolloutTags.WINDOW_MINUTES).orElse(null);
        InstanceRefreshConfig.DefaultWindow defaults = config.defaultWindow();
        return MaintenanceWindow.parse(day != null ? day : defaults.days(), time != null ? time : defaults.start(),
                minutes != null ? minutes : defaults.minutes(), group.tag(RolloutTags.TIMEZONE).orElse(null));
    }

    private static String oneOf(TargetGroup group, String key, String alias) {
        Optional<String> a = group.tag(key);
        Optional<String> b = group.tag(alias);
        if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
            throw new IllegalArgumentException(key + " '" + a.get() + "' and " + alias + " '" + b.get() + "' disagree; keep one");
        }
        return a.or(() -> b).orElse(null);
    }

    private static String closedText(MaintenanceWindow window, Instant now) {
        return "outside the maintenance window (" + window.describe() + ")"
                + window.nextOpening(now).map(t -> "; it next opens " + t.toOffsetDateTime()).orElse("");
    }

    static String imageOf(LaunchTemplateVersion version) {
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
}
