package io.amirollout.verifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Convergence, decided from what was read (no AWS call here): at a checkpoint, the instances replaced so far run the
 * target launch-template version, and so its AMI; at the end, every InService instance does, except instances the stack's
 * settings leave alone on purpose ({@code SCALE_IN_PROTECTED_INSTANCES=Ignore} keeps protected instances,
 * {@code STANDBY_INSTANCES=Ignore} keeps Standby ones). Instances still launching are waited for until the deadline.
 *
 * <p>Version means AMI: instance-refresh created the target version with the release's AMI (the ledger records
 * both), and "Launch templates are immutable; after you create a launch template, you can't modify it. Instead, you
 * can create a new version" (EC2 API reference, CreateLaunchTemplateVersion). So no DescribeInstances (and no EC2
 * SDK module in this function) is needed to know what AMI a version-8 instance runs.
 */
final class ConvergenceCheck {

    static final String NAME = "convergence";

    private ConvergenceCheck() {
    }

    static CheckResult evaluate(boolean atCheckpoint, GroupView group, String toVersion, String imageId,
                                boolean pastDeadline, Duration limit, String scaleInProtectedInstances,
                                String standbyInstances) {
        List<GroupView.Member> replaced = group.on(toVersion);
        List<String> launching = new ArrayList<>();
        for (GroupView.Member m : replaced) {
            if (!m.inService() && !m.standby()) {
                launching.add(m.instanceId() + " " + m.lifecycleState());
            }
        }
        if (atCheckpoint) {
            if (replaced.isEmpty()) {
                return CheckResult.pendingUntil(NAME, "no instance launched from version " + toVersion + " yet", pastDeadline, limit);
            }
            if (!launching.isEmpty()) {
                return CheckResult.pendingUntil(NAME, "still launching: " + String.join(", ", launching), pastDeadline, limit);
            }
            return CheckResult.passed(NAME, replaced.size() + " new instance(s) on version " + toVersion + " run " + imageId);
        }
        List<String> stale = new ArrayList<>();
        List<String> keptOnPurpose = new ArrayList<>();
        for (GroupView.Member m : group.instances()) {
            if (toVersion.equals(m.launchTemplateVersion()) || m.leaving()) {
                continue;
            }
            if (m.standby()) {
                (isIgnore(standbyInstances) ? keptOnPurpose : stale).add(m.instanceId() + " in standby on version " + m.launchTemplateVersion());
            } else if (m.protectedFromScaleIn() && isIgnore(scaleInProtectedInstances)) {
                keptOnPurpose.add(m.instanceId() + " protected on version " + m.launchTemplateVersion());
            } else if (m.inService()) {
                stale.add(m.instanceId() + " on version " + m.launchTemplateVersion());
            }
        }
        if (!stale.isEmpty()) {
            return CheckResult.failed(NAME, "not replaced: " + String.join(", ", stale));
        }
        if (!launching.isEmpty()) {
            return CheckResult.pendingUntil(NAME, "still launching: " + String.join(", ", launching), pastDeadline, limit);
        }
        String kept = keptOnPurpose.isEmpty() ? "" : "; left as configured: " + String.join(", ", keptOnPurpose);
        return CheckResult.passed(NAME, replaced.size() + " instance(s) on version " + toVersion + " run " + imageId + kept);
    }

    private static boolean isIgnore(String setting) {
        return "Ignore".equalsIgnoreCase(setting);
    }
}
