package io.amirollout.refresh;

import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureType;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /** Why {@code candidate} cannot run where the group runs now, or empty when it can. */
    public Optional<String> refusal(Image candidate, LaunchTemplateVersion current, GroupLaunchTemplate template) {
        String wanted = candidate.architectureAsString();
        String currentImageId = current.launchTemplateData() == null ? null : current.launchTemplateData().imageId();
        if (currentImageId != null) {
            Optional<Image> currentImage = finder.byId(currentImageId);
            if (currentImage.isPresent()) {
                String running = currentImage.get().architectureAsString();
                return running != null && running.equals(wanted) ? Optional.empty()
                        : Optional.of("AMI " + candidate.imageId() + " is " + wanted + " but the group runs "
                        + running + " (" + currentImageId + ")");
            }
        }
        Set<String> types = instanceTypes(current, template);
        if (types.isEmpty()) {
            return Optional.of("cannot verify the architecture: the current AMI " + currentImageId
                    + " is not visible among the trusted owners' images and the group names no instance types");
        }
        List<InstanceTypeInfo> infos = ec2.describeInstanceTypesPaginator(DescribeInstanceTypesRequest.builder()
                .instanceTypesWithStrings(types).build()).instanceTypes().stream().toList();
        for (String type : types) {
            Optional<InstanceTypeInfo> info = infos.stream().filter(i -> type.equals(i.instanceTypeAsString())).findFirst();
            boolean supported = info.isPresent() && info.get().processorInfo() != null
                    && info.get().processorInfo().supportedArchitectures().contains(ArchitectureType.fromValue(wanted));
            if (!supported) {
                return Optional.of("AMI " + candidate.imageId() + " is " + wanted + " but instance type " + type
                        + " of the group does not support it");
            }
        }
        return Optional.empty();
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
