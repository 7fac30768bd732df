package io.amirollout.invoker;

import io.amirollout.shared.ImageReleased;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Whether the target accounts may launch the AMI they would be sent: {@code DescribeImageAttribute
 * launchPermission} on each region's AMI owned by the image account. An account may launch it when the
 * launch permissions name the organization or an OU (Image Builder's {@code OrganizationArns} /
 * {@code OrganizationalUnitArns}), the {@code all} group, or the account itself; an AMI distributed into
 * the account itself (Image Builder's {@code targetAccountIds}) needs no sharing. OU membership is not
 * re-checked here: an OU in the launch permissions is taken to cover the accounts listed under it.
 */
final class LaunchPermissions {

    private final Function<Region, Ec2Client> ec2;
    private final Map<Region, Ec2Client> clients = new ConcurrentHashMap<>();

    LaunchPermissions(Function<Region, Ec2Client> ec2) {
        this.ec2 = ec2;
    }

    /** Targets (account/region) whose AMI is not shared with their account: empty when all may launch. */
    List<String> notShared(BuiltImage image, List<String> accounts, List<String> regions) {
        List<String> missing = new ArrayList<>();
        String owner = image.ownerAccount();
        for (String region : regions) {
            Sharing sharing = null;
            for (String account : accounts) {
                ImageReleased.Ami ami = image.amiFor(account, region);
                if (ami == null || account.equals(ami.accountId()) || account.equals(owner)) {
                    continue; // its own copy (or no AMI: reported by the fan-out itself)
                }
                if (sharing == null) {
                    sharing = read(region, ami.imageId());
                }
                if (!sharing.covers(account)) {
                    missing.add(account + "/" + region + " (" + ami.imageId() + ")");
                }
            }
        }
        return missing;
    }

    private Sharing read(String region, String imageId) {
        Ec2Client client = clients.computeIfAbsent(Region.of(region), ec2);
        List<LaunchPermission> permissions = client.describeImageAttribute(r -> r.imageId(imageId)
                .attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions();
        return new Sharing(permissions);
    }

    private record Sharing(List<LaunchPermission> permissions) {
        boolean covers(String account) {
            return permissions.stream().anyMatch(p -> p.organizationArn() != null || p.organizationalUnitArn() != null
                    || "all".equals(p.groupAsString()) || account.equals(p.userId()));
        }
    }
}
