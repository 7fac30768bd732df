package io.amirollout.refresh;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.autoscaling.AutoScalingGroups;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A group this function may update, with its tags as a map and the image name it runs
 * ({@code ami-rollout:image}, or DEFAULT_IMAGE_NAME for an explicitly listed group).
 */
public record TargetGroup(AutoScalingGroup group, Map<String, String> tags, String imageName) {

    public static TargetGroup of(AutoScalingGroup group, String defaultImageName) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (TagDescription tag : group.tags()) {
            tags.put(tag.key(), tag.value() == null ? "" : tag.value());
        }
        String image = tags.get(RolloutTags.IMAGE);
        if (image == null || image.isBlank()) {
            image = defaultImageName;
        }
        return new TargetGroup(group, Map.copyOf(tags), image == null || image.isBlank() ? null : image.trim());
    }

    public String name() {
        return group.autoScalingGroupName();
    }

    /** A tag's value, trimmed; empty when absent or blank. */
    public Optional<String> tag(String key) {
        return AutoScalingGroups.tag(group, key);
    }

    /** The account id from the group's ARN (for notices), or null. */
    public String accountId() {
        String arn = group.autoScalingGroupARN();
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":");
        return parts.length > 4 ? parts[4] : null;
    }

    /** How a released image reaches a group; decides whether an architecture mismatch is worth a notice. */
    public enum ReleaseMatch {
        /** Not this group's image. */
        NONE,
        /** The group's image name equals the release's image name: the group asked for exactly this image. */
        EXPLICIT,
        /** The released AMI's name belongs to the group's image name ({@link ImageNames}): a looser match. */
        BY_AMI_NAME,
        /** A listed group without any image name takes every release (the single-group setup). */
        UNNAMED
    }

    /**
     * Whether a released image is the one this group runs: its image name equals the release's
     * image name, or the released AMI's name belongs to it ({@link ImageNames#matches}: the name
     * followed by a space, or by a separator and a digit; never a longer name such as
     * "golden-al2023-arm64"). A listed group without any image name takes every release.
     */
    public ReleaseMatch matchAmi(String releasedImageName, String realAmiName) {
        if (imageName == null) {
            return ReleaseMatch.UNNAMED;
        }
        if (!ImageNames.matches(imageName, realAmiName)) {
            return ReleaseMatch.NONE;
        }
        return imageName.equals(releasedImageName) ? ReleaseMatch.EXPLICIT : ReleaseMatch.BY_AMI_NAME;
    }

    /**
     * Like {@link #matchAmi} when the released AMI is not visible among the trusted owners' images (it is then
     * refused anyway): the payload's names are all there is.
     */
    public ReleaseMatch match(String releasedImageName, String releasedAmiName) {
        if (imageName == null) {
            return ReleaseMatch.UNNAMED;
        }
        if (imageName.equals(releasedImageName)) {
            return ReleaseMatch.EXPLICIT;
        }
        return ImageNames.matches(imageName, releasedAmiName) ? ReleaseMatch.BY_AMI_NAME : ReleaseMatch.NONE;
    }
}
