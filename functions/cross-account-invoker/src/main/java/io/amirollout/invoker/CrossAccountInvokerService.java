package io.amirollout.invoker;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * When a new image is AVAILABLE, invokes instance-refresh in every target account × region; when
 * its build FAILED, says so. One account's failure never stops the others; the summary names each.
 */
public final class CrossAccountInvokerService {

    /** The FANOUT_COMPLETED notice lists at most this many failures (an SNS message is limited to 256 KB). */
    static final int NOTICE_LIST_LIMIT = 50;

    private final CrossAccountInvokerConfig config;
    private final TargetAccounts targets;
    private final ImageLookup lookup;
    private final FanOut fanOut;
    private final NotificationPublisher publisher;
    private final Clock clock;

    public CrossAccountInvokerService(CrossAccountInvokerConfig config, OrganizationsClient organizations,
                                      ImagebuilderClient imagebuilder, StsClient sts, LambdaClientFactory lambdas,
                                      NotificationPublisher publisher, Clock clock) {
        this.config = config;
        this.targets = new TargetAccounts(organizations, config);
        this.lookup = new ImageLookup(imagebuilder);
        this.fanOut = new FanOut(sts, lambdas, config);
        this.publisher = publisher;
        this.clock = clock;
    }

    public CrossAccountInvokerConfig config() {
        return config;
    }

    public List<InvokerResult> handle(List<ImageEvent> events, boolean eventDryRun, LongSupplier remainingMillis) {
        List<InvokerResult> results = new ArrayList<>();
        for (ImageEvent event : events) {
            results.add(handleOne(event, config.dryRun() || eventDryRun, remainingMillis));
        }
        return results;
    }

    private InvokerResult handleOne(ImageEvent event, boolean dryRun, LongSupplier remainingMillis) {
        if (event.skipReason() != null) {
            Log.info("skipped: " + event.skipReason());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, event.skipReason(), event.shape(), null, dryRun);
        }
        BuiltImage image = event.image();
        Log.correlationId(image.arn());
        String status = image.status().toUpperCase(Locale.ROOT);
        if ("FAILED".equals(status)) {
            return buildFailed(image, event.shape(), dryRun);
        }
        if (!"AVAILABLE".equals(status)) {
            String reason = "image state " + status + ": nothing to roll out until it is AVAILABLE";
            Log.info("skipped: " + reason, "imageArn", image.arn());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, event.shape(), image, dryRun);
        }
        if (event.needsLookup()) {
            image = getImage(image);
            if (!"AVAILABLE".equalsIgnoreCase(image.status())) {
                String reason = "GetImage reports state " + image.status() + ", not AVAILABLE";
                Log.warn("skipped: " + reason, "imageArn", image.arn());
                return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, event.shape(), image, dryRun);
            }
        }
        return fanOut(image, event.shape(), dryRun, remainingMillis);
    }

    private BuiltImage getImage(BuiltImage image) {
        try {
            return lookup.get(image.arn());
        } catch (SdkException e) {
            String reason = "GetImage " + image.arn() + " failed: " + FanOut.describe(e);
            throw abort(image, reason, e);
        }
    }

    private InvokerResult buildFailed(BuiltImage image, String shape, boolean dryRun) {
        String reason = image.reason() != null ? image.reason() : "Image Builder gave no reason";
        Log.warn("image build failed: " + reason, "imageArn", image.arn());
        publisher.publish(notice(NotificationKind.IMAGE_BUILD_FAILED, "Image build failed: " + label(image), image)
                .detail("reason", reason).build());
        return InvokerResult.simple(InvokerResult.Status.IMAGE_BUILD_FAILED, reason, shape, image, dryRun);
    }

    private InvokerResult fanOut(BuiltImage image, String shape, boolean dryRun, LongSupplier remainingMillis) {
        List<String> imageRegions = image.regions();
        Set<String> wanted = new HashSet<>(config.targetRegions());
        List<String> regions = imageRegions.stream().filter(r -> wanted.isEmpty() || wanted.contains(r)).toList();
        List<String> skippedRegions = imageRegions.stream().filter(r -> !regions.contains(r)).toList();
        if (regions.isEmpty()) {
            String reason = imageRegions.isEmpty() ? "the AVAILABLE image lists no AMIs"
                    : "none of the image's regions " + imageRegions + " is in TARGET_REGIONS " + config.targetRegions();
            Log.warn("nothing to roll out: " + reason, "imageArn", image.arn());
            publisher.publish(notice(NotificationKind.FANOUT_COMPLETED, "Nothing rolled out for " + label(image), image)
                    .severity(Severity.WARNING).detail("reason", reason).detail("dryRun", dryRun ? true : null).build());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, shape, image, dryRun);
        }
        AccountSelection selection;
        try {
            selection = targets.select();
        } catch (SdkException e) {
            throw abort(image, "the target accounts could not be listed: " + FanOut.describe(e), e);
        }
        List<TargetResult> results;
        if (dryRun) {
            results = new ArrayList<>();
            for (String account : selection.accounts()) {
                for (String region : regions) {
                    var ami = image.amiFor(account, region);
                    results.add(new TargetResult(account, region, ami.imageId(), TargetResult.Status.DRY_RUN,
                            "dry run: nothing assumed or invoked", null));
                }
            }
            Log.info("dry run: targets listed, nothing invoked", "targets", results.size());
        } else {
            Log.info("fanning out", "accounts", selection.accounts().size(), "regions", regions,
                    "maxConcurrency", config.maxConcurrency());
            results = fanOut.run(image, selection.accounts(), regions, remainingMillis);
        }
        InvokerResult result = summarise(image, shape, dryRun, selection, regions, skippedRegions, results);
        Log.info("fan-out completed", "succeeded", result.succeeded(), "failed", result.failed(),
                "skipped", result.skipped(), "notAttempted", result.notAttempted());
        publisher.publish(completedNotice(image, result));
        return result;
    }

    private FanOutAbortedException abort(BuiltImage image, String reason, Exception cause) {
        Log.error("nothing could be attempted; failing the invocation so Lambda retries: " + reason, cause);
        publisher.publish(notice(NotificationKind.FANOUT_COMPLETED, "Rollout could not start for " + label(image), image)
                .severity(Severity.ERROR).detail("reason", reason).detail("willRetry", true).build());
        return new FanOutAbortedException(reason, cause);
    }

    private static InvokerResult summarise(BuiltImage image, String shape, boolean dryRun, AccountSelection selection,
                                           List<String> regions, List<String> skippedRegions, List<TargetResult> results) {
        List<TargetResult> failures = only(results, TargetResult.Status.FAILED);
        List<TargetResult> notAttempted = only(results, TargetResult.Status.NOT_ATTEMPTED);
        return new InvokerResult(dryRun ? InvokerResult.Status.DRY_RUN : InvokerResult.Status.FANNED_OUT, null, shape,
                image.arn(), image.name(), image.version(), image.status(), dryRun, selection.source(), regions,
                skippedRegions, selection.accounts().size(), selection.accounts().size() * regions.size(),
                only(results, TargetResult.Status.SUCCEEDED).size(), failures.size(),
                selection.skipped().size() * regions.size(), notAttempted.size(), failures, selection.skipped(),
                notAttempted, only(results, TargetResult.Status.DRY_RUN));
    }

    private static List<TargetResult> only(List<TargetResult> results, TargetResult.Status status) {
        return results.stream().filter(r -> r.status() == status).toList();
    }

    private Notification completedNotice(BuiltImage image, InvokerResult r) {
        Severity severity;
        if (r.failed() == 0 && r.notAttempted() == 0) {
            severity = r.targets() == 0 ? Severity.WARNING : Severity.SUCCESS;
        } else {
            severity = r.succeeded() == 0 ? Severity.ERROR : Severity.WARNING;
        }
        String title = (r.dryRun() ? "[dry run] Would invoke instance-refresh for " : "Rollout fan-out completed for ")
                + label(image) + ": " + (r.dryRun() ? r.dryRunTargets().size() + " targets"
                : r.succeeded() + "/" + r.targets() + " targets invoked");
        return notice(NotificationKind.FANOUT_COMPLETED, title, image)
                .severity(severity)
                .detail("dryRun", r.dryRun() ? true : null)
                .detail("accountSource", r.accountSource())
                .detail("regions", r.regions())
                .detail("skippedRegions", r.skippedRegions().isEmpty() ? null : r.skippedRegions())
                .detail("accounts", r.accounts())
                .detail("targets", r.targets())
                .detail("succeeded", r.succeeded())
                .detail("failed", r.failed())
                .detail("skipped", r.skipped())
                .detail("notAttempted", r.notAttempted())
                .detail("failures", capped(r.failures().stream()
                        .map(f -> f.accountId() + " " + f.region() + ": " + f.reason()).toList()))
                .detail("notAttemptedTargets", capped(r.notAttemptedTargets().stream()
                        .map(f -> f.accountId() + " " + f.region()).toList()))
                .detail("skippedAccounts", capped(r.skippedAccounts().stream()
                        .map(s -> s.accountId() + ": " + s.reason()).toList()))
                .build();
    }

    /** At most {@link #NOTICE_LIST_LIMIT} entries, then "and N more"; null when empty. */
    static List<String> capped(List<String> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() <= NOTICE_LIST_LIMIT) {
            return entries;
        }
        List<String> head = new ArrayList<>(entries.subList(0, NOTICE_LIST_LIMIT));
        head.add("and " + (entries.size() - NOTICE_LIST_LIMIT) + " more");
        return head;
    }

    private Notification.Builder notice(NotificationKind kind, String title, BuiltImage image) {
        String[] arn = image.arn().split(":");
        return Notification.of(kind, title)
                .time(clock.instant())
                .correlationId(image.arn())
                .accountId(arn.length > 4 ? arn[4] : null)
                .region(arn.length > 3 ? arn[3] : null)
                .detail("imageArn", image.arn())
                .detail("imageName", image.name())
                .detail("imageVersion", image.version());
    }

    private static String label(BuiltImage image) {
        return image.name() + (image.version() == null ? "" : " " + image.version());
    }
}
