package io.amirollout.janitor;

import java.util.List;
import java.util.Map;

/**
 * Which AMIs the organization's Auto Scaling groups use or would roll back to, per region: the image of
 * every launch-template version a group runs, and of the versions just below it (what an instance refresh
 * rollback or rollback-on-alarm's roll forward returns to). Accounts that could not be read make every
 * AMI of the region "unknown", which counts as in use.
 */
interface GroupReferences {

    /**
     * @param users      image id -> who references it, in words
     * @param unreadable account/region pairs that could not be read, with why
     */
    record Snapshot(Map<String, List<String>> users, List<String> unreadable) {

        public Snapshot {
            users = Map.copyOf(users);
            unreadable = List.copyOf(unreadable);
        }

        Usage usageOf(String imageId) {
            Usage usage = Usage.none();
            List<String> who = users.get(imageId);
            if (who != null && !who.isEmpty()) {
                usage = usage.plus(new Usage(who, List.of()));
            }
            if (!unreadable.isEmpty()) {
                usage = usage.plus(Usage.unknown("Auto Scaling groups unreadable: " + String.join("; ", unreadable)));
            }
            return usage;
        }
    }

    Snapshot inRegion(String region);
}
