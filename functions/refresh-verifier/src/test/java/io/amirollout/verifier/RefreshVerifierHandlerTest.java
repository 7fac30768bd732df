package io.amirollout.verifier;

import io.amirollout.shared.testing.MutableClock;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Env;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.amirollout.verifier.RefreshVerifierScenarioTest.GROUP;
import static io.amirollout.verifier.RefreshVerifierScenarioTest.NEW_AMI;
import static io.amirollout.verifier.RefreshVerifierScenarioTest.REFRESH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample in events/refresh-verifier/ fed as raw bytes to the handler (EventBridge samples also read by the
 * Lambda runtime's own ScheduledEvent type), against a group whose refresh went well; and bad input answered without
 * any AWS call that changes something. The continuation's wire format (async Lambda Invoke) is checked here too.
 */
class RefreshVerifierHandlerTest {

    static final Map<String, String> EXPECTED = Map.of(
            "checkpoint-reached.json", "PASSED",
            "checkpoint-reached-dry-run.json", "PASSED",
            "refresh-succeeded.json", "PASSED",
            "manual-verify.json", "PASSED",
            "manual-verify-dry-run.json", "PASSED",
            "continuation.json", "PASSED");

    private LocalAwsEndpoint endpoint;
    private FakeAws aws;
    private RefreshVerifierHandler handler;
    private RecordingPublisher notices;

    @BeforeEach
    void setUp() {
        endpoint = LocalAwsEndpoint.start();
        aws = new FakeAws(endpoint.server());
        InMemoryStateTable table = new InMemoryStateTable();
        GroupLedger ledger = new GroupLedger(table);
        Instant t = Instant.parse("2026-11-25T15:00:00Z");
        ledger.writeRelease(GroupRelease.received(GROUP, NEW_AMI, "golden", "corr", ReleaseSource.RELEASE, false, t)
                .started(FakeAws.LT, "7", "8", REFRESH, t));
        ledger.writeHead(GroupHead.empty(GROUP).desire(NEW_AMI, ReleaseSource.RELEASE, t).started(NEW_AMI, t));
        aws.tags.put("ami-rollout:test-document", "web-health");
        for (String id : new String[] {"i-0new00000000000001", "i-0new00000000000002"}) {
            aws.instances.add(new FakeAws.Member(id, "InService", "8", false));
            aws.invocations.put(id, "Success");
        }
        aws.refreshes.add(new FakeAws.Refresh(REFRESH, "Successful", "8"));
        aws.apply();
        notices = new RecordingPublisher();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T15:12:45Z"));
        handler = new RefreshVerifierHandler(RefreshVerifierHandler.service(
                RefreshVerifierConfig.from(Env.of(Map.of("STATE_TABLE_NAME", "ami-rollout-state"))),
                endpoint.client(AutoScalingClient.builder()),
                endpoint.client(ElasticLoadBalancingV2Client.builder()), endpoint.client(EcsClient.builder()),
                endpoint.client(SsmClient.builder()), Continuations.lambda(endpoint.client(LambdaClient.builder())),
                notices, table, clock, d -> {
                    clock.advance(d);
                    aws.apply();
                }));
    }

    @AfterEach
    void tearDown() {
        endpoint.stop();
    }

    @Test
    void everySampleIsExpected() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../../events/refresh-verifier"))) {
            assertEquals(new TreeSet<>(EXPECTED.keySet()), files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint-reached.json", "checkpoint-reached-dry-run.json", "refresh-succeeded.json",
            "manual-verify.json", "manual-verify-dry-run.json"})
    void eachSampleIsAnswered(String name) {
        String path = "../../events/refresh-verifier/" + name;
        if (TestFiles.read(path).contains("detail-type")) {
            ScheduledEvent event = EventLoader.loadScheduledEvent(path);
            assertEquals("aws.autoscaling", event.getSource());
        }
        JsonNode result = StreamInvocation.invoke(handler, TestFiles.stream(path), new FakeContext("ami-rollout-refresh-verifier", 300_000));
        assertEquals(EXPECTED.get(name), result.path("outcome").asText(), result.toString());
        assertEquals(name.contains("dry-run"), result.path("dryRun").asBoolean());
        assertEquals(0, aws.count("RollbackInstanceRefresh") + aws.count("StartInstanceRefresh"));
        assertEquals(name.contains("dry-run") ? 0 : 1, aws.count("SendCommand"), result.toString());
    }

    @Test
    void theContinuationSampleResumesWhatAnEarlierInvocationHandedOver() {
        aws.invocations.replaceAll((k, v) -> "InProgress");
        aws.apply();
        JsonNode first = StreamInvocation.invoke(handler, TestFiles.stream("../../events/refresh-verifier/checkpoint-reached.json"),
                new FakeContext("ami-rollout-refresh-verifier", 30_000));
        assertEquals("CONTINUED", first.path("outcome").asText(), first.toString());
        // The hand-over went out as an asynchronous Invoke of the same function ARN with the continuation payload.
        assertEquals(1, endpoint.server().getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains("/invocations")).count());
        var invoke = endpoint.server().getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains("/invocations"))
                .findFirst().orElseThrow().getRequest();
        assertEquals("Event", invoke.getHeader("X-Amz-Invocation-Type"));
        assertTrue(invoke.getUrl().contains("ami-rollout-refresh-verifier"), invoke.getUrl());
        assertEquals("{\"continuation\":{\"id\":\"" + REFRESH + "#checkpoint-10\"}}", invoke.getBodyAsString());
        aws.invocations.replaceAll((k, v) -> "Success");
        aws.apply();

        JsonNode second = StreamInvocation.invoke(handler, TestFiles.stream("../../events/refresh-verifier/continuation.json"),
                new FakeContext("ami-rollout-refresh-verifier", 300_000));

        assertEquals(EXPECTED.get("continuation.json"), second.path("outcome").asText(), second.toString());
        assertEquals(1, aws.count("SendCommand"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"verify\":\"web-asg\",\"reject\":\"ami-1\"}", "not json", "{}",
            "{\"source\":\"aws.autoscaling\",\"detail-type\":\"EC2 Auto Scaling Instance Refresh Failed\",\"detail\":{}}"})
    void badInputIsAnsweredWithoutAnAwsCall(String input) {
        JsonNode result = StreamInvocation.invoke(handler, input, new FakeContext());
        assertEquals("INVALID_EVENT", result.path("outcome").asText(), result.toString());
        assertEquals(0, aws.requests().size());
        assertTrue(notices.all().isEmpty());
    }
}
