package io.amirollout.invoker;

import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.ArrayList;
import java.util.List;

/**
 * One release's fan-out, from a verified image to its summary: a redelivered notice resumes (or, once
 * completed, changes nothing); a new one lists the targets within the time budget, refuses an AMI the
 * targets could not launch, writes the release header and a PENDING record per target, and hands over to
 * {@link DurableFanOut}. Continuations and redrives enter at {@link #resume}.
 */
final class ReleaseStart {

    private final CrossAccountInvokerService service;
    private final BuiltImage image;
    private final String shape;
    private final boolean dryRun;
    private final CrossAccountInvokerService.Invocation invocation;
    private final FanOut.Budget budget;

    ReleaseStart(CrossAccountInvokerService service, BuiltImage image, String shape, boolean dryRun,
                 CrossAccountInvokerService.Invocation invocation) {
        this.service = service;
        this.image = image;
        this.shape = shape;
        this.dryRun = dryRun;
        this.invocation = invocation;
        this.budget = service.budget(invocation);
    }

    InvokerResult run() {
        FanOutLedger ledger = service.ledger();
        ReleaseHeader existing = dryRun ? null : ledger.header(image.arn()).orElse(null);
        if (existing != null) {
            if (existing.completed()) {
                Log.info("duplicate image notice: this release's fan-out already completed; nothing done", "imageArn", image.arn());
                return InvokerResult.simple(InvokerResult.Status.DUPLICATE, "the fan-out of this image already completed "
                        + "(redrive with {\"redrive\": \"" + image.arn() + "\"})", shape, image, false);
            }
            Log.info("the notice came again while its fan-out is unfinished: carrying on", "imageArn", image.arn());
            return resume(existing);
        }
        List<String> regions = service.regions(image);
        List<String> skippedRegions = image.regions().stream().filter(r -> !regions.contains(r)).toList();
        if (regions.isEmpty()) {
            String reason = image.regions().isEmpty() ? "the AVAILABLE image lists no AMIs"
                    : "none of the image's regions " + image.regions() + " is in TARGET_REGIONS " + service.config().targetRegions();
            Log.warn("nothing to roll out: " + reason, "imageArn", image.arn());
            service.publish(service.notice(NotificationKind.FANOUT_COMPLETED, "Nothing rolled out for "
                    + CrossAccountInvokerService.label(image), image).severity(Severity.WARNING).detail("reason", reason)
                    .detail("dryRun", dryRun ? true : null).build());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, shape, image, dryRun);
        }
        AccountSelection selection = select();
        List<String> unshared = unshared(selection.accounts(), regions);
        if (!unshared.isEmpty()) {
            return service.refuse(image, shape, dryRun, "the AMI is not shared with " + unshared.size() + " target(s), who "
                    + "could not launch it: " + FanOutSummary.capped(unshared) + " (share it with the organization: "
                    + "OrganizationArn, or the accounts, in the distribution settings)", Severity.ERROR);
        }
        if (dryRun) {
            return dryRunPlan(selection, regions, skippedRegions);
        }
        ReleaseHeader header = new ReleaseHeader(image, regions, selection.source(), selection.skipped().size(), false, 0, 0,
                -1, service.clock().instant(), 0);
        if (!ledger.createHeader(header)) {
            Log.info("another invocation started this release's fan-out first: carrying on with it");
            return resume(ledger.header(image.arn()).orElse(header));
        }
        // putIfAbsent stored revision 1 (read back when there, so a racing replace is seen)
        ReleaseHeader created = header;
        header = ledger.header(image.arn()).orElse(new ReleaseHeader(created.image(), created.regions(),
                created.accountSource(), created.skippedAccounts(), false, 0, 0, -1, created.updatedAt(), 1));
        return seedAndResume(header, selection, skippedRegions);
    }

    /** Continuations, redrives and redelivered notices: seed first if the listing never finished, then work. */
    InvokerResult resume(ReleaseHeader header) {
        if (!header.seeded()) {
            return seedAndResume(header, select(), List.of());
        }
        return work(header, List.of(), List.of());
    }

    private InvokerResult seedAndResume(ReleaseHeader header, AccountSelection selection, List<String> skippedRegions) {
        DurableFanOut durable = service.durable(invocation);
        Log.info("fanning out", "accounts", selection.accounts().size(), "regions", header.regions(),
                "maxConcurrency", service.config().maxConcurrency());
        if (!durable.seed(image, selection.accounts(), header.regions(), budget)) {
            Log.warn("the time budget ran out while writing the target records; continuing in a new invocation");
            DurableFanOut.Progress progress = durable.handOver(header);
            return FanOutSummary.result(InvokerResult.Status.CONTINUED, shape, header, progress.targets(),
                    selection.skipped(), skippedRegions);
        }
        FanOutLedger ledger = service.ledger();
        ReleaseHeader current = ledger.header(image.arn()).orElse(header);
        if (!current.seeded()) {
            ledger.replaceHeader(current.seededNow(service.clock().instant()));
            current = ledger.header(image.arn()).orElse(current);
        }
        return work(current, selection.skipped(), skippedRegions);
    }

    private InvokerResult work(ReleaseHeader header, List<SkippedAccount> skipped, List<String> skippedRegions) {
        DurableFanOut.Progress progress = service.durable(invocation).resume(header, budget);
        ReleaseHeader current = service.ledger().header(image.arn()).orElse(header);
        InvokerResult result = FanOutSummary.result(progress.finished() ? InvokerResult.Status.FANNED_OUT
                : InvokerResult.Status.CONTINUED, shape, current, progress.targets(), skipped, skippedRegions);
        Log.info(progress.finished() ? "fan-out completed" : "fan-out continues in a new invocation",
                "succeeded", result.succeeded(), "failed", result.failed(), "notAttempted", result.notAttempted(),
                "notDeployed", result.notDeployed(), "pending", result.pending());
        if (progress.finished()) {
            service.complete(result, current, progress.targets());
        }
        return result;
    }

    private AccountSelection select() {
        try {
            return service.targets().select(image.ownerAccount(), budget::exhausted);
        } catch (TargetAccounts.ListingTimedOut e) {
            throw service.abort(image, e.getMessage(), e);
        } catch (SdkException e) {
            throw service.abort(image, "the target accounts could not be listed: " + FanOut.describe(e), e);
        }
    }

    private List<String> unshared(List<String> accounts, List<String> regions) {
        try {
            return service.sharing().notShared(image, accounts, regions);
        } catch (SdkException e) {
            if (e instanceof AwsServiceException s && s.statusCode() < 500 && !s.isThrottlingException()) {
                return List.of("(launch permissions could not be read: " + FanOut.describe(e) + ")");
            }
            throw service.abort(image, "DescribeImageAttribute failed: " + FanOut.describe(e), e);
        }
    }

    private InvokerResult dryRunPlan(AccountSelection selection, List<String> regions, List<String> skippedRegions) {
        List<TargetResult> plan = new ArrayList<>();
        for (String account : selection.accounts()) {
            for (String region : regions) {
                var ami = image.amiFor(account, region);
                plan.add(new TargetResult(account, region, ami == null ? null : ami.imageId(), TargetResult.Status.DRY_RUN,
                        "dry run: nothing assumed or invoked", null));
            }
        }
        Log.info("dry run: targets listed, nothing invoked", "targets", plan.size());
        InvokerResult r = new InvokerResult(InvokerResult.Status.DRY_RUN, null, shape, image.arn(), image.name(),
                image.version(), image.status(), true, selection.source(), regions, skippedRegions, selection.accounts().size(),
                plan.size(), 0, 0, selection.skipped().size() * regions.size(), 0, 0, 0, 0, List.of(), selection.skipped(),
                List.of(), InvokerResult.capped(plan));
        service.publish(service.notice(NotificationKind.FANOUT_COMPLETED, "[dry run] Would invoke instance-refresh for "
                + CrossAccountInvokerService.label(image) + ": " + plan.size() + " targets", image)
                .severity(Severity.INFO).detail("dryRun", true).detail("targets", plan.size())
                .detail("accounts", selection.accounts().size()).detail("regions", regions).build());
        return r;
    }
}
