package io.amirollout.janitor;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CreateImageUsageReportRequest;
import software.amazon.awssdk.services.ec2.model.CreateImageUsageReportResponse;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.DeleteTagsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeregisterImageRequest;
import software.amazon.awssdk.services.ec2.model.DeregisterImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImageUsageReportEntriesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageUsageReportEntriesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImageUsageReportsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageUsageReportsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DisableImageDeprecationRequest;
import software.amazon.awssdk.services.ec2.model.DisableImageDeprecationResponse;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationRequest;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageUsageReport;
import software.amazon.awssdk.services.ec2.model.ImageUsageReportEntry;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small EC2 of one region for the janitor's scenario tests: AMIs with tags and snapshots, deprecation,
 * deregistration, snapshots, and image usage reports that take an hour (of the test clock) to become
 * available and then report what {@link #useIn} says. Every call is recorded as its IAM action.
 * moto covers the same ground in integration-tests (JanitorIT); this fake runs in milliseconds.
 */
final class FakeEc2 implements Ec2Client {

    static final String OWNER = "111122223333";

    final Map<String, Image> images = new LinkedHashMap<>();
    final Set<String> snapshots = new LinkedHashSet<>();
    final List<String> calls = new ArrayList<>();
    /** image id -> account -> running instances (what a usage report created now would say). */
    final Map<String, Map<String, Long>> usage = new LinkedHashMap<>();
    private final Map<String, ImageUsageReport> reports = new LinkedHashMap<>();
    private final Map<String, List<ImageUsageReportEntry>> entries = new LinkedHashMap<>();
    private final Clock clock;
    private int nextReport = 1;
    /** When set, DescribeImages answers this many throttling errors first (the SDK retries 3 times in all). */
    int throttleDescribeImages;
    /** When set, DeleteSnapshot answers this many throttling errors first. */
    int throttleDeleteSnapshot;
    /** When set, DeregisterImage is refused with this error code. */
    String refuseDeregister;

    FakeEc2(Clock clock) {
        this.clock = clock;
    }

    /** Adds an AMI this project's pipeline made, with one snapshot per id given. */
    Image add(String imageId, String imageName, Instant created, Map<String, String> extraTags, String... snapshotIds) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("CreatedBy", "EC2 Image Builder");
        tags.put("Ec2ImageBuilderArn", "arn:aws:imagebuilder:eu-west-1:" + OWNER + ":image/" + imageName + "/1.0.0/" + imageId.hashCode());
        tags.putAll(extraTags);
        List<BlockDeviceMapping> devices = new ArrayList<>();
        for (int i = 0; i < snapshotIds.length; i++) {
            devices.add(BlockDeviceMapping.builder().deviceName("/dev/xvd" + (char) ('a' + i))
                    .ebs(EbsBlockDevice.builder().snapshotId(snapshotIds[i]).build()).build());
            snapshots.add(snapshotIds[i]);
        }
        Image image = Image.builder().imageId(imageId).ownerId(OWNER).name(imageName + " " + created).state("available")
                .creationDate(created.toString()).tags(toTags(tags)).blockDeviceMappings(devices)
                .deregistrationProtection("disabled").build();
        images.put(imageId, image);
        return image;
    }

    void put(Image image) {
        images.put(image.imageId(), image);
    }

    void useIn(String imageId, String account, long instances) {
        usage.computeIfAbsent(imageId, k -> new LinkedHashMap<>()).put(account, instances);
    }

    void stopUsing(String imageId) {
        usage.remove(imageId);
    }

    Map<String, String> tags(String imageId) {
        Map<String, String> tags = new LinkedHashMap<>();
        images.get(imageId).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    List<String> mutations() {
        return calls.stream().filter(c -> !c.startsWith("ec2:Describe") && !c.startsWith("ec2:CreateImageUsageReport")).toList();
    }

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest request) {
        calls.add("ec2:DescribeImages");
        if (throttleDescribeImages > 0) {
            throttleDescribeImages--;
            throw (Ec2Exception) Ec2Exception.builder().statusCode(503).message("Request limit exceeded.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded").errorMessage("Request limit exceeded.")
                            .serviceName("Ec2").build()).build();
        }
        List<Image> matching = images.values().stream()
                .filter(i -> request.owners().isEmpty() || request.owners().contains(i.ownerId()))
                .filter(i -> request.filters().stream().allMatch(f -> matches(i, f))).toList();
        // Pages of two, so the SDK paginator has to follow nextToken.
        int start = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        int end = Math.min(matching.size(), start + 2);
        return DescribeImagesResponse.builder().images(matching.subList(start, end))
                .nextToken(end < matching.size() ? Integer.toString(end) : null).build();
    }

    private static boolean matches(Image image, Filter filter) {
        if (filter.name().startsWith("tag:")) {
            String key = filter.name().substring(4);
            return image.tags().stream().anyMatch(t -> t.key().equals(key)
                    && filter.values().stream().anyMatch(v -> glob(v).matcher(t.value()).matches()));
        }
        throw new UnsupportedOperationException("filter " + filter.name());
    }

    private static Pattern glob(String value) {
        return Pattern.compile(Pattern.quote(value).replace("*", "\\E.*\\Q"));
    }

    @Override
    public CreateTagsResponse createTags(CreateTagsRequest request) {
        calls.add("ec2:CreateTags " + request.resources() + " " + request.tags().get(0).key());
        for (String id : request.resources()) {
            Map<String, String> tags = tags(id);
            request.tags().forEach(t -> tags.put(t.key(), t.value()));
            images.put(id, images.get(id).toBuilder().tags(toTags(tags)).build());
        }
        return CreateTagsResponse.builder().build();
    }

    @Override
    public DeleteTagsResponse deleteTags(DeleteTagsRequest request) {
        calls.add("ec2:DeleteTags " + request.resources());
        for (String id : request.resources()) {
            Map<String, String> tags = tags(id);
            request.tags().forEach(t -> tags.remove(t.key()));
            images.put(id, images.get(id).toBuilder().tags(toTags(tags)).build());
        }
        return DeleteTagsResponse.builder().build();
    }

    @Override
    public EnableImageDeprecationResponse enableImageDeprecation(EnableImageDeprecationRequest request) {
        calls.add("ec2:EnableImageDeprecation " + request.imageId());
        images.put(request.imageId(), require(request.imageId()).toBuilder().deprecationTime(request.deprecateAt().toString()).build());
        return EnableImageDeprecationResponse.builder().returnValue(true).build();
    }

    @Override
    public DisableImageDeprecationResponse disableImageDeprecation(DisableImageDeprecationRequest request) {
        calls.add("ec2:DisableImageDeprecation " + request.imageId());
        images.put(request.imageId(), require(request.imageId()).toBuilder().deprecationTime(null).build());
        return DisableImageDeprecationResponse.builder().returnValue(true).build();
    }

    @Override
    public DeregisterImageResponse deregisterImage(DeregisterImageRequest request) {
        calls.add("ec2:DeregisterImage " + request.imageId());
        if (refuseDeregister != null) {
            throw error(refuseDeregister, "You are not authorized to perform this operation.");
        }
        Image image = require(request.imageId());
        if (image.deregistrationProtection() != null && image.deregistrationProtection().startsWith("enabled")) {
            throw error("InvalidParameterValue", "deregistration protection is enabled");
        }
        images.remove(request.imageId());
        return DeregisterImageResponse.builder().returnValue(true).build();
    }

    @Override
    public DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest request) {
        calls.add("ec2:DeleteSnapshot " + request.snapshotId());
        if (throttleDeleteSnapshot > 0) {
            throttleDeleteSnapshot--;
            throw (Ec2Exception) Ec2Exception.builder().statusCode(503).message("Request limit exceeded.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded").errorMessage("Request limit exceeded.")
                            .serviceName("Ec2").build()).build();
        }
        if (!snapshots.contains(request.snapshotId())) {
            throw error("InvalidSnapshot.NotFound", "The snapshot '" + request.snapshotId() + "' does not exist.");
        }
        boolean inUse = images.values().stream().anyMatch(i -> i.blockDeviceMappings().stream()
                .anyMatch(m -> m.ebs() != null && request.snapshotId().equals(m.ebs().snapshotId())));
        if (inUse) {
            throw error("InvalidSnapshot.InUse", "The snapshot " + request.snapshotId() + " is currently in use by an AMI");
        }
        snapshots.remove(request.snapshotId());
        return DeleteSnapshotResponse.builder().build();
    }

    @Override
    public CreateImageUsageReportResponse createImageUsageReport(CreateImageUsageReportRequest request) {
        calls.add("ec2:CreateImageUsageReport " + request.imageId());
        for (ImageUsageReport existing : reports.values()) {
            if (existing.tags().stream().anyMatch(t -> t.value().equals(request.clientToken()))) {
                return CreateImageUsageReportResponse.builder().reportId(existing.reportId()).build();
            }
        }
        String id = "amiur-" + String.format("%017d", nextReport++);
        reports.put(id, ImageUsageReport.builder().reportId(id).imageId(request.imageId()).state("pending")
                .creationTime(clock.instant()).tags(Tag.builder().key("token").value(request.clientToken()).build()).build());
        return CreateImageUsageReportResponse.builder().reportId(id).build();
    }

    @Override
    public DescribeImageUsageReportsResponse describeImageUsageReports(DescribeImageUsageReportsRequest request) {
        calls.add("ec2:DescribeImageUsageReports");
        List<ImageUsageReport> out = new ArrayList<>();
        for (ImageUsageReport stored : new ArrayList<>(reports.values())) {
            ImageUsageReport report = stored;
            if (!request.imageIds().contains(report.imageId())) {
                continue;
            }
            if ("pending".equals(report.state()) && Duration.between(report.creationTime(), clock.instant()).toHours() >= 1) {
                // Ready: the report says who uses the image now.
                List<ImageUsageReportEntry> found = new ArrayList<>();
                usage.getOrDefault(stored.imageId(), Map.of()).forEach((account, count) -> found.add(ImageUsageReportEntry.builder()
                        .reportId(stored.reportId()).imageId(stored.imageId()).accountId(account).resourceType("ec2:Instance")
                        .usageCount(count).reportCreationTime(stored.creationTime()).build()));
                entries.put(report.reportId(), found);
                report = report.toBuilder().state("available").build();
                reports.put(report.reportId(), report);
            }
            out.add(report);
        }
        return DescribeImageUsageReportsResponse.builder().imageUsageReports(out).build();
    }

    @Override
    public DescribeImageUsageReportEntriesResponse describeImageUsageReportEntries(DescribeImageUsageReportEntriesRequest request) {
        calls.add("ec2:DescribeImageUsageReportEntries");
        List<ImageUsageReportEntry> out = new ArrayList<>();
        request.reportIds().forEach(id -> out.addAll(entries.getOrDefault(id, List.of())));
        return DescribeImageUsageReportEntriesResponse.builder().imageUsageReportEntries(out).build();
    }

    private Image require(String imageId) {
        Image image = images.get(imageId);
        if (image == null) {
            throw error("InvalidAMIID.NotFound", "The image id '[" + imageId + "]' does not exist");
        }
        return image;
    }

    static Ec2Exception error(String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(400).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ec2").build()).build();
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    @Override
    public String serviceName() {
        return "ec2";
    }

    @Override
    public void close() {
    }
}
