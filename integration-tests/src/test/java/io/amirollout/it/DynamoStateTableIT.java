package io.amirollout.it;

import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupHead;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.StateItem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shared-lib's DynamoStateTable against DynamoDB in moto: the conditional writes decisions rely on, and paging. */
class DynamoStateTableIT {

    DynamoStateTable table;
    AtomicInteger queryPages = new AtomicInteger();

    @BeforeEach
    void table() {
        Moto.reset();
        String name = StateTableInMoto.create();
        // Pages of 3 items: the SDK paginator must follow LastEvaluatedKey for the table to see everything.
        DynamoDbClient smallPages = DynamoDbClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build())
                .region(Moto.REGION).endpointOverride(Moto.endpoint())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                        if (context.request() instanceof QueryRequest query) {
                            queryPages.incrementAndGet();
                            return query.toBuilder().limit(3).build();
                        }
                        return context.request();
                    }
                }))
                .build();
        table = new DynamoStateTable(smallPages, name);
    }

    @Test
    void putIfAbsentLetsOnlyTheFirstWriterWin() {
        assertTrue(table.putIfAbsent(new StateItem("group#web", "rejected#ami-1", Map.of("by", "manual"), 0, null)));
        assertFalse(table.putIfAbsent(new StateItem("group#web", "rejected#ami-1", Map.of("by", "aws-auto-rollback"), 0, null)));
        StateItem stored = table.get("group#web", "rejected#ami-1").orElseThrow();
        assertEquals("manual", stored.getOrNull("by"));
        assertEquals(1, stored.revision());
    }

    @Test
    void replaceIsConditionalOnTheRevisionRead() {
        GroupLedger ledger = new GroupLedger(table);
        GroupHead empty = ledger.head("web");
        assertEquals(0, empty.revision());
        assertTrue(ledger.writeHead(empty.desire("ami-1", ReleaseSource.RELEASE, Instant.parse("2026-11-21T10:00:00Z"))));
        assertFalse(ledger.writeHead(empty.desire("ami-2", ReleaseSource.TICK, Instant.parse("2026-11-21T10:00:01Z"))),
                "a second writer that read the item before the first wrote it loses");

        GroupHead first = ledger.head("web");
        assertEquals(1, first.revision());
        assertEquals("ami-1", first.desiredImageId());
        assertTrue(ledger.writeHead(first.started("ami-1", Instant.parse("2026-11-21T10:05:00Z"))));
        assertFalse(ledger.writeHead(first.touched(Instant.parse("2026-11-21T10:06:00Z"))), "stale revision");
        assertEquals(2, ledger.head("web").revision());
        assertEquals("ami-1", ledger.head("web").latestImageId());
    }

    @Test
    void queryReadsEveryPageInSortKeyOrderAndOnlyThePrefix() {
        for (int i = 0; i < 10; i++) {
            table.put(new StateItem("group#web", "release#ami-" + i, Map.of("n", Integer.toString(i)), 0, null));
        }
        table.put(new StateItem("group#web", "rejected#ami-3", Map.of(), 0, null));
        table.put(new StateItem("group#api", "release#ami-9", Map.of(), 0, null));

        List<StateItem> releases = table.query("group#web", "release#");

        assertEquals(10, releases.size(), releases.toString());
        assertEquals("release#ami-0", releases.get(0).sk());
        assertEquals("release#ami-9", releases.get(9).sk());
        assertTrue(queryPages.get() >= 4, "10 items in pages of 3 take 4 requests: " + queryPages.get());
        assertEquals(11, table.query("group#web", null).size());
    }

    @Test
    void expiryIsStoredAsEpochSecondsForTtl() {
        Instant expires = Instant.parse("2026-12-21T00:00:00Z");
        table.put(new StateItem("event#hostname#i-1", "event", Map.of("state", "published"), 0, expires));
        assertEquals(expires, table.get("event#hostname#i-1", "event").orElseThrow().expiresAt());
        table.delete("event#hostname#i-1", "event");
        assertTrue(table.get("event#hostname#i-1", "event").isEmpty());
    }
}
