package io.amirollout.refresh;

import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import io.amirollout.shared.state.ReleaseSource;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything read for one group before deciding (by {@link GroupReader}); {@link RefreshDecider} turns it
 * into a plan without any further call. When reading stopped early, {@code stop} says why and the later
 * fields are null.
 *
 * @param stop        why nothing more could be read or done (refusal, nothing recorded…), or null
 * @param quietStop   the stop is not worth a notice (repeats every tick, or a loose match)
 * @param current     the numbered version to build from (what the group effectively runs, or the version a
 *                    floated-onto version was made from)
 * @param upToDate    the group's effective version already carries the AMI (and was not floated onto it)
 * @param source      where this AMI comes from for the group (release, tick, manual)
 * @param release     the release record for the AMI, if one exists
 * @param supersedes  a different pending release of the group this one replaces
 * @param lostRace    an earlier attempt of this invocation lost the head write to another invocation
 */
record GroupFacts(TargetGroup group, Intent intent, Instant now, boolean lostRace, String stop, boolean quietStop,
                  GroupLaunchTemplate template, LaunchTemplateVersion current, String floatedNote, boolean upToDate,
                  RefreshSettings settings, boolean windowOpen, String closedText,
                  Image image, String architectureRefusal, boolean quietMismatch, ReleaseSource source, String correlationId,
                  GroupHead head, Optional<GroupRelease> release, Optional<GroupRelease> supersedes,
                  Optional<RejectedAmi> rejection, Optional<LaunchTemplateVersion> existing, List<InstanceRefresh> history,
                  List<TemplatePins.Floating> siblings, boolean alreadyPinned) {

    static GroupFacts stopped(TargetGroup group, Intent intent, Instant now, String reason, boolean quiet) {
        return new GroupFacts(group, intent, now, false, reason, quiet, null, null, "", false, null, false, null,
                null, null, false, null, null, null, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), false);
    }

    String imageId() {
        return image == null ? null : image.imageId();
    }

    String templateId() {
        return current == null ? null : current.launchTemplateId();
    }

    /** Nothing to pin: the group names a numbered version, or it was pinned earlier in this invocation. */
    boolean alreadyPinnedOrFixed() {
        return !template.floating() || alreadyPinned;
    }

    long currentVersion() {
        return current.versionNumber();
    }
}
