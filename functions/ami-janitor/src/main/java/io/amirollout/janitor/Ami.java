package io.amirollout.janitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One AMI the janitor considers: owned by the infra account and produced by this project's Image
 * Builder pipeline (both checked by {@link AmiCatalog} before an Ami is ever made).
 *
 * @param imageName               the Image Builder image name (from the {@code Ec2ImageBuilderArn} tag)
 * @param lastLaunched            {@code lastLaunchedTime}: null when never launched (or before April 2017);
 *                                reported by EC2 up to 24 hours late
 * @param deregistrationProtected deregistration protection is on ({@code enabled...})
 * @param deprecationTime         the EC2 deprecation time, null when none
 * @param snapshotIds             the EBS snapshots of its block device mappings
 */
public record Ami(String region, String imageId, String name, String imageName, String builderArn, Instant created,
                  Instant lastLaunched, Map<String, String> tags, boolean deregistrationProtected,
                  Instant deprecationTime, List<String> snapshotIds) {

    public Ami {
        tags = Map.copyOf(tags);
        snapshotIds = List.copyOf(snapshotIds);
    }

    String tag(String key) {
        return tags.get(key);
    }
}
