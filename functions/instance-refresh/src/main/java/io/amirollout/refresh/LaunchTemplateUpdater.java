package io.amirollout.refresh;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDeviceRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads launch-template versions and creates the version that carries a new AMI, once.
 *
 * <p>Idempotency has two layers. First, an existing version created by this function from the
 * same source version with the same AMI is reused (found by EC2's {@code image-id} filter and our
 * description marker), which holds forever. Second, the create call carries a ClientToken derived
 * from template id + source version + AMI id, so two concurrent duplicates still make one version
 * (EC2 keeps client tokens for a limited time, which is why the first layer exists).
 */
public final class LaunchTemplateUpdater {

    /** Start of every description this function writes; marks versions it may reuse. */
    static final String DESCRIPTION_MARKER = "ami-rollout:";
    /** VersionDescription allows 255 characters. */
    static final int DESCRIPTION_LIMIT = 255;

    private final Ec2Client ec2;

    public LaunchTemplateUpdater(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /**
     * The numbered version the group effectively runs: $Latest and $Default are resolved by EC2
     * (DescribeLaunchTemplateVersions accepts them in Versions), so the answer has a real number.
     */
    public LaunchTemplateVersion effectiveVersion(GroupLaunchTemplate template) {
        return one(template.templateId(), template.templateName(), template.version())
                .orElseThrow(() -> new IllegalStateException("launch template " + template.label() + " was not found"));
    }

    /** A numbered version of a template, if it exists. */
    public Optional<LaunchTemplateVersion> version(String templateId, String version) {
        return one(templateId, null, version);
    }

    private Optional<LaunchTemplateVersion> one(String templateId, String templateName, String version) {
        DescribeLaunchTemplateVersionsRequest.Builder request = DescribeLaunchTemplateVersionsRequest.builder().versions(version);
        if (templateId != null) {
            request.launchTemplateId(templateId);
        } else {
            request.launchTemplateName(templateName);
        }
        return ec2.describeLaunchTemplateVersions(request.build()).launchTemplateVersions().stream().findFirst();
    }

    /** A version this function already made from {@code sourceVersion} with this AMI (lowest number), if any. */
    public Optional<LaunchTemplateVersion> existingVersionWith(String templateId, long sourceVersion, String imageId) {
        return ec2.describeLaunchTemplateVersionsPaginator(DescribeLaunchTemplateVersionsRequest.builder()
                        .launchTemplateId(templateId)
                        .minVersion(Long.toString(sourceVersion))
                        .filters(Filter.builder().name("image-id").values(imageId).build())
                        .build())
                .launchTemplateVersions().stream()
                .filter(v -> v.versionNumber() != null && v.versionNumber() > sourceVersion)
                .filter(v -> v.launchTemplateData() != null && imageId.equals(v.launchTemplateData().imageId()))
                .filter(v -> madeFrom(v.versionDescription(), sourceVersion))
                .min(Comparator.comparing(LaunchTemplateVersion::versionNumber));
    }

    /**
     * Creates a version from numbered {@code sourceVersion} (so every other launch parameter is
     * kept) with only the ImageId replaced. Returns the new version number.
     */
    public long createVersion(String templateId, long sourceVersion, Image image) {
        return createVersion(templateId, sourceVersion, image, List.of());
    }

    /**
     * Same, carrying the source version's block device mappings. Why: "Snapshots applied to the block device
     * mapping are ignored when creating a new version unless they are explicitly included" (EC2 API reference,
     * CreateLaunchTemplateVersion, SourceVersion): without them a data volume made from a snapshot would come up
     * empty. The list is the source's, whole (a member given in LaunchTemplateData replaces the inherited one).
     */
    public long createVersion(String templateId, long sourceVersion, Image image, List<LaunchTemplateBlockDeviceMapping> sourceMappings) {
        RequestLaunchTemplateData.Builder data = RequestLaunchTemplateData.builder().imageId(image.imageId());
        if (sourceMappings.stream().anyMatch(m -> m.ebs() != null && m.ebs().snapshotId() != null)) {
            data.blockDeviceMappings(sourceMappings.stream().map(LaunchTemplateUpdater::asRequest).toList());
        }
        return ec2.createLaunchTemplateVersion(CreateLaunchTemplateVersionRequest.builder()
                        .launchTemplateId(templateId)
                        .sourceVersion(Long.toString(sourceVersion))
                        .versionDescription(description(image, sourceVersion))
                        .clientToken(clientToken(templateId, sourceVersion, image.imageId()))
                        .launchTemplateData(data.build())
                        .build())
                .launchTemplateVersion().versionNumber();
    }

    /** A mapping as DescribeLaunchTemplateVersions shows it, as CreateLaunchTemplateVersion takes it (every field kept). */
    static LaunchTemplateBlockDeviceMappingRequest asRequest(LaunchTemplateBlockDeviceMapping m) {
        LaunchTemplateBlockDeviceMappingRequest.Builder out = LaunchTemplateBlockDeviceMappingRequest.builder()
                .deviceName(m.deviceName()).virtualName(m.virtualName()).noDevice(m.noDevice());
        LaunchTemplateEbsBlockDevice ebs = m.ebs();
        if (ebs != null) {
            out.ebs(LaunchTemplateEbsBlockDeviceRequest.builder().snapshotId(ebs.snapshotId()).volumeSize(ebs.volumeSize())
                    .volumeType(ebs.volumeTypeAsString()).encrypted(ebs.encrypted()).deleteOnTermination(ebs.deleteOnTermination())
                    .iops(ebs.iops()).kmsKeyId(ebs.kmsKeyId()).throughput(ebs.throughput())
                    .volumeInitializationRate(ebs.volumeInitializationRate()).build());
        }
        return out.build();
    }

    /** True for a description this function wrote for a version made from {@code sourceVersion}. */
    static boolean madeFrom(String description, long sourceVersion) {
        if (description == null || !description.startsWith(DESCRIPTION_MARKER)) {
            return false;
        }
        String from = " from version " + sourceVersion;
        return description.contains(from + " ") || description.endsWith(from);
    }

    /**
     * The source version of a version this function made (read from its description), or empty
     * for any other version.
     */
    static OptionalLong sourceVersion(LaunchTemplateVersion version) {
        String description = version.versionDescription();
        if (description == null || !description.startsWith(DESCRIPTION_MARKER)) {
            return OptionalLong.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" from version (\\d+)(?: |$)").matcher(description);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        long source = Long.parseLong(m.group(1));
        return version.versionNumber() != null && source < version.versionNumber() ? OptionalLong.of(source) : OptionalLong.empty();
    }

    static String description(Image image, long sourceVersion) {
        String text = DESCRIPTION_MARKER + " " + image.imageId() + " from version " + sourceVersion
                + (image.name() != null ? " (" + image.name() + ")" : "");
        return text.length() <= DESCRIPTION_LIMIT ? text : text.substring(0, DESCRIPTION_LIMIT);
    }

    /**
     * Deterministic token: the same template, source version and AMI always give the same token,
     * anything else a different one (no IdempotentParameterMismatch). 64 ASCII characters, within
     * EC2's limit.
     */
    static String clientToken(String templateId, long sourceVersion, String imageId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((templateId + "|" + sourceVersion + "|" + imageId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
