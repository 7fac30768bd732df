package io.amirollout.janitor;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageUsageReport;
import software.amazon.awssdk.services.ec2.model.ImageUsageReportEntry;
import software.amazon.awssdk.services.ec2.model.ImageUsageResourceTypeOptionRequest;
import software.amazon.awssdk.services.ec2.model.ImageUsageResourceTypeRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    /** A report older than this is still used, but the next one is requested (ready for tomorrow's run). */
    static final Duration REFRESH_AFTER = Duration.ofHours(20);

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
     * The answer of the newest available report created at or after {@code notBefore} (failed reports are
     * ignored). When that report is missing or older than {@link #REFRESH_AFTER} and no newer one is pending,
     * the next report is requested, with a client token fixed per image and day, so a repeated run the same
     * day requests nothing new.
     */
    Answer check(Ec2Client ec2, String imageId, Instant notBefore, Instant now) {
        List<ImageUsageReport> recent = new ArrayList<>();
        ec2.describeImageUsageReportsPaginator(r -> r.imageIds(imageId)).imageUsageReports().forEach(r -> {
            if (imageId.equals(r.imageId()) && r.creationTime() != null && !r.creationTime().isBefore(notBefore)) {
                recent.add(r);
            }
        });
        ImageUsageReport available = newest(recent, "available");
        ImageUsageReport pending = newest(recent, "pending");
        boolean stale = available == null || available.creationTime().isBefore(now.minus(REFRESH_AFTER));
        String requested = null;
        if (stale && (pending == null || pending.creationTime().isBefore(now.minus(REFRESH_AFTER)))) {
            // Ask for the next report now, so a fresh one is ready for the next daily run.
            requested = request(ec2, imageId, now);
        }
        if (available == null) {
            return new Unknown(pending != null ? "usage report " + pending.reportId() + " is still pending"
                    : "usage report " + requested + " requested " + JanitorDecider.day(now) + ", not ready yet");
        }
        List<String> users = new ArrayList<>();
        for (ImageUsageReportEntry entry : ec2.describeImageUsageReportEntriesPaginator(r -> r.reportIds(available.reportId()))
                .imageUsageReportEntries()) {
            if (entry.usageCount() != null && entry.usageCount() > 0 && (entry.imageId() == null || imageId.equals(entry.imageId()))) {
                users.add(entry.usageCount() + " " + (entry.resourceType() == null ? "resource(s)" : entry.resourceType())
                        + " in " + entry.accountId());
            }
        }
        return users.isEmpty() ? new Unused(available.reportId()) : new Used(users, available.reportId());
    }

    private static ImageUsageReport newest(List<ImageUsageReport> reports, String state) {
        return reports.stream().filter(r -> state.equals(r.state()))
                .max(Comparator.comparing(ImageUsageReport::creationTime)).orElse(null);
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
