package io.amirollout.refresh;

import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Facts for one group → the plan. No AWS call, no state write, no clock: given the same facts, the same
 * plan. The rules, in order: a stop ends it; a rejected AMI is never started by an automatic path (only a
 * manual request naming it with force); a duplicate of an older release does not displace the group's
 * desired image; a running refresh is never trampled (our own to the same version is ALREADY and recorded);
 * a refresh that failed is not retried by the clock; outside the window the work is recorded as pending;
 * inside it the refresh starts. Every plan that changes something begins with the conditional head write.
 */
final class RefreshDecider {

    GroupPlan decide(GroupFacts f) {
        boolean tick = f.intent().tick();
        if (f.stop() != null) {
            return GroupPlan.report(f, f.stop().startsWith("nothing") ? GroupOutcome.UP_TO_DATE : GroupOutcome.SKIPPED, f.stop(), f.quietStop());
        }
        String ami = f.imageId();
        Optional<GroupRelease> release = f.release();
        if (f.rejection().isPresent() && !f.intent().forced()) {
            RejectedAmi r = f.rejection().get();
            return GroupPlan.report(f, GroupOutcome.SKIPPED, "refused: " + ami + " is rejected for the group (by " + r.by()
                    + (r.at() != null ? " at " + r.at() : "") + (r.reason() != null ? ": " + r.reason() : "") + "). No automatic path "
                    + "starts it again; a manual request naming it with \"force\": true does.", tick);
        }
        if (f.intent() instanceof Intent.Release && release.isPresent() && !ami.equals(f.head().desiredImageId())) {
            return GroupPlan.report(f, GroupOutcome.SKIPPED, "this release was received before; the group's desired image is now "
                    + f.head().desiredImageId() + " (" + f.head().desiredSource() + "), which a repeat of an older release does not replace", true);
        }
        if (f.lostRace() && ami.equals(f.head().latestImageId()) && release.map(r -> !r.state().ended()).orElse(true)) {
            return GroupPlan.report(f, GroupOutcome.ALREADY_IN_PROGRESS, "another invocation decided for the group at the same time "
                    + "and is starting the refresh to " + ami + "; this one does nothing", false);
        }
        if (f.upToDate()) {
            return upToDate(f, tick);
        }
        if (f.architectureRefusal() != null) {
            return GroupPlan.report(f, GroupOutcome.SKIPPED, "refused: " + f.architectureRefusal(), tick || f.quietMismatch());
        }
        String existing = f.existing().map(v -> Long.toString(v.versionNumber())).orElse(null);
        Optional<InstanceRefresh> active = RefreshStarter.active(f.history());
        if (active.isPresent()) {
            return whileActive(f, active.get(), existing, tick);
        }
        if (release.isPresent() && release.get().state() == ReleaseState.STARTED && release.get().refreshId() != null) {
            Optional<InstanceRefresh> ours = f.history().stream().filter(r -> release.get().refreshId().equals(r.instanceRefreshId())).findFirst();
            if (ours.isPresent()) {
                return RefreshOutcomes.reconcile(f, release.get(), ours.get());
            }
        }
        boolean failedBefore = release.map(r -> r.state() == ReleaseState.FAILED).orElse(false)
                || (existing != null && RefreshStarter.undone(f.history(), existing).isPresent());
        if (!(f.intent() instanceof Intent.Manual) && failedBefore) {
            // Neither the clock nor a repeated delivery retries it (it would fail again every tick); a person does.
            return GroupPlan.report(f, GroupOutcome.SKIPPED, "the refresh to " + ami + (existing != null ? " (version " + existing + ")" : "")
                    + " failed or was cancelled; automatic paths do not retry it. Send a manual request for the group to try again.", true)
                    .withVersion(existing);
        }
        return f.windowOpen() ? start(f, existing) : pending(f, existing, tick);
    }

    private GroupPlan start(GroupFacts f, String existing) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.WriteHead(desired(f).started(f.imageId(), f.now()), "this invocation starts the refresh"));
        supersede(f, changes);
        String pinNote = pinAndCreate(f, existing, changes);
        Long to = existing == null ? null : Long.valueOf(existing);
        changes.add(new Change.StartRefresh(f.group().name(), f.template(), f.templateId(), to, f.currentVersion(),
                GroupPreferences.of(f.settings(), f.group())));
        changes.add(new Change.RecordRelease(base(f).started(f.templateId(), Long.toString(f.currentVersion()), existing, null, f.now())));
        changes.add(new Change.MirrorTags(f.group().name(), f.templateId(), true, f.currentVersion(), to, f.imageId()));
        return GroupPlan.report(f, GroupOutcome.STARTED, "instance refresh to launch template " + f.templateId() + " with " + f.imageId()
                + " and auto rollback to version " + f.currentVersion() + (f.intent().forced() ? " (forced by a person past a rejection)" : "")
                + "." + pinNote, false).withChanges(changes).withVersion(existing);
    }

    private GroupPlan pending(GroupFacts f, String existing, boolean tick) {
        Optional<GroupRelease> release = f.release();
        boolean known = existing != null && release.isPresent() && release.get().state() == ReleaseState.PENDING
                && existing.equals(release.get().toVersion()) && f.imageId().equals(f.head().desiredImageId())
                && f.alreadyPinnedOrFixed();
        String reason = f.closedText() + ": " + f.imageId() + (existing != null ? " (version " + existing + ")" : "")
                + " is recorded as pending and a scheduled tick inside the window starts the refresh.";
        if (known) {
            return GroupPlan.report(f, GroupOutcome.DEFERRED, reason, tick).withVersion(existing);
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.WriteHead(desired(f), "the group waits for its window"));
        supersede(f, changes);
        String pinNote = pinAndCreate(f, existing, changes);
        changes.add(new Change.RecordRelease(base(f).pending(f.templateId(), existing, "waits for the window", f.now())));
        changes.add(new Change.MirrorTags(f.group().name(), f.templateId(), false, f.currentVersion(),
                existing == null ? null : Long.valueOf(existing), f.imageId()));
        return GroupPlan.report(f, GroupOutcome.DEFERRED, reason + pinNote, false).withChanges(changes).withVersion(existing);
    }

    private GroupPlan whileActive(GroupFacts f, InstanceRefresh active, String existing, boolean tick) {
        String target = InstanceRefreshes.targetVersion(active);
        if (existing != null && existing.equals(target)) {
            String reason = "instance refresh " + active.instanceRefreshId() + " (" + active.statusAsString()
                    + ") is already moving the group to version " + target + " with " + f.imageId();
            boolean recorded = f.release().map(r -> r.state() == ReleaseState.STARTED && active.instanceRefreshId().equals(r.refreshId()))
                    .orElse(false);
            GroupPlan plan = GroupPlan.report(f, GroupOutcome.ALREADY_IN_PROGRESS, reason, tick || recorded)
                    .withVersion(existing).withRefresh(active.instanceRefreshId());
            if (recorded) {
                return plan;
            }
            // Ours (a retry, or a concurrent start): the state of record names it, so the roll-forward target is known.
            return plan.withChanges(List.of(
                    new Change.WriteHead(desired(f).started(f.imageId(), f.now()), "our refresh to this version is running"),
                    new Change.RecordRelease(base(f).started(f.templateId(), Long.toString(f.currentVersion()), existing,
                            active.instanceRefreshId(), f.now())),
                    new Change.MirrorTags(f.group().name(), f.templateId(), true, f.currentVersion(), Long.valueOf(existing), f.imageId())));
        }
        // Another refresh (older target, or a person's) holds the group: remember the AMI only; a later tick continues.
        String reason = "instance refresh " + active.instanceRefreshId() + " (" + active.statusAsString() + ", target version " + target
                + ") is active; it is not interrupted. " + f.imageId() + " is recorded as pending and a later scheduled tick continues.";
        boolean known = f.release().map(r -> r.state() == ReleaseState.PENDING).orElse(false) && f.imageId().equals(f.head().desiredImageId());
        if (known) {
            return GroupPlan.report(f, GroupOutcome.DEFERRED, reason, tick).withRefresh(active.instanceRefreshId());
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.WriteHead(desired(f), "another refresh holds the group"));
        supersede(f, changes);
        changes.add(new Change.RecordRelease(base(f).pending(null, null, "another refresh holds the group", f.now())));
        return GroupPlan.report(f, GroupOutcome.DEFERRED, reason, false).withChanges(changes).withRefresh(active.instanceRefreshId());
    }

    private GroupPlan upToDate(GroupFacts f, boolean tick) {
        String reason = "launch template " + f.template().label() + " (version " + f.currentVersion() + ") already uses " + f.imageId();
        List<Change> changes = new ArrayList<>();
        boolean recorded = f.release().map(r -> r.state() == ReleaseState.SUCCEEDED || r.state() == ReleaseState.STARTED).orElse(false)
                && f.imageId().equals(f.head().desiredImageId());
        if (!recorded) {
            changes.add(new Change.WriteHead(desired(f), "the group already runs it"));
            supersede(f, changes);
            changes.add(new Change.RecordRelease(base(f).ended(ReleaseState.SUCCEEDED, "the group already ran it", f.now())));
        }
        // Only $Latest follows new versions: a group on $Default is left as it is until it needs a refresh.
        if (GroupLaunchTemplate.LATEST.equals(f.template().version()) && !f.alreadyPinned()) {
            changes.add(new Change.PinGroup(f.group().name(), f.template(), f.templateId(), f.currentVersion(),
                    "a later version of the template must not reach it outside a refresh"));
            reason += ". The group used " + f.template().version() + "; it now references version " + f.currentVersion()
                    + " so a later version of the template does not reach it outside a refresh.";
        }
        if (!changes.isEmpty() && !(changes.get(0) instanceof Change.WriteHead)) {
            changes.add(0, new Change.WriteHead(f.head().touched(f.now()), "pinning the group"));
        }
        return GroupPlan.report(f, GroupOutcome.UP_TO_DATE, reason, tick && changes.isEmpty()).withChanges(changes)
                .withVersion(Long.toString(f.currentVersion()));
    }

    /** Pins the group (when floating) and its floating siblings, then creates the version unless it exists. */
    private static String pinAndCreate(GroupFacts f, String existing, List<Change> changes) {
        String note = "";
        if (f.template().floating()) {
            changes.add(new Change.PinGroup(f.group().name(), f.template(), f.templateId(), f.currentVersion(),
                    "so it cannot launch the new version outside the refresh, and the refresh can roll back"));
            note = " The group used " + f.template().version() + ";" + f.floatedNote() + " it now references version "
                    + f.currentVersion() + " (what it ran) so the refresh can roll back.";
        }
        if (existing == null) {
            for (TemplatePins.Floating s : f.siblings()) {
                changes.add(new Change.PinGroup(s.group().name(), s.template(), f.templateId(), s.effective().versionNumber(),
                        "it shares the launch template and would launch the new version by scale-out"));
            }
            if (!f.siblings().isEmpty()) {
                note += " Groups sharing the launch template are pinned first: " + String.join(", ",
                        f.siblings().stream().map(s -> s.group().name()).toList()) + ".";
            }
            changes.add(new Change.CreateVersion(f.templateId(), f.currentVersion(), f.image(),
                    f.current().launchTemplateData() == null ? java.util.List.of() : f.current().launchTemplateData().blockDeviceMappings()));
        }
        return note;
    }

    /** The head with this AMI as the group's desired image (a release or a person's request), else as read. */
    private static GroupHead desired(GroupFacts f) {
        GroupHead head = f.head();
        if (f.imageId().equals(head.desiredImageId()) && !f.intent().forced()) {
            return head.touched(f.now());
        }
        return head.desire(f.imageId(), f.source() == null ? ReleaseSource.RELEASE : f.source(), f.now());
    }

    /** The release record to write: the one read (same AMI), or a new one; a person's forced request says so. */
    private static GroupRelease base(GroupFacts f) {
        boolean forced = f.intent().forced() && f.rejection().isPresent();
        GroupRelease received = GroupRelease.received(f.group().name(), f.imageId(), f.image().name(), f.correlationId(),
                f.source() == null ? ReleaseSource.RELEASE : f.source(), forced, f.now());
        if (f.release().isEmpty()) {
            return received;
        }
        GroupRelease read = f.release().get();
        if (forced || f.intent() instanceof Intent.Manual) {
            // A person's new request for an AMI whose record ended: a fresh record on the same item.
            return read.state().ended() || forced ? received.withRevision(read.revision()) : read;
        }
        return read;
    }

    private static void supersede(GroupFacts f, List<Change> changes) {
        f.supersedes().ifPresent(r -> changes.add(new Change.RecordRelease(r.ended(ReleaseState.SUPERSEDED,
                "replaced by " + f.imageId() + " (" + f.source() + ")", f.now()))));
    }
}
