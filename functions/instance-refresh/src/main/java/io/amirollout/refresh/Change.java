package io.amirollout.refresh;

import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.RejectedAmi;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * One step of a plan. Plans are values: the decider makes them without side effects, {@link PlanApplier}
 * is the only code that carries them out. A version "to be created" is {@code null} in the steps after
 * {@link CreateVersion}; the applier fills in the number it got.
 */
sealed interface Change {

    /** Human-readable, for the result, the notice and a dry run. */
    String describe();

    /** The decision lock: the group's head written on the revision read (a lost write means read and decide again). */
    record WriteHead(GroupHead head, String why) implements Change {
        public String describe() {
            return "record for " + head.group() + ": desired image " + head.desiredImageId() + " (" + head.desiredSource() + ")"
                    + (head.latestImageId() != null ? ", latest refresh " + head.latestImageId() : "") + " — " + why;
        }
    }

    record PinGroup(String group, GroupLaunchTemplate template, String templateId, long version, String why) implements Change {
        public String describe() {
            return "pin " + group + " from " + template.version() + " to version " + version + " — " + why;
        }
    }

    /** @param sourceMappings the source version's block device mappings, carried whole (EC2 drops their snapshots otherwise) */
    record CreateVersion(String templateId, long fromVersion, Image image,
                         java.util.List<software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping> sourceMappings)
            implements Change {
        public String describe() {
            return "create a version of " + templateId + " from version " + fromVersion + " with " + image.imageId();
        }
    }

    /** @param version null: the version {@link CreateVersion} made */
    record StartRefresh(String group, GroupLaunchTemplate template, String templateId, Long version, long rollbackVersion,
                        software.amazon.awssdk.services.autoscaling.model.RefreshPreferences preferences) implements Change {
        public String describe() {
            return "start an instance refresh of " + group + " to version " + (version == null ? "(the new one)" : version)
                    + " (auto rollback to " + rollbackVersion + ", min healthy " + (preferences.minHealthyPercentage() == null
                    ? "from the group's instance maintenance policy" : preferences.minHealthyPercentage() + "%")
                    + (preferences.maxHealthyPercentage() == null ? "" : ", max healthy " + preferences.maxHealthyPercentage() + "%")
                    + ", protected instances " + preferences.scaleInProtectedInstancesAsString()
                    + (preferences.alarmSpecification() == null ? "" : ", alarms " + String.join(",", preferences.alarmSpecification().alarms()))
                    + ")";
        }
    }

    /** Writes a release record conditionally on its revision; {@code toVersion}/{@code refreshId} null are filled in by the applier. */
    record RecordRelease(GroupRelease release) implements Change {
        public String describe() {
            return "record release " + release.imageId() + " of " + release.group() + " as " + release.state()
                    + (release.forced() ? " (forced)" : "");
        }
    }

    record Reject(RejectedAmi rejection) implements Change {
        public String describe() {
            return "record " + rejection.imageId() + " as rejected for " + rejection.group() + " (by " + rejection.by() + ")";
        }
    }

    /** The readable mirror on the group: started (previous/current version) or pending. Best effort. */
    record MirrorTags(String group, String templateId, boolean started, Long fromVersion, Long toVersion, String imageId) implements Change {
        public String describe() {
            return "mirror the state on " + group + "'s ami-rollout:* tags";
        }
    }
}
