package io.amirollout.invoker;

import io.amirollout.shared.ImageReleased;

import java.util.List;

/**
 * An Image Builder image as the notices describe it.
 *
 * @param arn     image build version ARN ({@code …:image/<name>/<x.y.z>/<build>}); the rollout's correlation id
 * @param name    the image's name (what groups put in their {@code ami-rollout:image} tag)
 * @param version {@code x.y.z/build}
 * @param status  Image Builder's state, e.g. AVAILABLE, FAILED, BUILDING
 * @param reason  why it failed, when it did
 * @param amis    the AMIs it distributed, one per region and account
 * @param sourcePipelineArn the pipeline that built it (GetImage's {@code sourcePipelineArn}); null when unknown
 */
public record BuiltImage(String arn, String name, String version, String status, String reason,
                         List<ImageReleased.Ami> amis, String sourcePipelineArn) {

    public BuiltImage {
        amis = amis == null ? List.of() : List.copyOf(amis);
    }

    public BuiltImage(String arn, String name, String version, String status, String reason, List<ImageReleased.Ami> amis) {
        this(arn, name, version, status, reason, amis, null);
    }

    /** The account that built the image (from its ARN), or null. */
    public String ownerAccount() {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : null;
    }

    /** The ARN's partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}); {@code aws} when unknown. */
    public String partition() {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "aws";
    }

    /** Distinct regions of the AMIs, in their order. */
    public List<String> regions() {
        return amis.stream().map(ImageReleased.Ami::region).distinct().toList();
    }

    /**
     * The AMI an account should run in a region: the copy distributed into that account if there is
     * one, else the image owner's AMI (shared with the organization), else the first in the region.
     */
    public ImageReleased.Ami amiFor(String account, String region) {
        List<ImageReleased.Ami> inRegion = amis.stream().filter(a -> region.equals(a.region())).toList();
        return inRegion.stream().filter(a -> account.equals(a.accountId())).findFirst()
                .or(() -> inRegion.stream().filter(a -> a.accountId() == null || a.accountId().equals(ownerAccount())).findFirst())
                .orElse(inRegion.isEmpty() ? null : inRegion.get(0));
    }

    /** Version from the ARN ({@code x.y.z/build}), which both notice shapes carry. */
    static String versionFromArn(String arn) {
        if (arn == null) {
            return null;
        }
        String[] path = arn.substring(arn.indexOf(":image/") < 0 ? 0 : arn.indexOf(":image/") + 7).split("/");
        return path.length >= 3 ? path[1] + "/" + path[2] : null;
    }

    static String nameFromArn(String arn) {
        int at = arn == null ? -1 : arn.indexOf(":image/");
        return at < 0 ? null : arn.substring(at + 7).split("/")[0];
    }
}
