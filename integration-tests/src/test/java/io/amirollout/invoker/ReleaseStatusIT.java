package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.it.Moto;
import io.amirollout.it.MotoScenario;
import io.amirollout.it.TopicQueue;
import io.amirollout.shared.Json;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.ReleaseGroupStatus;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.testing.FakeContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status request (issue 16) against the infra state table in moto (DynamoDB: the real query paginator,
 * consistent reads): a release with groups in every state across three accounts and two regions, fan-out
 * records next to them, a second release that must not leak in, and the summary sent to the notices topic.
 */
class ReleaseStatusIT extends MotoScenario {

    static final String RELEASE = "arn:aws:imagebuilder:eu-west-1:" + Moto.IMAGE_ACCOUNT + ":image/golden-al2023/1.0.3/1";
    static final String OLDER = "arn:aws:imagebuilder:eu-west-1:" + Moto.IMAGE_ACCOUNT + ":image/golden-al2023/1.0.2/1";
    static final List<String> STATES = List.of("DEFERRED", "STARTED", "SUCCEEDED", "NOT_CONVERGED", "ROLLING_BACK",
            "ROLLED_BACK", "FAILED", "SKIPPED");

    DynamoStateTable table;
    TopicQueue notices;
    CrossAccountInvokerHandler handler;

    @BeforeEach
    void seed() {
        DynamoDbClient dynamo = Moto.client(DynamoDbClient.builder());
        String name = "ami-rollout-state-" + System.nanoTime();
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        table = new DynamoStateTable(dynamo, name);
        String[] accounts = {"444455556666", "555566667777", "666677778888"};
        // 3 accounts x 2 regions x 4 groups = 24 groups, every state three times (more than one query page is not
        // needed for correctness, but moto pages at 1 MB like DynamoDB).
        int n = 0;
        for (String account : accounts) {
            for (String region : List.of("eu-west-1", "eu-central-1")) {
                for (int g = 0; g < 4; g++) {
                    String state = STATES.get(n % STATES.size());
                    table.put(new ReleaseGroupStatus(RELEASE, account, region, "asg-" + g, state, "REFRESH_" + state,
                            Instant.parse("2026-11-21T10:00:00Z").plusSeconds(n),
                            state.equals("DEFERRED") ? "2026-11-2" + (3 + n % 5) + "T15:00:00Z" : null,
                            "ami-0123456789abcdef0", null, null).toItem(0));
                    n++;
                }
                table.put(new StateItem(ReleaseGroupStatus.partition(RELEASE), "target#" + account + "#" + region,
                        Map.of("state", account.startsWith("666") ? "FAILED" : "INVOKED", "attempts", "1"), 0, null));
            }
        }
        table.put(new ReleaseGroupStatus(OLDER, accounts[0], "eu-west-1", "asg-0", "SUCCEEDED", "REFRESH_SUCCEEDED",
                Instant.parse("2026-11-07T10:00:00Z"), null, "ami-0fedcba9876543210", null, null).toItem(0));
        table.put(new StateItem(ReleaseGroupStatus.LATEST_PK, ReleaseGroupStatus.LATEST_SK,
                Map.of(ReleaseGroupStatus.LATEST_ATTRIBUTE, RELEASE), 0, null));
        notices = TopicQueue.create("ami-rollout-status-notices");
        handler = new CrossAccountInvokerHandler(null, new ReleaseStatusService(table,
                SnsNotificationPublisher.forTopic(Moto.client(SnsClient.builder()), notices.topicArn()), CLOCK));
    }

    @Test
    void theLatestReleaseWithAccountsInEveryStateIsAnsweredAsJsonAndSummarisedToSlack() {
        JsonNode report = invoke("{\"status\": \"latest\", \"notify\": true}");

        assertEquals("OK", report.get("status").asText(), report.toString());
        assertEquals(RELEASE, report.get("releaseArn").asText());
        Map<String, Integer> counts = new TreeMap<>();
        report.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> expected = new TreeMap<>();
        STATES.forEach(s -> expected.put(s, 3));
        assertEquals(expected, counts, "24 groups, three in each state");
        assertEquals(24, report.get("groups").size());
        assertEquals(2, report.get("targetCounts").get("FAILED").asInt());
        assertEquals(4, report.get("targetCounts").get("INVOKED").asInt());
        List<String> windows = new ArrayList<>();
        report.get("waiting").forEach(w -> windows.add(w.get("deferredUntil").asText()));
        assertEquals(3, windows.size());
        assertEquals(windows.stream().sorted().toList(), windows, "soonest window first");
        report.get("groups").forEach(g -> assertEquals(RELEASE, g.get("releaseArn").asText(), "no other release"));

        List<JsonNode> sent = notices.drainMessages();
        assertEquals(1, sent.size());
        JsonNode notice = sent.get(0);
        assertEquals("RELEASE_STATUS", notice.get("kind").asText());
        assertEquals("Release golden-al2023/1.0.3/1: 3 of 24 groups done", notice.get("title").asText());
        assertEquals("WARNING", notice.get("severity").asText());
        assertEquals(3, notice.get("details").get("nextWindows").size());
    }

    @Test
    void aNamedReleaseIsReadWithoutNotifying() {
        JsonNode report = invoke("{\"status\": \"" + OLDER + "\"}");
        assertEquals("OK", report.get("status").asText());
        assertEquals(1, report.get("groups").size());
        assertEquals(1, report.get("counts").get("SUCCEEDED").asInt());
        assertTrue(notices.drainMessages().isEmpty());
        assertEquals("NOT_FOUND", invoke("{\"status\": \"" + RELEASE.replace("1.0.3", "9.9.9") + "\"}").get("status").asText());
    }

    private JsonNode invoke(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeContext("cross-account-invoker", 60_000));
        return Json.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
