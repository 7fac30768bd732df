package io.amirollout.refresh;

import io.amirollout.shared.Log;
import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.InstanceRefreshes;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseState;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one place that changes AWS and the state of record: carries out a plan's changes in order. The
 * first change of an acting plan is the conditional head write; when another invocation wrote the head
 * first, nothing else is done and the caller reads and decides again.
 */
final class PlanApplier {

    /** The result, or {@code lostRace}: another invocation decided for the group first (read again). */
    record Applied(GroupResult result, boolean lostRace) {
        static Applied lost() {
            return new Applied(null, true);
        }
    }

    private final LaunchTemplateUpdater templates;
    private final RefreshStarter refreshes;
    private final GroupLedger ledger;
    private final Clock clock;

    PlanApplier(LaunchTemplateUpdater templates, RefreshStarter refreshes, GroupLedger ledger, Clock clock) {
        this.templates = templates;
        this.refreshes = refreshes;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a dry run returns: the plan, nothing changed. */
    static GroupResult dryRun(GroupPlan plan) {
        String would = plan.changes().isEmpty() ? "" : "; would: " + String.join("; ", plan.described());
        return builder(plan).done(plan.outcome(), "dry run: " + plan.reason() + would);
    }

    Applied apply(GroupPlan plan, TargetGroup group, TemplatePins pins) {
        if (plan.changes().isEmpty()) {
            return new Applied(finish(plan, builder(plan), plan.outcome(), plan.reason(), plan.quiet()), false);
        }
        GroupResult.Builder result = builder(plan);
        GroupOutcome outcome = plan.outcome();
        String reason = plan.reason();
        Long version = plan.newVersion() == null ? null : Long.valueOf(plan.newVersion());
        String refreshId = plan.instanceRefreshId();
        boolean deferred = false;
        String warnings = "";
        for (Change change : plan.changes()) {
            if (change instanceof Change.WriteHead h) {
                if (!ledger.writeHead(h.head())) {
                    Log.info("another invocation decided for the group first; reading again", "autoScalingGroup", group.name());
                    return Applied.lost();
                }
            } else if (change instanceof Change.PinGroup p) {
                if (p.group().equals(group.name())) {
                    pins.pin(p.group(), p.template(), p.templateId(), p.version());
                    result.pinned(true);
                } else {
                    pinSibling(p, pins, group.name());
                }
            } else if (change instanceof Change.CreateVersion c) {
                version = templates.createVersion(c.templateId(), c.fromVersion(), c.image(), c.sourceMappings());
            } else if (change instanceof Change.StartRefresh s) {
                long target = s.version() != null ? s.version() : version;
                try {
                    refreshId = refreshes.start(s.group(), s.template(), s.templateId(), target, s.preferences());
                    reason = "instance refresh " + refreshId + " started: " + reason;
                } catch (InstanceRefreshInProgressException e) {
                    Optional<InstanceRefresh> active = RefreshStarter.active(refreshes.history(s.group()));
                    if (active.isPresent() && Long.toString(target).equals(InstanceRefreshes.targetVersion(active.get()))) {
                        refreshId = active.get().instanceRefreshId();
                        outcome = GroupOutcome.ALREADY_IN_PROGRESS;
                        reason = "our instance refresh " + refreshId + " to version " + target + " was already running "
                                + "(InstanceRefreshInProgress: a retried start or a concurrent invocation); it is recorded as started.";
                    } else {
                        deferred = true;
                        outcome = GroupOutcome.DEFERRED;
                        reason = "another instance refresh took the group first (InstanceRefreshInProgress); " + plan.imageId()
                                + " (version " + target + ") is recorded as pending and a later scheduled tick starts it.";
                    }
                }
            } else if (change instanceof Change.RecordRelease r) {
                GroupRelease release = deferred ? r.release().pending(r.release().launchTemplateId(), null,
                        "another refresh holds the group", clock.instant()) : r.release();
                if (!writeRelease(fill(release, version, refreshId))) {
                    return Applied.lost();
                }
            } else if (change instanceof Change.Reject j) {
                ledger.reject(j.rejection());
            } else if (change instanceof Change.MirrorTags m) {
                warnings += mirror(group, m, !deferred && m.started(), version);
            }
        }
        result.newVersion(version == null ? null : Long.toString(version)).instanceRefreshId(refreshId);
        return new Applied(finish(plan, result, outcome, reason + warnings, false), false);
    }

    private static GroupResult finish(GroupPlan plan, GroupResult.Builder result, GroupOutcome outcome, String reason, boolean quiet) {
        return quiet ? result.quietly(outcome, reason) : result.done(outcome, reason);
    }

    private static GroupResult.Builder builder(GroupPlan plan) {
        return GroupResult.of(plan.group()).imageId(plan.imageId()).launchTemplateId(plan.launchTemplateId())
                .previousVersion(plan.previousVersion()).newVersion(plan.newVersion()).instanceRefreshId(plan.instanceRefreshId())
                .pinned(plan.pins()).plan(plan.described());
    }

    /** A conditional release write; a concurrent writer that recorded the same thing is fine, anything else is a lost race. */
    private boolean writeRelease(GroupRelease release) {
        if (ledger.writeRelease(release)) {
            return true;
        }
        Optional<GroupRelease> stored = ledger.release(release.group(), release.imageId());
        return stored.isPresent() && stored.get().state() == release.state()
                && java.util.Objects.equals(stored.get().refreshId(), release.refreshId());
    }

    /** Fills in what was only known while applying: the version created and the refresh started. */
    private static GroupRelease fill(GroupRelease r, Long version, String refreshId) {
        String to = r.toVersion() != null ? r.toVersion() : version == null ? null : Long.toString(version);
        String refresh = r.state() == ReleaseState.STARTED && r.refreshId() == null ? refreshId : r.refreshId();
        return new GroupRelease(r.group(), r.imageId(), r.imageName(), r.correlationId(), r.source(), r.state(), r.launchTemplateId(),
                r.fromVersion(), to, refresh, r.forced(), r.reason(), r.receivedAt(), r.updatedAt(), r.revision());
    }

    private static void pinSibling(Change.PinGroup p, TemplatePins pins, String self) {
        try {
            pins.pin(p.group(), p.template(), p.templateId(), p.version());
        } catch (RuntimeException e) {
            throw new IllegalStateException("group " + p.group() + " uses " + p.template().version() + " of launch template "
                    + p.templateId() + " and could not be pinned to version " + p.version() + " (" + e.getMessage()
                    + "); no version was created, as it would reach that group outside any refresh", e);
        }
        Log.info("pinned a group sharing the launch template before creating a version", "autoScalingGroup", p.group(),
                "launchTemplateId", p.templateId(), "version", p.version(), "for", self);
    }

    /** The readable mirror of the record on the group's tags; a failure is a warning, never undoes what was done. */
    private String mirror(TargetGroup group, Change.MirrorTags m, boolean started, Long version) {
        Long to = m.toVersion() != null ? m.toVersion() : version;
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            if (started) {
                tags.put(RolloutTags.PREVIOUS_VERSION, Long.toString(m.fromVersion()));
                tags.put(RolloutTags.CURRENT_VERSION, Long.toString(to));
            } else {
                if (to != null) {
                    tags.put(RolloutTags.PENDING_VERSION, Long.toString(to));
                }
                tags.put(RolloutTags.PENDING_IMAGE, m.imageId());
            }
            tags.put(RolloutTags.LAUNCH_TEMPLATE_ID, m.templateId());
            tags.entrySet().removeIf(e -> e.getValue().equals(group.tags().get(e.getKey())));
            if (!tags.isEmpty()) {
                refreshes.tag(group.name(), tags);
            }
            List<String> stale = started ? Stream.of(RolloutTags.PENDING_VERSION, RolloutTags.PENDING_IMAGE)
                    .filter(k -> group.tags().containsKey(k)).toList() : List.of();
            if (!stale.isEmpty()) {
                refreshes.untag(group.name(), stale);
            }
            return "";
        } catch (RuntimeException e) {
            Log.error("the state tags (a mirror of the state of record) could not be written", e, "autoScalingGroup", group.name());
            return " Warning: the ami-rollout:* mirror tags could not be written (" + e.getMessage() + "); the state of record has it.";
        }
    }
}
