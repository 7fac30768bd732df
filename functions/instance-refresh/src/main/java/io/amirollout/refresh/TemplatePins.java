package io.amirollout.refresh;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The target groups on {@code $Latest} / {@code $Default} in one invocation, and the numbered
 * version each of them effectively ran BEFORE this invocation changed anything.
 *
 * <p>Why: groups can share a launch template. A version created for one group is the new
 * {@code $Latest} of every other group on that template; such a group would launch the new AMI on
 * its next scale-out, outside any window, without the refresh's health checks or rollback, and
 * resolving it afterwards would even report it as up to date. So the effective versions are read
 * first, and before any version is created on a template every floating target group on it is
 * on {@code $Latest} is pinned to what it ran (nothing that runs changes; {@code $Default} does not move
 * when a version is created, so those groups are left alone). Groups that are not targets of this function
 * are never touched.
 */
final class TemplatePins {

    /** A floating target group and the version it effectively ran when the invocation began. */
    record Floating(TargetGroup group, GroupLaunchTemplate template, LaunchTemplateVersion effective) {
        String templateId() {
            return effective.launchTemplateId();
        }
    }

    private final Map<String, Floating> floating;
    private final RefreshStarter refreshes;
    private final Set<String> pinned = new HashSet<>();

    private TemplatePins(Map<String, Floating> floating, RefreshStarter refreshes) {
        this.floating = floating;
        this.refreshes = refreshes;
    }

    /** Reads (only reads) the effective version of every floating target group. */
    static TemplatePins resolve(List<TargetGroup> targets, LaunchTemplateUpdater templates, RefreshStarter refreshes) {
        Map<String, Floating> floating = new LinkedHashMap<>();
        for (TargetGroup group : targets) {
            GroupLaunchTemplate template = GroupLaunchTemplate.resolve(group.group()).template();
            if (template == null || !template.floating()) {
                continue;
            }
            try {
                floating.put(group.name(), new Floating(group, template, templates.effectiveVersion(template)));
            } catch (RuntimeException e) {
                // That group fails on its own when it is processed; here it only cannot be protected.
                Log.warn("could not resolve the effective launch-template version of a floating group", "autoScalingGroup",
                        group.name(), "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new TemplatePins(floating, refreshes);
    }

    /** The version this group effectively ran when the invocation began (floating groups only). */
    Optional<LaunchTemplateVersion> effectiveAtStart(String group) {
        return Optional.ofNullable(floating.get(group)).map(Floating::effective);
    }

    boolean pinned(String group) {
        return pinned.contains(group);
    }

    /** Pins a group being processed to {@code version}, once per invocation. */
    void pin(String group, GroupLaunchTemplate template, String templateId, long version) {
        if (pinned.add(group)) {
            try {
                refreshes.pin(group, template, templateId, version);
            } catch (RuntimeException e) {
                pinned.remove(group);
                throw e;
            }
        }
    }

    /** The other floating target groups on this template not yet pinned (for a dry run's plan). */
    List<Floating> othersOn(String templateId, String self) {
        List<Floating> others = new ArrayList<>();
        for (Floating f : floating.values()) {
            // Only $Latest moves when a version is created; the default version changes only by
            // ModifyLaunchTemplate, so a $Default sibling keeps launching what it ran and is left alone.
            if (f.templateId().equals(templateId) && !f.group().name().equals(self) && !pinned.contains(f.group().name())
                    && GroupLaunchTemplate.LATEST.equals(f.template().version())) {
                others.add(f);
            }
        }
        return others;
    }
}
