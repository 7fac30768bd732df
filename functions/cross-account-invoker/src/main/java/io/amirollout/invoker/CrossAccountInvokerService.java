package io.amirollout.invoker;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.Severity;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * When a new image is AVAILABLE, makes sure it is ours (built by a configured pipeline, AMIs as GetImage
 * reports them, shared with the targets), then drives the durable fan-out ({@link DurableFanOut}) to
 * instance-refresh in every target account × region; when its build FAILED, says so. Also resumes a
 * fan-out (continuation) and retries what was not invoked (redrive).
 */
public final class CrossAccountInvokerService {

    /** One FANOUT_COMPLETED per release round and one refusal per image, however often the notice comes. */
    static final String COMPLETED_SCOPE = "fanout-completed";
    static final String REFUSED_SCOPE = "fanout-refused";
    static final Duration MARKER_LIFETIME = Duration.ofDays(30);

    /** What one invocation brings: its remaining time and how to continue in a new one. */
    public record Invocation(LongSupplier remainingMillis, Continuations continuations, DurableFanOut.Sleeper sleeper) {
    }

    private final CrossAccountInvokerConfig config;
    private final TargetAccounts targets;
    private final ImageLookup lookup;
    private final LaunchPermissions sharing;
    private final FanOut fanOut;
    private final FanOutLedger ledger;
    private final ProcessedEvents processed;
    private final NotificationPublisher publisher;
    private final Clock clock;

    public CrossAccountInvokerService(CrossAccountInvokerConfig config, OrganizationsClient organizations,
                                      ImagebuilderClient imagebuilder, StsClient sts, LambdaClientFactory lambdas,
                                      Function<Region, Ec2Client> ec2, StateTable table, NotificationPublisher publisher,
                                      Clock clock) {
        this.config = config;
        this.targets = new TargetAccounts(organizations, config);
        this.lookup = new ImageLookup(imagebuilder);
        this.sharing = new LaunchPermissions(ec2);
        this.fanOut = new FanOut(sts, lambdas, config);
        this.ledger = new FanOutLedger(table);
        this.processed = new ProcessedEvents(table);
        this.publisher = publisher;
        this.clock = clock;
    }

    public CrossAccountInvokerConfig config() {
        return config;
    }

    public List<InvokerResult> handle(List<ImageEvent> events, boolean eventDryRun, Invocation invocation) {
        List<InvokerResult> results = new ArrayList<>();
        for (ImageEvent event : events) {
            results.add(handleOne(event, config.dryRun() || eventDryRun, invocation));
        }
        return results;
    }

    private InvokerResult handleOne(ImageEvent event, boolean dryRun, Invocation invocation) {
        if (event.skipReason() != null) {
            Log.info("skipped: " + event.skipReason());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, event.skipReason(), event.shape(), null, dryRun);
        }
        BuiltImage notified = event.image();
        Log.correlationId(notified.arn());
        String status = notified.status().toUpperCase(Locale.ROOT);
        if ("FAILED".equals(status)) {
            return buildFailed(notified, event.shape(), dryRun);
        }
        if (!"AVAILABLE".equals(status)) {
            String reason = "image state " + status + ": nothing to roll out until it is AVAILABLE";
            Log.info("skipped: " + reason, "imageArn", notified.arn());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, event.shape(), notified, dryRun);
        }
        // GetImage always: the AMI ids, state and source pipeline come from Image Builder, not from the message.
        BuiltImage image = getImage(notified);
        if (!"AVAILABLE".equalsIgnoreCase(image.status())) {
            String reason = "GetImage reports state " + image.status() + ", not AVAILABLE";
            Log.warn("skipped: " + reason, "imageArn", image.arn());
            return InvokerResult.simple(InvokerResult.Status.SKIPPED, reason, event.shape(), image, dryRun);
        }
        if (!notified.amis().isEmpty() && !Set.copyOf(notified.amis()).equals(Set.copyOf(image.amis()))) {
            Log.warn("the notice's AMIs differ from GetImage's; GetImage's are used", "notice", notified.amis(),
                    "getImage", image.amis());
        }
        if (image.sourcePipelineArn() == null || !config.sourcePipelineArns().contains(image.sourcePipelineArn())) {
            return refuse(image, event.shape(), dryRun, "the image was built by " + image.sourcePipelineArn()
                    + ", not by a configured pipeline " + config.sourcePipelineArns(), Severity.WARNING);
        }
        return new ReleaseStart(this, image, event.shape(), dryRun, invocation).run();
    }

    /** {@code {"continuation": ...}}: carry on with a release's fan-out (after its backoff). */
    public InvokerResult resume(Continuations.Continuation continuation, Invocation invocation) {
        Log.correlationId(continuation.imageArn());
        ReleaseHeader header = ledger.header(continuation.imageArn()).orElse(null);
        if (header == null) {
            return InvokerResult.simple(InvokerResult.Status.INVALID_EVENT, "no fan-out record for "
                    + continuation.imageArn(), "continuation", null, false);
        }
        if (header.completed()) {
            return InvokerResult.simple(InvokerResult.Status.DUPLICATE, "round " + header.round()
                    + " of this fan-out already completed", "continuation", header.image(), false);
        }
        FanOut.Budget budget = budget(invocation);
        var notBefore = continuation.notBeforeInstant();
        if (notBefore != null && notBefore.isAfter(clock.instant())) {
            Duration wait = Duration.between(clock.instant(), notBefore);
            if (budget.canWait(wait)) {
                try {
                    invocation.sleeper().sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return new ReleaseStart(this, header.image(), "continuation", false, invocation).resume(header);
    }

    /** {@code {"redrive": "<arn>"}}: FAILED, NOT_ATTEMPTED and NOT_DEPLOYED targets back to PENDING, a new round. */
    public InvokerResult redrive(String imageArn, boolean dryRun, Invocation invocation) {
        Log.correlationId(imageArn);
        ReleaseHeader header = ledger.header(imageArn).orElse(null);
        if (header == null) {
            Log.warn("redrive refused: no fan-out record for this image", "imageArn", imageArn);
            return InvokerResult.simple(InvokerResult.Status.INVALID_EVENT, "no fan-out record for " + imageArn
                    + " (was it ever fanned out by this stack?)", "redrive", null, dryRun);
        }
        List<TargetRecord> redo = ledger.targets(imageArn).stream()
                .filter(t -> t.state() == TargetState.FAILED || t.state() == TargetState.NOT_ATTEMPTED
                        || t.state() == TargetState.NOT_DEPLOYED).toList();
        if (dryRun || config.dryRun()) {
            List<TargetResult> plan = redo.stream().map(t -> new TargetResult(t.accountId(), t.region(), t.imageId(),
                    TargetResult.Status.DRY_RUN, "would be retried (now " + t.state() + ")", t.errorCode(), t.attempts())).toList();
            InvokerResult base = InvokerResult.simple(InvokerResult.Status.DRY_RUN, redo.size() + " targets would be retried",
                    "redrive", header.image(), true);
            return withDryRunTargets(base, plan);
        }
        ReleaseHeader next = header.nextRound(clock.instant());
        if (!ledger.replaceHeader(next)) {
            throw new IllegalStateException("the release record changed during the redrive; retrying");
        }
        for (TargetRecord t : redo) {
            ledger.settle(t.redriven(clock.instant()));
        }
        Log.info("redrive: targets back to PENDING", "targets", redo.size(), "round", next.round());
        return new ReleaseStart(this, header.image(), "redrive", false, invocation)
                .resume(ledger.header(imageArn).orElse(next));
    }

    // ---- used by ReleaseStart ---------------------------------------------------------------------

    FanOutLedger ledger() {
        return ledger;
    }

    TargetAccounts targets() {
        return targets;
    }

    LaunchPermissions sharing() {
        return sharing;
    }

    Clock clock() {
        return clock;
    }

    DurableFanOut durable(Invocation invocation) {
        return new DurableFanOut(fanOut, ledger, invocation.continuations(), config, clock, invocation.sleeper());
    }

    FanOut.Budget budget(Invocation invocation) {
        return new FanOut.Budget(invocation.remainingMillis(), config.timeSafetyMargin().toMillis());
    }

    /** Sends the round's FANOUT_COMPLETED once (a conditional marker), then marks the round completed. */
    void complete(InvokerResult result, ReleaseHeader header, List<TargetRecord> records) {
        FanOutSummary.logEveryMiss(records);
        if (processed.claim(COMPLETED_SCOPE, header.image().arn() + "#" + header.round(), clock.instant(), MARKER_LIFETIME,
                Map.of("round", String.valueOf(header.round())))) {
            publisher.publish(FanOutSummary.notice(result, records, clock.instant()));
        } else {
            Log.info("FANOUT_COMPLETED was already sent for this round", "round", header.round());
        }
        ledger.header(header.image().arn()).ifPresent(h -> ledger.replaceHeader(h.completedNow(clock.instant())));
    }

    InvokerResult refuse(BuiltImage image, String shape, boolean dryRun, String reason, Severity severity) {
        Log.error("refused, nothing invoked: " + reason, null, "imageArn", image.arn());
        if (dryRun || processed.claim(REFUSED_SCOPE, image.arn(), clock.instant(), MARKER_LIFETIME, Map.of("reason", reason))) {
            publisher.publish(notice(NotificationKind.FANOUT_FAILED, (dryRun ? "[dry run] " : "") + "Rollout refused for "
                    + label(image), image).severity(severity).detail("reason", reason).build());
        }
        return InvokerResult.simple(InvokerResult.Status.REFUSED, reason, shape, image, dryRun);
    }

    FanOutAbortedException abort(BuiltImage image, String reason, Exception cause) {
        Log.error("nothing could be attempted; failing the invocation so Lambda retries: " + reason, cause);
        return new FanOutAbortedException(reason, cause);
    }

    void publish(Notification notification) {
        publisher.publish(notification);
    }

    private BuiltImage getImage(BuiltImage image) {
        try {
            return lookup.get(image.arn());
        } catch (SdkException e) {
            if (e instanceof AwsServiceException service && service.statusCode() < 500 && !service.isThrottlingException()) {
                // Not found / access denied: retrying will not help.
                throw new FanOutAbortedException("GetImage " + image.arn() + " failed: " + FanOut.describe(e), e);
            }
            throw abort(image, "GetImage " + image.arn() + " failed: " + FanOut.describe(e), e);
        }
    }

    private InvokerResult buildFailed(BuiltImage image, String shape, boolean dryRun) {
        String reason = image.reason() != null ? image.reason() : "Image Builder gave no reason";
        Log.warn("image build failed: " + reason, "imageArn", image.arn());
        publisher.publish(notice(NotificationKind.IMAGE_BUILD_FAILED, "Image build failed: " + label(image), image)
                .detail("reason", reason).build());
        return InvokerResult.simple(InvokerResult.Status.IMAGE_BUILD_FAILED, reason, shape, image, dryRun);
    }

    Notification.Builder notice(NotificationKind kind, String title, BuiltImage image) {
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

    static String label(BuiltImage image) {
        return image.name() + (image.version() == null ? "" : " " + image.version());
    }

    /** The image's regions, limited to TARGET_REGIONS. */
    List<String> regions(BuiltImage image) {
        Set<String> wanted = new HashSet<>(config.targetRegions());
        return image.regions().stream().filter(r -> wanted.isEmpty() || wanted.contains(r)).toList();
    }

    static InvokerResult withDryRunTargets(InvokerResult r, List<TargetResult> plan) {
        return new InvokerResult(r.status(), r.reason(), r.shape(), r.imageArn(), r.imageName(), r.imageVersion(),
                r.imageStatus(), true, r.accountSource(), r.regions(), r.skippedRegions(), r.accounts(), plan.size(),
                0, 0, r.skipped(), 0, 0, 0, r.round(), List.of(), r.skippedAccounts(), List.of(), InvokerResult.capped(plan));
    }
}
