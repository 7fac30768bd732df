package io.amirollout.refresh;

import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which launch-template versions this function made may go (EC2 allows 10,000 versions per template): only
 * versions with our description marker, older than the retention, used by no group and no running instance, not
 * a rollback or roll-forward target recorded in the state table, never the default version and never the latest
 * (deleting it would move {@code $Latest} under the groups that float on it). A pure decision: the caller reads,
 * {@link PlanApplier}-style code deletes.
 */
final class VersionHygiene {

    /** DeleteLaunchTemplateVersions takes at most 200 versions per call. */
    static final int MAX_PER_CALL = 200;

    private VersionHygiene() {
    }

    /**
     * @param versions every version of the template
     * @param inUse    version numbers a group names or an instance was launched from
     * @param recorded version numbers the state table names (fromVersion / toVersion of any release)
     */
    static List<Long> deletable(List<LaunchTemplateVersion> versions, Set<Long> inUse, Set<Long> recorded, Instant now,
                                Duration retention) {
        long latest = versions.stream().map(LaunchTemplateVersion::versionNumber).max(Comparator.naturalOrder()).orElse(0L);
        List<Long> out = new ArrayList<>();
        for (LaunchTemplateVersion v : versions) {
            long number = v.versionNumber();
            boolean ours = v.versionDescription() != null && v.versionDescription().startsWith(LaunchTemplateUpdater.DESCRIPTION_MARKER);
            boolean old = v.createTime() != null && v.createTime().plus(retention).isBefore(now);
            if (ours && old && !Boolean.TRUE.equals(v.defaultVersion()) && number != latest && !inUse.contains(number)
                    && !recorded.contains(number)) {
                out.add(number);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
