package io.amirollout.refresh;

import io.amirollout.shared.Log;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ProcessedEvents;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Version hygiene on the tick, once a day per launch template (a marker in the state table): deletes the versions
 * {@link VersionHygiene} allows. Reads every group of the account (not only targets: a non-target group may use
 * the template too) and the state table's release records of the target groups. A failure is logged and never
 * fails the tick; a dry run only reports.
 */
final class TemplateJanitor {

    static final String SCOPE = "version-hygiene";

    private final Ec2Client ec2;
    private final AutoScalingClient autoScaling;
    private final GroupLedger ledger;
    private final ProcessedEvents markers;
    private final Duration retention;
    private final Clock clock;

    /** @param retention versions younger than this are kept; zero turns hygiene off */
    TemplateJanitor(Ec2Client ec2, AutoScalingClient autoScaling, GroupLedger ledger, ProcessedEvents markers, Duration retention,
                    Clock clock) {
        this.ec2 = ec2;
        this.autoScaling = autoScaling;
        this.ledger = ledger;
        this.markers = markers;
        this.retention = retention;
        this.clock = clock;
    }

    /** One line per template swept (what was, or in a dry run would be, deleted). */
    List<String> sweep(List<TargetGroup> targets, boolean dryRun) {
        List<String> report = new ArrayList<>();
        if (retention.isZero()) {
            return report;
        }
        Set<String> templates = new LinkedHashSet<>();
        for (TargetGroup t : targets) {
            GroupLaunchTemplate template = GroupLaunchTemplate.resolve(t.group()).template();
            if (template != null && template.templateId() != null) {
                templates.add(template.templateId());
            }
        }
        Instant now = clock.instant();
        List<AutoScalingGroup> all = null;
        for (String templateId : templates) {
            try {
                if (!dryRun && !markers.claim(SCOPE, templateId + "#" + LocalDate.ofInstant(now, ZoneOffset.UTC), now, Duration.ofDays(2),
                        Map.of("templateId", templateId))) {
                    continue; // swept today already
                }
                if (all == null) {
                    all = autoScaling.describeAutoScalingGroupsPaginator(DescribeAutoScalingGroupsRequest.builder().build())
                            .autoScalingGroups().stream().toList();
                }
                List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersionsPaginator(
                        DescribeLaunchTemplateVersionsRequest.builder().launchTemplateId(templateId).build())
                        .launchTemplateVersions().stream().toList();
                List<Long> doomed = VersionHygiene.deletable(versions, inUse(all, templateId), recorded(targets, templateId), now, retention);
                if (doomed.isEmpty()) {
                    continue;
                }
                if (!dryRun) {
                    for (int i = 0; i < doomed.size(); i += VersionHygiene.MAX_PER_CALL) {
                        List<String> chunk = doomed.subList(i, Math.min(doomed.size(), i + VersionHygiene.MAX_PER_CALL)).stream()
                                .map(String::valueOf).toList();
                        ec2.deleteLaunchTemplateVersions(r -> r.launchTemplateId(templateId).versions(chunk));
                    }
                }
                String line = (dryRun ? "would delete" : "deleted") + " unused versions " + doomed + " of " + templateId
                        + " (made by instance-refresh, older than " + retention.toDays() + " days, no group, instance or record uses them)";
                Log.info("version hygiene", "launchTemplateId", templateId, "versions", doomed, "dryRun", dryRun);
                report.add(line);
            } catch (RuntimeException e) {
                Log.warn("version hygiene failed; the tick carries on", "launchTemplateId", templateId,
                        "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return report;
    }

    /** Versions a group of the account names, or an instance of it was launched from. */
    private static Set<Long> inUse(List<AutoScalingGroup> groups, String templateId) {
        Set<Long> used = new HashSet<>();
        for (AutoScalingGroup g : groups) {
            LaunchTemplateSpecification spec = AutoScalingGroups.launchTemplate(g);
            if (spec != null && templateId.equals(spec.launchTemplateId())) {
                number(spec.version(), used);
            }
            g.instances().stream().filter(i -> i.launchTemplate() != null && templateId.equals(i.launchTemplate().launchTemplateId()))
                    .forEach(i -> number(i.launchTemplate().version(), used));
        }
        return used;
    }

    /** Versions the state table names for the target groups on this template: rollback and roll-forward targets. */
    private Set<Long> recorded(List<TargetGroup> targets, String templateId) {
        Set<Long> kept = new HashSet<>();
        for (TargetGroup t : targets) {
            for (GroupRelease r : ledger.releases(t.name())) {
                if (r.launchTemplateId() == null || templateId.equals(r.launchTemplateId())) {
                    number(r.fromVersion(), kept);
                    number(r.toVersion(), kept);
                }
            }
        }
        return kept;
    }

    private static void number(String version, Set<Long> into) {
        if (version != null && version.matches("\\d+")) {
            into.add(Long.parseLong(version));
        }
    }
}
