package io.amirollout.refresh;

import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The new AMI must have the architecture the group runs now: an arm64 AMI on x86_64 instances
 * never boots, and the refresh would fail (or roll back) after burning the whole window.
 *
 * <p>The current AMI is described by id, still naming the trusted Owners (the rule for every
 * DescribeImages call). When it is not visible that way (not owned by a trusted account, e.g. the
 * group still runs a stock AMI, or deregistered since), its architecture cannot be read; the group's
 * instance types are checked instead (DescribeInstanceTypes: each must support the new AMI's
 * architecture). With neither, the AMI is refused rather than guessed.
 */
public final class ArchitectureCheck {

    private final Ec2Client ec2;
    private final TrustedImageFinder finder;

    public ArchitectureCheck(Ec2Client ec2, TrustedImageFinder finder) {
        this.ec2 = ec2;
        this.finder = finder;
    }

    /**
     * What the group can run, read once per group: the current AMI's architecture when a trusted
     * account owns it, otherwise what each of the group's instance types supports.
     */
    public GroupArchitecture of(LaunchTemplateVersion current, GroupLaunchTemplate template) {
        String currentImageId = current.launchTemplateData() == null ? null : current.launchTemplateData().imageId();
        if (currentImageId != null) {
            Optional<Image> currentImage = finder.byId(currentImageId);
            if (currentImage.isPresent()) {
                return new GroupArchitecture(currentImageId, currentImage.get().architectureAsString(), Map.of(),
                        platform(currentImage.get()));
            }
        }
        Set<String> types = instanceTypes(current, template);
        Map<String, Set<String>> supported = new LinkedHashMap<>();
        if (!types.isEmpty()) {
            List<InstanceTypeInfo> infos = ec2.describeInstanceTypesPaginator(DescribeInstanceTypesRequest.builder()
                    .instanceTypesWithStrings(types).build()).instanceTypes().stream().toList();
            for (String type : types) {
                supported.put(type, infos.stream().filter(i -> type.equals(i.instanceTypeAsString()))
                        .filter(i -> i.processorInfo() != null)
                        .flatMap(i -> i.processorInfo().supportedArchitecturesAsStrings().stream())
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
            }
        }
        return new GroupArchitecture(currentImageId, null, supported, null);
    }

    /** "windows" or "linux/unix": DescribeImages sets Platform only for Windows AMIs. */
    static String platform(Image image) {
        return image.platform() != null && "windows".equalsIgnoreCase(image.platformAsString()) ? "windows" : "linux/unix";
    }

    /**
     * @param currentImageId      the AMI the group's effective version names
     * @param currentArchitecture that AMI's architecture, or null when it is not visible among the trusted owners' images
     * @param instanceTypes       otherwise: each instance type of the group and the architectures it supports
     * @param currentPlatform     windows or linux/unix when the current AMI is visible, else null (not checked)
     */
    public record GroupArchitecture(String currentImageId, String currentArchitecture, Map<String, Set<String>> instanceTypes,
                                    String currentPlatform) {

        /** Architectures an AMI may have for this group; empty when nothing could be read (then every AMI is refused). */
        public Set<String> architectures() {
            if (currentArchitecture != null) {
                return Set.of(currentArchitecture);
            }
            Set<String> common = null;
            for (Set<String> supported : instanceTypes.values()) {
                if (common == null) {
                    common = new LinkedHashSet<>(supported);
                } else {
                    common.retainAll(supported);
                }
            }
            return common == null ? Set.of() : Set.copyOf(common);
        }

        /** Why {@code candidate} cannot run where the group runs now, or empty when it can. */
        public Optional<String> refusal(Image candidate) {
            String wanted = candidate.architectureAsString();
            if (currentPlatform != null && !currentPlatform.equals(platform(candidate))) {
                return Optional.of("AMI " + candidate.imageId() + " is " + platform(candidate) + " but the group runs "
                        + currentPlatform + " (" + currentImageId + ")");
            }
            if (currentArchitecture != null) {
                return currentArchitecture.equals(wanted) ? Optional.empty()
                        : Optional.of("AMI " + candidate.imageId() + " is " + wanted + " but the group runs "
                        + currentArchitecture + " (" + currentImageId + ")");
            }
            if (instanceTypes.isEmpty()) {
                return Optional.of("cannot verify the architecture: the current AMI " + currentImageId
                        + " is not visible among the trusted owners' images and the group names no instance types");
            }
            for (Map.Entry<String, Set<String>> type : instanceTypes.entrySet()) {
                if (wanted == null || !type.getValue().contains(wanted)) {
                    return Optional.of("AMI " + candidate.imageId() + " is " + wanted + " but instance type " + type.getKey()
                            + " of the group does not support it");
                }
            }
            return Optional.empty();
        }
    }

    private static Set<String> instanceTypes(LaunchTemplateVersion current, GroupLaunchTemplate template) {
        Set<String> types = new LinkedHashSet<>();
        if (template.mixed()) {
            for (LaunchTemplateOverrides override : template.mixedPolicy().launchTemplate().overrides()) {
                if (override.instanceType() != null) {
                    types.add(override.instanceType());
                }
            }
        }
        if (types.isEmpty() && current.launchTemplateData() != null && current.launchTemplateData().instanceType() != null) {
            types.add(current.launchTemplateData().instanceTypeAsString());
        }
        return types;
    }
}
