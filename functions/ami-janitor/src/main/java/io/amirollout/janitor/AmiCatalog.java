package io.amirollout.janitor;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads AMIs, always naming the infra account as {@code Owners} (never an AMI of anyone else, whatever
 * its name). An AMI is considered only when Image Builder's own tags say this project's pipeline made it:
 * {@code CreatedBy=EC2 Image Builder} and an {@code Ec2ImageBuilderArn} of an image in the infra account
 * with one of the configured image names. The filters narrow the answer; the checks here decide.
 */
final class AmiCatalog {

    private final String owner;

    AmiCatalog(String owner) {
        this.owner = owner;
    }

    /** This image name's AMIs in the region, newest first (all pages). */
    List<Ami> list(Ec2Client ec2, String region, String imageName) {
        List<String> arnPatterns = new ArrayList<>(new LinkedHashSet<>(List.of(
                "arn:*:imagebuilder:*:" + owner + ":image/" + imageName + "/*",
                "arn:*:imagebuilder:*:" + owner + ":image/" + imageName.toLowerCase(Locale.ROOT) + "/*")));
        DescribeImagesRequest request = DescribeImagesRequest.builder()
                .owners(owner)
                // We own them: EC2 lists our deprecated AMIs anyway; saying so keeps marked AMIs in view.
                .includeDeprecated(true)
                .filters(Filter.builder().name("tag:" + JanitorTags.CREATED_BY).values(JanitorTags.CREATED_BY_IMAGE_BUILDER).build(),
                        Filter.builder().name("tag:" + JanitorTags.BUILDER_ARN).values(arnPatterns).build())
                .build();
        List<Ami> amis = new ArrayList<>();
        for (Image image : ec2.describeImagesPaginator(request).images()) {
            Ami ami = toAmi(region, image, imageName);
            if (ami != null) {
                amis.add(ami);
            }
        }
        amis.sort(Comparator.comparing(Ami::created).reversed().thenComparing(Ami::imageId));
        return amis;
    }

    /**
     * Which of our images use each snapshot: every AMI the infra account owns (this pipeline's or not), so a
     * snapshot another AMI also uses is never deleted. One listing (all pages) instead of a
     * {@code block-device-mapping.snapshot-id} filter per snapshot: fewer calls per region, and moto answers it.
     */
    Map<String, List<String>> snapshotUsers(Ec2Client ec2) {
        DescribeImagesRequest request = DescribeImagesRequest.builder().owners(owner).includeDeprecated(true).build();
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (Image image : ec2.describeImagesPaginator(request).images()) {
            for (BlockDeviceMapping mapping : image.blockDeviceMappings()) {
                if (mapping.ebs() != null && mapping.ebs().snapshotId() != null) {
                    users.computeIfAbsent(mapping.ebs().snapshotId(), k -> new ArrayList<>()).add(image.imageId());
                }
            }
        }
        return users;
    }

    static List<String> othersUsing(Map<String, List<String>> users, String snapshotId, String imageId) {
        return users.getOrDefault(snapshotId, List.of()).stream().filter(id -> !id.equals(imageId)).toList();
    }

    /** Null when the image is not this project's (the checks every AMI must pass before it is considered). */
    Ami toAmi(String region, Image image, String imageName) {
        if (!owner.equals(image.ownerId())) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : image.tags()) {
            tags.put(tag.key(), tag.value());
        }
        if (!JanitorTags.CREATED_BY_IMAGE_BUILDER.equals(tags.get(JanitorTags.CREATED_BY))) {
            return null;
        }
        String arn = tags.get(JanitorTags.BUILDER_ARN);
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length != 6 || !"imagebuilder".equals(parts[2]) || !owner.equals(parts[4])) {
            return null;
        }
        String[] resource = parts[5].split("/");
        if (resource.length < 2 || !"image".equals(resource[0]) || !resource[1].equalsIgnoreCase(imageName)) {
            return null;
        }
        if (image.stateAsString() != null && !"available".equals(image.stateAsString())) {
            Log.info("skipped: AMI is not available", "imageId", image.imageId(), "state", image.stateAsString());
            return null;
        }
        Instant created = instant(image.creationDate());
        if (created == null) {
            return null;
        }
        List<String> snapshots = image.blockDeviceMappings().stream().map(BlockDeviceMapping::ebs)
                .filter(Objects::nonNull).map(ebs -> ebs.snapshotId()).filter(Objects::nonNull).distinct().toList();
        String protection = image.deregistrationProtection();
        boolean protectedFromDeregistration = protection != null && protection.toLowerCase(Locale.ROOT).startsWith("enabled");
        return new Ami(region, image.imageId(), image.name(), resource[1], arn, created, instant(image.lastLaunchedTime()),
                tags, protectedFromDeregistration, instant(image.deprecationTime()), snapshots);
    }

    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
