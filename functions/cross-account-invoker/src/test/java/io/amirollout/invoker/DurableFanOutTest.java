package io.amirollout.invoker;

import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.amirollout.invoker.InvokerWorld.IMAGE_ARN;
import static org.junit.jupiter.api.Assertions.*;

/** The durable fan-out as scenarios over simulated time: retries, time-outs, continuations, redrives, scale. */
class DurableFanOutTest {

    private final InvokerWorld world = new InvokerWorld();

    private static RuntimeException throttled() {
        return Fakes.error(TooManyRequestsException.builder(), 429, "TooManyRequestsException", "Rate exceeded");
    }

    private static RuntimeException unavailable() {
        return Fakes.error(AwsServiceException.builder(), 503, "ServiceUnavailable", "try later");
    }

    private static RuntimeException denied() {
        return Fakes.error(StsException.builder(), 403, "AccessDenied", "not authorized to perform sts:AssumeRole");
    }

    private List<TargetRecord> records() {
        return new FanOutLedger(world.table).targets(IMAGE_ARN);
    }

    private TargetRecord record(String account, String region) {
        return records().stream().filter(r -> r.accountId().equals(account) && r.region().equals(region)).findFirst().orElseThrow();
    }

    private List<Notification> completed() {
        return world.publisher.ofKind(NotificationKind.FANOUT_COMPLETED);
    }

    /** Runs every continuation the fan-out scheduled, each in a fresh 15-minute invocation, until none is left. */
    private int drainContinuations(CrossAccountInvokerService service) {
        int runs = 0;
        while (!world.continuations.isEmpty()) {
            Continuations.Continuation next = world.continuations.remove(0);
            service.resume(next, world.freshInvocation());
            runs++;
            assertTrue(runs < 100, "continuations must end");
        }
        return runs;
    }

    @Test
    void everyTargetIsInvokedAndRecordedAndADuplicateNoticeChangesNothing() {
        world.account("444455556666", "ACTIVE").account("555566667777", "ACTIVE").account("999900001111", "SUSPENDED");
        CrossAccountInvokerService service = world.service(Map.of());

        InvokerResult r = service.handle(world.notice(), false, world.invocation()).get(0);

        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(4, r.targets());
        assertEquals(4, r.succeeded());
        assertTrue(records().stream().allMatch(t -> t.state() == TargetState.INVOKED && t.attempts() == 1), records().toString());
        assertEquals(Severity.SUCCESS, completed().get(0).severity());

        InvokerResult again = service.handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.DUPLICATE, again.status());
        assertEquals(4, world.invokeRequests.size(), "nobody is invoked twice");
        assertEquals(1, completed().size(), "one FANOUT_COMPLETED per release");
    }

    @Test
    void throttledAndFailingTargetsAreRetriedWithBackoffToSuccess() {
        world.account("444455556666", "ACTIVE").account("555566667777", "ACTIVE");
        world.failInvoke("444455556666/eu-west-1", throttled(), throttled());
        world.failAssume("555566667777", unavailable());
        var start = world.clock.instant();

        InvokerResult r = world.service(Map.of()).handle(world.notice(), false, world.invocation()).get(0);

        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(4, r.succeeded(), r.toString());
        assertEquals(3, record("444455556666", "eu-west-1").attempts());
        assertEquals(1, record("444455556666", "us-east-1").attempts(), records().toString());
        assertEquals(2, record("555566667777", "us-east-1").attempts());
        assertEquals(1, world.invoked("444455556666", "eu-west-1"));
        assertTrue(Duration.between(start, world.clock.instant()).compareTo(Duration.ofSeconds(30)) >= 0,
                "waited 10 s, then 20 s, before the third attempt");
        assertEquals(Severity.SUCCESS, completed().get(0).severity());
    }

    @Test
    void aTargetWhoseRetriesRunOutIsFailedByNameInTheRecordAndTheNotice() {
        world.account("444455556666", "ACTIVE").account("555566667777", "ACTIVE");
        world.failInvoke("555566667777/us-east-1", throttled(), throttled(), throttled(), throttled());

        InvokerResult r = world.service(Map.of("MAX_ATTEMPTS", "3")).handle(world.notice(), false, world.invocation()).get(0);

        TargetRecord failed = record("555566667777", "us-east-1");
        assertEquals(TargetState.FAILED, failed.state());
        assertEquals(3, failed.attempts());
        assertTrue(failed.error().startsWith("gave up after 3 attempts"), failed.error());
        assertEquals(1, r.failed());
        Notification notice = completed().get(0);
        assertEquals(Severity.WARNING, notice.severity());
        assertTrue(String.valueOf(notice.details().get("failures")).contains("555566667777 us-east-1"), notice.details().toString());
    }

    @Test
    void aTimeOutMidWayIsContinuedToCompletionWithEveryTargetInvokedExactlyOnce() {
        world.accounts(60);
        // Every invocation takes 10 simulated seconds: one 15-minute Lambda cannot do 120 of them.
        world.afterInvoke = () -> world.clock.advance(Duration.ofSeconds(10));
        CrossAccountInvokerService service = world.service(Map.of("MAX_CONCURRENCY", "4"));

        InvokerResult first = service.handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.CONTINUED, first.status());
        assertTrue(first.pending() > 0, first.toString());
        assertEquals(1, world.continuations.size());
        assertTrue(completed().isEmpty(), "no summary before the end");

        int runs = drainContinuations(service);

        assertTrue(runs >= 1);
        assertEquals(120, records().size());
        assertTrue(records().stream().allMatch(t -> t.state() == TargetState.INVOKED), records().toString());
        for (TargetRecord t : records()) {
            assertEquals(1, world.invoked(t.accountId(), t.region()), t.key() + " invoked exactly once");
        }
        assertEquals(1, completed().size());
        assertEquals(120, ((Number) completed().get(0).details().get("succeeded")).intValue());
    }

    @Test
    void aRedriveRetriesWhatWasNotInvokedAndNothingElse() {
        world.account("444455556666", "ACTIVE").account("555566667777", "ACTIVE");
        world.failAssume("555566667777", denied());
        CrossAccountInvokerService service = world.service(Map.of());
        service.handle(world.notice(), false, world.invocation());
        assertEquals(TargetState.FAILED, record("555566667777", "eu-west-1").state(), "AccessDenied is not retried by itself");
        assertEquals(Severity.WARNING, completed().get(0).severity());

        // Someone fixes the trust policy, then asks for a redrive.
        InvokerResult r = service.redrive(IMAGE_ARN, false, world.freshInvocation());

        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(1, r.round());
        assertTrue(records().stream().allMatch(t -> t.state() == TargetState.INVOKED));
        assertEquals(1, world.invoked("444455556666", "eu-west-1"), "what was invoked is not invoked again");
        assertEquals(1, world.invoked("555566667777", "eu-west-1"));
        assertEquals(2, completed().size(), "the redrive's round has its own summary");
        assertTrue(completed().get(1).title().startsWith("Redrive 1"), completed().get(1).title());
        assertEquals(Severity.SUCCESS, completed().get(1).severity());
    }

    @Test
    void aRedriveDryRunListsWhatWouldBeRetriedAndChangesNothing() {
        world.account("444455556666", "ACTIVE");
        world.failAssume("444455556666", denied());
        CrossAccountInvokerService service = world.service(Map.of());
        service.handle(world.notice(), false, world.invocation());
        int writes = world.table.writes();

        InvokerResult plan = service.redrive(IMAGE_ARN, true, world.invocation());

        assertEquals(InvokerResult.Status.DRY_RUN, plan.status());
        assertEquals(2, plan.dryRunTargets().size());
        assertEquals(writes, world.table.writes());
    }

    @Test
    void aRedriveOfAnUnknownImageIsRefused() {
        InvokerResult r = world.service(Map.of()).redrive(IMAGE_ARN, false, world.invocation());
        assertEquals(InvokerResult.Status.INVALID_EVENT, r.status());
        assertEquals(0, world.table.writes());
    }

    @Test
    void zeroTargetsCompleteWithAWarning() {
        world.account(InvokerWorld.INFRA, "ACTIVE"); // only the infra account, which is not a target
        InvokerResult r = world.service(Map.of()).handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(0, r.targets());
        assertEquals(Severity.WARNING, completed().get(0).severity());
        assertEquals(0, world.invokeRequests.size());
    }

    @Test
    void oneTarget() {
        InvokerResult r = world.service(Map.of("TARGET_ACCOUNTS", "444455556666", "TARGET_REGIONS", "us-east-1"))
                .handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(1, r.targets());
        assertEquals(1, world.invoked("444455556666", "us-east-1"));
        assertEquals(1, records().size());
    }

    @Test
    void tenThousandTargetsAreEachInvokedOnce() {
        world.accounts(10_000);
        InvokerResult r = world.service(Map.of("TARGET_REGIONS", "eu-west-1"))
                .handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(10_000, r.targets());
        assertEquals(10_000, r.succeeded());
        assertEquals(10_000, world.invokeRequests.size());
        assertEquals(10_000, world.invocations.size(), "no target twice");
        assertEquals(10_000, world.assumeCalls.get());
        assertEquals(1, completed().size());
    }

    @Test
    void aRegionWithoutTheFunctionIsNotDeployedAndDoesNotRaiseTheSeverity() {
        world.account("444455556666", "ACTIVE");
        world.failInvoke("444455556666/us-east-1", Fakes.error(ResourceNotFoundException.builder(), 404,
                "ResourceNotFoundException", "Function not found"));

        InvokerResult r = world.service(Map.of()).handle(world.notice(), false, world.invocation()).get(0);

        assertEquals(TargetState.NOT_DEPLOYED, record("444455556666", "us-east-1").state());
        assertEquals(1, record("444455556666", "us-east-1").attempts(), "not retried");
        assertEquals(1, r.notDeployed());
        assertEquals(0, r.failed());
        assertEquals(Severity.SUCCESS, completed().get(0).severity());
        assertNotNull(completed().get(0).details().get("notDeployedTargets"));
    }

    @Test
    void theInfraAccountIsExcludedUnlessNamed() {
        world.account(InvokerWorld.INFRA, "ACTIVE").account("444455556666", "ACTIVE");
        InvokerResult r = world.service(Map.of()).handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(2, r.targets());
        assertEquals(0, world.invoked(InvokerWorld.INFRA, "eu-west-1"));
        assertTrue(r.skippedAccounts().stream().anyMatch(s -> s.accountId().equals(InvokerWorld.INFRA)));

        InvokerWorld single = new InvokerWorld();
        single.account(InvokerWorld.INFRA, "ACTIVE");
        single.service(Map.of("INCLUDE_INFRA_ACCOUNT", "true")).handle(single.notice(), false, single.invocation());
        assertEquals(1, single.invoked(InvokerWorld.INFRA, "eu-west-1"), "a single-account stack (StackRole both) sets it");
    }

    @Test
    void anImageFromAnotherPipelineIsNotRolledOut() {
        world.account("444455556666", "ACTIVE");
        world.sourcePipeline = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/someone-elses";
        InvokerResult r = world.service(Map.of()).handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.REFUSED, r.status());
        assertTrue(r.reason().contains("someone-elses"), r.reason());
        assertEquals(0, world.invokeRequests.size());
    }

    @Test
    void amisAreTakenFromGetImageNotFromTheMessage() {
        world.account("444455556666", "ACTIVE");
        world.amis = List.of(new io.amirollout.shared.ImageReleased.Ami("eu-west-1", "ami-00000000000000001", "n", InvokerWorld.INFRA));
        world.service(Map.of()).handle(world.notice(), false, world.invocation());
        assertEquals(1, world.invokeRequests.size(), "only the region GetImage reports");
        assertTrue(world.invokeRequests.get(0).payload().asUtf8String().contains("ami-00000000000000001"));
    }

    @Test
    void anAmiNotSharedWithTheTargetsIsRefusedWithOneErrorNotice() {
        world.account("444455556666", "ACTIVE");
        world.launchPermissions = List.of();
        CrossAccountInvokerService service = world.service(Map.of());

        InvokerResult r = service.handle(world.notice(), false, world.invocation()).get(0);
        service.handle(world.notice(), false, world.invocation());

        assertEquals(InvokerResult.Status.REFUSED, r.status());
        assertTrue(r.reason().contains("444455556666/eu-west-1"), r.reason());
        assertEquals(0, world.invokeRequests.size());
        List<Notification> refused = world.publisher.ofKind(NotificationKind.FANOUT_FAILED);
        assertEquals(1, refused.size(), "a duplicate notice does not repeat it");
        assertEquals(Severity.ERROR, refused.get(0).severity());
    }

    @Test
    void whenContinuationsRunOutTheRestIsNotAttemptedByName() {
        world.accounts(10);
        world.afterInvoke = () -> world.clock.advance(Duration.ofMinutes(2));
        InvokerResult r = world.service(Map.of("MAX_CONTINUATIONS", "0", "MAX_CONCURRENCY", "1", "TARGET_REGIONS", "eu-west-1"))
                .handle(world.notice(), false, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertTrue(r.notAttempted() > 0, r.toString());
        assertEquals(10, r.succeeded() + r.notAttempted());
        assertTrue(records().stream().filter(t -> t.state() == TargetState.NOT_ATTEMPTED).allMatch(t -> t.attempts() == 0));
        assertEquals(Severity.WARNING, completed().get(0).severity());
        assertNotNull(completed().get(0).details().get("notAttemptedTargets"));
    }

    @Test
    void listingTheOrganizationCountsAgainstTheTimeBudget() {
        world.accounts(3);
        world.deadline = world.clock.instant().plusSeconds(10); // under the 30 s safety margin
        CrossAccountInvokerService service = world.service(Map.of());
        FanOutAbortedException e = assertThrows(FanOutAbortedException.class,
                () -> service.handle(world.notice(), false, world.invocation()));
        assertTrue(e.getMessage().contains("listing"), e.getMessage());
        assertEquals(0, world.invokeRequests.size());
    }

    @Test
    void aDryRunListsTheTargetsAndWritesNothing() {
        world.account("444455556666", "ACTIVE");
        InvokerResult r = world.service(Map.of()).handle(world.notice(), true, world.invocation()).get(0);
        assertEquals(InvokerResult.Status.DRY_RUN, r.status());
        assertEquals(2, r.dryRunTargets().size());
        assertEquals(0, world.table.writes());
        assertEquals(0, world.assumeCalls.get());
    }

    @Test
    void aFailedBuildIsNotifiedAndOtherStatesAreSkippedWithoutAnyCall() {
        world.account("444455556666", "ACTIVE");
        CrossAccountInvokerService service = world.service(Map.of());
        BuiltImage failed = new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "FAILED", "component exited 1", List.of());
        BuiltImage building = new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "DISTRIBUTING", null, List.of());

        InvokerResult f = service.handle(List.of(new ImageEvent(failed, false, null, ImageEvents.SNS)), false, world.invocation()).get(0);
        InvokerResult b = service.handle(List.of(new ImageEvent(building, false, null, ImageEvents.SNS)), false, world.invocation()).get(0);

        assertEquals(InvokerResult.Status.IMAGE_BUILD_FAILED, f.status());
        assertEquals(InvokerResult.Status.SKIPPED, b.status());
        assertTrue(b.reason().contains("DISTRIBUTING"));
        assertEquals(List.of(NotificationKind.IMAGE_BUILD_FAILED), world.publisher.all().stream().map(Notification::kind).toList());
        assertEquals(0, world.assumeCalls.get());
        assertEquals(0, world.table.writes());
    }

    @Test
    void theSessionNameIsCutToStsLimits() {
        BuiltImage image = new BuiltImage(IMAGE_ARN, "Golden image (AL2023) for the payments platform team", "1.0.3/4",
                "AVAILABLE", null, List.of());
        String name = FanOut.sessionName(image);
        assertEquals(64, name.length());
        assertTrue(name.matches("[\\w+=,.@-]+"), name);
    }

    @Test
    void backoffDoublesFromTenSecondsAndIsCapped() {
        assertEquals(Duration.ofSeconds(10), RetryPolicy.backoff(1));
        assertEquals(Duration.ofSeconds(20), RetryPolicy.backoff(2));
        assertEquals(Duration.ofSeconds(160), RetryPolicy.backoff(5));
        assertEquals(Duration.ofMinutes(5), RetryPolicy.backoff(12));
    }
}
