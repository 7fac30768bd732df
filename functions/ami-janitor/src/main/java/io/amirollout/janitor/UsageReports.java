package io.amirollout.janitor;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageUsageReport;
import software.amazon.awssdk.services.ec2.model.ImageUsageReportEntry;
import software.amazon.awssdk.services.ec2.model.ImageUsageResourceTypeOptionRequest;
import software.amazon.awssdk.services.ec2.model.ImageUsageResourceTypeRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Who in the organization uses an AMI, from EC2's image usage reports: "Creates a report that shows how
 * your image is used across other Amazon Web Services accounts ... which accounts are using the specified
 * image, and how many resources (EC2 instances or launch templates) are referencing it" (CreateImageUsageReport).
 * A report is created asynchronously ({@code pending}, then {@code available} or {@code error}), so one run
 * requests it and a later run reads it; until then the AMI's use is unknown, which counts as in use.
 *
 * <p>Launch templates are checked to {@value #VERSION_DEPTH} versions deep ("version-depth - The number of
 * launch template versions to check", 1-10000, default 20): rollback targets are usually a version or two
 * back, and the janitor also reads the groups' own versions ({@link GroupReferences}).
 */
final class UsageReports {

    static final String VERSION_DEPTH = "100";

    /** What the freshest usable report says. */
    sealed interface Answer permits Used, Unused, Unknown {
    }

    /** Accounts and resources that use the image, in words. */
    record Used(List<String> users, String reportId) implements Answer {
    }

    record Unused(String reportId) implements Answer {
    }

    record Unknown(String why) implements Answer {
    }

    /**
     * The answer of the newest report created at or after {@code notBefore}; when there is none (or only a
     * failed one), a new report is requested with a client token fixed per image and day, so a repeated
     * run the same day requests nothing new.
     */
    Answer check(Ec2Client ec2, String imageId, Instant notBefore, Instant now) {
        List<ImageUsageReport> reports = new ArrayList<>();
        ec2.describeImageUsageReportsPaginator(r -> r.imageIds(imageId)).imageUsageReports().forEach(reports::add);
        ImageUsageReport newest = reports.stream()
                .filter(r -> imageId.equals(r.imageId()) && r.creationTime() != null && !r.creationTime().isBefore(notBefore))
                .filter(r -> !"error".equals(r.state()))
                .max(Comparator.comparing(ImageUsageReport::creationTime)).orElse(null);
        if (newest == null) {
            String reportId = request(ec2, imageId, now);
            return new Unknown("usage report " + reportId + " requested " + JanitorDecider.day(now) + ", not ready yet");
        }
        if (!"available".equals(newest.state())) {
            return new Unknown("usage report " + newest.reportId() + " is " + newest.state());
        }
        List<String> users = new ArrayList<>();
        for (ImageUsageReportEntry entry : ec2.describeImageUsageReportEntriesPaginator(r -> r.reportIds(newest.reportId()))
                .imageUsageReportEntries()) {
            if (entry.usageCount() != null && entry.usageCount() > 0 && (entry.imageId() == null || imageId.equals(entry.imageId()))) {
                users.add(entry.usageCount() + " " + (entry.resourceType() == null ? "resource(s)" : entry.resourceType())
                        + " in " + entry.accountId());
            }
        }
        return users.isEmpty() ? new Unused(newest.reportId()) : new Used(users, newest.reportId());
    }

    private String request(Ec2Client ec2, String imageId, Instant now) {
        String token = UUID.nameUUIDFromBytes(("ami-janitor\n" + imageId + "\n" + JanitorDecider.day(now))
                .getBytes(StandardCharsets.UTF_8)).toString();
        String reportId = ec2.createImageUsageReport(r -> r.imageId(imageId).clientToken(token).resourceTypes(
                ImageUsageResourceTypeRequest.builder().resourceType("ec2:Instance").build(),
                ImageUsageResourceTypeRequest.builder().resourceType("ec2:LaunchTemplate").resourceTypeOptions(
                        ImageUsageResourceTypeOptionRequest.builder().optionName("version-depth").optionValues(VERSION_DEPTH).build())
                        .build())).reportId();
        Log.info("usage report requested", "imageId", imageId, "reportId", reportId);
        return reportId;
    }
}
