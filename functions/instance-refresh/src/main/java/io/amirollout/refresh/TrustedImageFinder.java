package io.amirollout.refresh;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds AMIs, only ever among the trusted owners' images. Every DescribeImages call names
 * {@code Owners} (so EC2 never returns a public look-alike), and every image that comes back is
 * checked again here against the trusted list: the defence does not rest on one filter alone.
 */
public final class TrustedImageFinder {

    private final Ec2Client ec2;
    private final List<String> trustedOwners;
    private final java.time.Clock clock;

    public TrustedImageFinder(Ec2Client ec2, List<String> trustedOwners) {
        this(ec2, trustedOwners, java.time.Clock.systemUTC());
    }

    public TrustedImageFinder(Ec2Client ec2, List<String> trustedOwners, java.time.Clock clock) {
        if (trustedOwners.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted image owner is required");
        }
        this.ec2 = ec2;
        this.trustedOwners = List.copyOf(trustedOwners);
        this.clock = clock;
    }

    /**
     * The AMI with this id if a trusted account owns it. DescribeImages with ImageIds and Owners
     * returns only images matching both (Owners scopes the results), so an untrusted or unknown id
     * comes back empty rather than as an error.
     */
    public Optional<Image> byId(String imageId) {
        try {
            return ec2.describeImagesPaginator(DescribeImagesRequest.builder()
                            .imageIds(imageId)
                            .owners(trustedOwners)
                            .includeDeprecated(true)
                            .build())
                    .images().stream()
                    .filter(i -> imageId.equals(i.imageId()))
                    .filter(this::trusted)
                    .findFirst();
        } catch (Ec2Exception e) {
            // An id that does not exist (any more) is an error, not an empty answer, for EC2:
            // InvalidAMIID.NotFound / .Malformed / .Unavailable. For us it is simply "not a trusted AMI".
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (code != null && code.startsWith("InvalidAMIID")) {
                Log.info("AMI not found", "imageId", imageId, "errorCode", code);
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The newest available trusted AMI of image {@code imageName} (by CreationDate) that has one
     * of {@code architectures} (empty = any; the caller then refuses what it cannot verify).
     * Names are only a selector inside the trusted owners' images, never a proof. The server-side
     * name filter is a wide prefix; {@link ImageNames#matches} then keeps only this image's AMIs, so
     * a later "golden-al2023-arm64 …" build never stands in for "golden-al2023". The architecture
     * is asked of EC2 too ({@code architecture} filter) and checked again on what comes back.
     */
    public Optional<Image> newestByName(String imageName, Set<String> architectures) {
        return newestByName(imageName, architectures, Set.of());
    }

    /** Same, never one of {@code excluded} (the AMIs rejected for the group): the newest of the others. */
    public Optional<Image> newestByName(String imageName, Set<String> architectures, Set<String> excluded) {
        List<Filter> filters = new ArrayList<>(List.of(
                Filter.builder().name("name").values(imageName, imageName + "*").build(),
                Filter.builder().name("state").values("available").build()));
        if (!architectures.isEmpty()) {
            filters.add(Filter.builder().name("architecture").values(List.copyOf(architectures)).build());
        }
        return ec2.describeImagesPaginator(DescribeImagesRequest.builder()
                        .owners(trustedOwners)
                        .filters(filters)
                        .build())
                .images().stream()
                .filter(this::trusted)
                .filter(i -> i.state() == ImageState.AVAILABLE)
                .filter(i -> ImageNames.matches(imageName, i.name()))
                .filter(i -> architectures.isEmpty() || architectures.contains(i.architectureAsString()))
                .filter(i -> !excluded.contains(i.imageId()))
                .filter(i -> deprecation(i).isEmpty())
                .max(NEWEST);
    }

    /** Orders images by CreationDate (ISO-8601 text, so text order is time order). */
    static final Comparator<Image> NEWEST = Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate());

    /** Why this image may not be rolled out, or empty when it may. */
    public Optional<String> refusal(Image image) {
        if (!trusted(image)) {
            return Optional.of("AMI " + image.imageId() + " is owned by " + image.ownerId()
                    + ", which is not a trusted image owner (" + String.join(", ", trustedOwners) + ")");
        }
        if (image.state() != ImageState.AVAILABLE) {
            return Optional.of("AMI " + image.imageId() + " is " + image.stateAsString() + ", not available"
                    + (image.state() == ImageState.DISABLED ? " (disabled: it cannot launch instances)" : ""));
        }
        return deprecation(image);
    }

    /**
     * A deprecated AMI is refused even for its owner. EC2 hides deprecated AMIs from DescribeImages for other
     * accounts unless IncludeDeprecated is set, but "if you are the AMI owner, all deprecated AMIs appear in the
     * response regardless of what you specify for this parameter" (DescribeImages, IncludeDeprecated): the owner's
     * own deprecated builds must be filtered here.
     */
    Optional<String> deprecation(Image image) {
        String time = image.deprecationTime();
        if (time == null || time.isBlank()) {
            return Optional.empty();
        }
        try {
            java.time.Instant at = java.time.Instant.parse(time);
            return at.isAfter(clock.instant()) ? Optional.empty()
                    : Optional.of("AMI " + image.imageId() + " is deprecated since " + time);
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.of("AMI " + image.imageId() + " has a DeprecationTime EC2 did not format as expected (" + time
                    + "); refused rather than guessed");
        }
    }

    public List<String> trustedOwners() {
        return trustedOwners;
    }

    private boolean trusted(Image image) {
        boolean trusted = image.ownerId() != null && Set.copyOf(trustedOwners).contains(image.ownerId());
        if (!trusted) {
            Log.warn("ignoring an AMI not owned by a trusted account", "imageId", image.imageId(),
                    "ownerId", image.ownerId(), "name", image.name());
        }
        return trusted;
    }
}
