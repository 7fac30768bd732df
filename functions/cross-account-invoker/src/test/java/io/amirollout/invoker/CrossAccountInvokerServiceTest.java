package io.amirollout.invoker;

import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.Severity;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.Ami;
import software.amazon.awssdk.services.imagebuilder.model.GetImageResponse;
import software.amazon.awssdk.services.imagebuilder.model.Image;
import software.amazon.awssdk.services.imagebuilder.model.ImageState;
import software.amazon.awssdk.services.imagebuilder.model.OutputResources;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import static io.amirollout.invoker.Fakes.account;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

class CrossAccountInvokerServiceTest {

    static final String EVENTS = "../../events/cross-account-invoker/";
    static final String IMAGE_ARN = "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4";
    static final LongSupplier PLENTY_OF_TIME = () -> 600_000;

    private OrganizationsClient organizations;
    private ImagebuilderClient imagebuilder;
    private List<AssumeRoleRequest> assumed;
    private Map<String, RuntimeException> assumeFailures;
    private StsClient sts;
    private Fakes.Lambdas lambdas;
    private RecordingPublisher publisher;

    @BeforeEach
    void setUp() {
        organizations = TargetAccountsTest.organizations();
        imagebuilder = mock(ImagebuilderClient.class);
        assumed = new CopyOnWriteArrayList<>();
        assumeFailures = new HashMap<>();
        sts = Fakes.sts(assumed, assumeFailures);
        lambdas = new Fakes.Lambdas();
        publisher = new RecordingPublisher();
        organizationLists("444455556666", "555566667777", "666677778888");
    }

    private void organizationLists(String... active) {
        List<software.amazon.awssdk.services.organizations.model.Account> accounts = new ArrayList<>();
        for (String a : active) {
            accounts.add(account(a, "ACTIVE", "ACTIVE"));
        }
        accounts.add(account("999900001111", "SUSPENDED", "SUSPENDED"));
        doReturn(ListAccountsResponse.builder().accounts(accounts).build())
                .when(organizations).listAccounts(any(ListAccountsRequest.class));
    }

    private CrossAccountInvokerService service(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("TARGET_ROLE_NAME", "ami-rollout/ami-rollout-invoke",
                "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh"));
        env.putAll(extra);
        return new CrossAccountInvokerService(CrossAccountInvokerConfig.from(Env.of(env)), organizations, imagebuilder,
                sts, lambdas, publisher, Clock.fixed(Instant.parse("2026-11-21T10:45:00Z"), ZoneOffset.UTC));
    }

    private static List<ImageEvent> sample(String file) {
        return ImageEvents.read(Json.readTree(TestFiles.read(EVENTS + file)));
    }

    private InvokerResult run(CrossAccountInvokerService service, String file) {
        return service.handle(sample(file), false, PLENTY_OF_TIME).get(0);
    }

    private Notification completed() {
        List<Notification> notices = publisher.ofKind(NotificationKind.FANOUT_COMPLETED);
        assertEquals(1, notices.size(), publisher.all().toString());
        return notices.get(0);
    }

    @Test
    void invokesEveryActiveAccountInEveryRegionWithThatRegionsAmi() {
        InvokerResult r = run(service(Map.of("EXTERNAL_ID", "ext-123")), "sns-image-available.json");

        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(List.of("eu-west-1", "us-east-1"), r.regions());
        assertEquals(3, r.accounts());
        assertEquals(6, r.targets());
        assertEquals(6, r.succeeded());
        assertEquals(2, r.skipped(), "the suspended account's two targets");
        assertEquals(List.of(new SkippedAccount("999900001111", "account state SUSPENDED")), r.skippedAccounts());

        assertEquals(3, assumed.size(), "one AssumeRole per account, reused for its regions");
        AssumeRoleRequest request = assumed.stream().filter(a -> a.roleArn().contains("444455556666")).findFirst().orElseThrow();
        assertEquals("arn:aws:iam::444455556666:role/ami-rollout/ami-rollout-invoke", request.roleArn());
        assertEquals(900, request.durationSeconds());
        assertEquals("ext-123", request.externalId());
        assertTrue(request.roleSessionName().matches("[\\w+=,.@-]{2,64}"), request.roleSessionName());
        assertEquals("ami-rollout-golden-al2023-1.0.3-4", request.roleSessionName());

        assertEquals(6, lambdas.calls.size());
        for (Fakes.Call call : lambdas.calls) {
            assertEquals("ami-rollout-instance-refresh", call.request().functionName());
            assertEquals(InvocationType.EVENT, call.request().invocationType());
            assertEquals("ASIA" + call.account(), call.credentials().accessKeyId(), "the account's own assumed credentials");
            assertEquals("token-" + call.account(), call.credentials().sessionToken());
            ImageReleased payload = ImageReleased.from(Json.readTree(call.request().payload().asUtf8String()));
            assertEquals(IMAGE_ARN, payload.correlationId());
            assertEquals("golden-al2023", payload.image().name());
            assertEquals("1.0.3/4", payload.image().version());
            assertEquals(1, payload.amis().size());
            assertEquals(call.region(), payload.amis().get(0).region());
            assertEquals(call.region().equals("eu-west-1") ? "ami-0a1b2c3d4e5f60718" : "ami-0f9e8d7c6b5a49382",
                    payload.amis().get(0).imageId());
        }
        Notification notice = completed();
        assertEquals(Severity.SUCCESS, notice.severity());
        assertEquals(IMAGE_ARN, notice.correlationId());
        assertEquals(6, notice.details().get("succeeded"));
        assertNull(notice.details().get("failures"));

        IamActions.assertListed("iam-actions.txt", Map.of("organizations", organizations, "sts", sts,
                "imagebuilder", imagebuilder, "lambda", lambdas.clients));
    }

    @Test
    void oneAccountDeniedWhileTheOthersSucceed() {
        assumeFailures.put("555566667777", Fakes.error(StsException.builder(), 403, "AccessDenied",
                "User: arn:aws:sts::111122223333:assumed-role/invoker/fn is not authorized to perform: sts:AssumeRole"));

        InvokerResult r = run(service(Map.of()), "sns-image-available.json");

        assertEquals(4, r.succeeded());
        assertEquals(2, r.failed());
        assertTrue(r.failures().stream().allMatch(f -> f.accountId().equals("555566667777")
                && f.reason().contains("AssumeRole arn:aws:iam::555566667777:role/ami-rollout/ami-rollout-invoke failed: AccessDenied (403)")
                && "AccessDenied".equals(f.errorCode())));
        assertTrue(lambdas.calls.stream().noneMatch(c -> c.account().equals("555566667777")));
        Notification notice = completed();
        assertEquals(Severity.WARNING, notice.severity());
        @SuppressWarnings("unchecked")
        List<String> failures = (List<String>) notice.details().get("failures");
        assertEquals(2, failures.size());
        assertTrue(failures.get(0).startsWith("555566667777 "));
    }

    @Test
    void missingFunctionAndThrottlingStayWithTheirTargets() {
        lambdas.failures.put("444455556666", Fakes.error(ResourceNotFoundException.builder(), 404,
                "ResourceNotFoundException", "Function not found: arn:aws:lambda:eu-west-1:444455556666:function:ami-rollout-instance-refresh"));
        lambdas.failures.put("666677778888/us-east-1", Fakes.error(TooManyRequestsException.builder(), 429,
                "TooManyRequestsException", "Rate Exceeded."));

        InvokerResult r = run(service(Map.of()), "sns-image-available.json");

        assertEquals(3, r.succeeded());
        assertEquals(3, r.failed());
        assertEquals(List.of("ResourceNotFoundException", "ResourceNotFoundException", "TooManyRequestsException"),
                r.failures().stream().map(TargetResult::errorCode).toList());
        assertTrue(r.failures().get(0).reason().startsWith("Invoke ami-rollout-instance-refresh failed: ResourceNotFoundException (404)"));
    }

    @Test
    void unexpectedStatusIsAFailure() {
        lambdas.statusCode = 200;
        InvokerResult r = run(service(Map.of()), "sns-image-available.json");
        assertEquals(6, r.failed());
        assertTrue(r.failures().get(0).reason().contains("instead of 202"));
        assertEquals(Severity.ERROR, completed().severity());
    }

    @Test
    void stopsStartingTargetsWhenTheTimeBudgetRunsOut() {
        organizationLists(IntStream.range(0, 10).mapToObj(i -> "10000000000" + i).toArray(String[]::new));
        AtomicLong remaining = new AtomicLong(100_000);
        lambdas.onInvoke.add(() -> remaining.addAndGet(-10_000)); // each invocation "takes" 10 s

        InvokerResult r = service(Map.of("MAX_CONCURRENCY", "1", "TIME_SAFETY_MARGIN_SECONDS", "30",
                "TARGET_REGIONS", "eu-west-1")).handle(sample("sns-image-available.json"), false, remaining::get).get(0);

        assertEquals(List.of("eu-west-1"), r.regions());
        assertEquals(List.of("us-east-1"), r.skippedRegions());
        assertEquals(10, r.targets());
        assertEquals(8, r.succeeded(), "100 s left, 10 s each, stop below 30 s");
        assertEquals(2, r.notAttempted());
        assertEquals(List.of("100000000008", "100000000009"),
                r.notAttemptedTargets().stream().map(TargetResult::accountId).toList());
        assertEquals(8, assumed.size(), "accounts not attempted are not even assumed");
        Notification notice = completed();
        assertEquals(Severity.WARNING, notice.severity());
        assertEquals(2, notice.details().get("notAttempted"));
    }

    @Test
    void dryRunListsTargetsAndAssumesNothing() {
        InvokerResult r = service(Map.of("DRY_RUN", "true")).handle(sample("sns-image-available.json"), false, PLENTY_OF_TIME).get(0);
        InvokerResult fromEvent = service(Map.of()).handle(sample("sns-image-available.json"), true, PLENTY_OF_TIME).get(0);
        for (InvokerResult result : List.of(r, fromEvent)) {
            assertEquals(InvokerResult.Status.DRY_RUN, result.status());
            assertEquals(6, result.dryRunTargets().size());
            assertEquals(0, result.succeeded());
        }
        verifyNoInteractions(sts);
        assertTrue(lambdas.calls.isEmpty());
        assertTrue(publisher.all().stream().allMatch(n -> n.title().startsWith("[dry run]")));
    }

    @Test
    void failedBuildIsReportedAndNothingElseHappens() {
        InvokerResult r = run(service(Map.of()), "sns-image-failed.json");
        assertEquals(InvokerResult.Status.IMAGE_BUILD_FAILED, r.status());
        Notification notice = publisher.only();
        assertEquals(NotificationKind.IMAGE_BUILD_FAILED, notice.kind());
        assertTrue(((String) notice.details().get("reason")).contains("exited with code 1"));
        assertEquals("arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/4", notice.correlationId());
        verify(organizations, never()).listAccounts(any(ListAccountsRequest.class));
        verifyNoInteractions(sts);
    }

    @Test
    void otherStatesAreSkipped() {
        String building = TestFiles.read(EVENTS + "image-available.json").replace("\"AVAILABLE\"", "\"DISTRIBUTING\"");
        InvokerResult r = service(Map.of()).handle(ImageEvents.read(Json.readTree(building)), false, PLENTY_OF_TIME).get(0);
        assertEquals(InvokerResult.Status.SKIPPED, r.status());
        assertTrue(r.reason().contains("DISTRIBUTING"));
        assertTrue(publisher.all().isEmpty());
        verifyNoInteractions(sts);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eventBridgeStateChangeReadsTheAmisWithGetImage() {
        when(imagebuilder.getImage(any(Consumer.class))).thenReturn(GetImageResponse.builder().image(Image.builder()
                .arn(IMAGE_ARN).name("golden-al2023").version("1.0.3/4")
                .state(ImageState.builder().status("AVAILABLE").build())
                .outputResources(OutputResources.builder().amis(Ami.builder().region("eu-west-1")
                        .image("ami-0a1b2c3d4e5f60718").accountId("111122223333").name("golden").build()).build())
                .build()).build());

        InvokerResult r = run(service(Map.of()), "eventbridge-image-available.json");

        assertEquals(3, r.succeeded());
        assertEquals(List.of("eu-west-1"), r.regions());
        verify(imagebuilder).getImage(any(Consumer.class));
        IamActions.assertListed("iam-actions.txt", Map.of("imagebuilder", imagebuilder));
    }

    @Test
    @SuppressWarnings("unchecked")
    void imageThatCannotBeReadFailsTheInvocation() {
        when(imagebuilder.getImage(any(Consumer.class))).thenThrow(Fakes.error(
                software.amazon.awssdk.services.imagebuilder.model.ServiceUnavailableException.builder(), 503,
                "ServiceUnavailableException", "try again"));
        FanOutAbortedException e = assertThrows(FanOutAbortedException.class,
                () -> run(service(Map.of()), "eventbridge-image-available.json"));
        assertTrue(e.getMessage().contains("GetImage"));
        assertEquals(Severity.ERROR, completed().severity());
        verifyNoInteractions(sts);
    }

    @Test
    void organizationThatCannotBeListedFailsTheInvocation() {
        doThrow(Fakes.error(AccessDeniedException.builder(), 400, "AccessDeniedException",
                "You don't have permissions to access this resource."))
                .when(organizations).listAccounts(any(ListAccountsRequest.class));
        FanOutAbortedException e = assertThrows(FanOutAbortedException.class,
                () -> run(service(Map.of()), "sns-image-available.json"));
        assertTrue(e.getMessage().contains("AccessDeniedException"), e.getMessage());
        assertEquals(Boolean.TRUE, completed().details().get("willRetry"));
        verifyNoInteractions(sts);
    }

    @Test
    void noRegionLeftIsANoticeNotAFailure() {
        InvokerResult r = run(service(Map.of("TARGET_REGIONS", "ap-south-1")), "sns-image-available.json");
        assertEquals(InvokerResult.Status.SKIPPED, r.status());
        assertTrue(r.reason().contains("TARGET_REGIONS"));
        assertEquals(Severity.WARNING, completed().severity());
        verifyNoInteractions(sts);
    }

    @Test
    void noEligibleAccountIsAWarningNotAFailure() {
        InvokerResult r = run(service(Map.of("DENY_ACCOUNTS", "444455556666,555566667777,666677778888")),
                "sns-image-available.json");
        assertEquals(InvokerResult.Status.FANNED_OUT, r.status());
        assertEquals(0, r.targets());
        assertEquals(8, r.skipped(), "four accounts left out, two regions each");
        assertEquals(Severity.WARNING, completed().severity());
        verifyNoInteractions(sts);
    }

    @Test
    void everySharedClientIsReleasedAfterUse() {
        run(service(Map.of()), "sns-image-available.json");
        assertEquals(lambdas.calls.size(), lambdas.released.size());
    }

    @Test
    void noticeListsAtMostFiftyFailures() {
        List<String> many = IntStream.range(0, 60).mapToObj(i -> String.format("2000000000%02d", i)).toList();
        organizationLists(many.toArray(String[]::new));
        many.forEach(a -> assumeFailures.put(a, Fakes.error(StsException.builder(), 403, "AccessDenied", "denied")));

        InvokerResult r = run(service(Map.of("TARGET_REGIONS", "eu-west-1", "MAX_CONCURRENCY", "8")), "sns-image-available.json");

        assertEquals(60, r.failed());
        assertEquals(60, r.failures().size(), "the result keeps every failure");
        Notification notice = completed();
        assertEquals(Severity.ERROR, notice.severity());
        @SuppressWarnings("unchecked")
        List<String> listed = (List<String>) notice.details().get("failures");
        assertEquals(51, listed.size());
        assertEquals("and 10 more", listed.get(50));
    }

    @Test
    void duplicateDeliveryInvokesAgainWithTheSamePayload() {
        CrossAccountInvokerService service = service(Map.of("TARGET_REGIONS", "eu-west-1"));
        service.handle(sample("sns-image-available.json"), false, PLENTY_OF_TIME);
        service.handle(sample("sns-image-available.json"), false, PLENTY_OF_TIME);
        assertEquals(6, lambdas.calls.size());
        Map<String, List<String>> payloadsByAccount = new HashMap<>();
        lambdas.calls.forEach(c -> payloadsByAccount.computeIfAbsent(c.account(), k -> new ArrayList<>())
                .add(c.request().payload().asUtf8String()));
        payloadsByAccount.values().forEach(p -> assertEquals(p.get(0), p.get(1),
                "identical ImageReleased: instance-refresh recognises the image it already rolled out"));
    }

    @Test
    void payloadOverTheAsyncLimitIsRefused() {
        String huge = "x".repeat(FanOut.ASYNC_PAYLOAD_LIMIT);
        BuiltImage image = new BuiltImage(IMAGE_ARN, "golden-al2023", "1.0.3/4", "AVAILABLE", null,
                List.of(new ImageReleased.Ami("eu-west-1", "ami-0a1b2c3d4e5f60718", huge, "111122223333")));
        InvokerResult r = service(Map.of()).handle(List.of(new ImageEvent(image, false, null, "test")), false, PLENTY_OF_TIME).get(0);
        assertEquals(3, r.failed());
        assertTrue(r.failures().get(0).reason().contains("1 MB limit"));
        assertTrue(lambdas.calls.isEmpty());
    }

    @Test
    void sessionNameIsCutToStsLimits() {
        BuiltImage image = new BuiltImage(IMAGE_ARN, "Golden image (AL2023) for the payments platform team", "1.0.3/4",
                "AVAILABLE", null, List.of());
        String name = FanOut.sessionName(image);
        assertEquals(64, name.length());
        assertTrue(name.matches("[\\w+=,.@-]+"), name);
    }
}
