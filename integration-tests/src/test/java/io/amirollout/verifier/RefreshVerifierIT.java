package io.amirollout.verifier;

import io.amirollout.it.Moto;
import io.amirollout.shared.autoscaling.RefreshSettings;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * refresh-verifier's state against a real DynamoDB emulation (moto supports conditional writes): a verification is
 * claimed once, advanced only by the writer holding the current revision, and an undo recorded twice (a duplicate,
 * a retry, rollback-on-alarm first) rejects the AMI once and leaves the release's state as the first writer set it.
 */
class RefreshVerifierIT {

    static final Instant T = Instant.parse("2026-11-25T15:00:00Z");

    private DynamoStateTable table;
    private GroupLedger ledger;

    @BeforeEach
    void setUp() {
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(Moto.endpoint()).region(Moto.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        String name = "verifier-it-" + System.nanoTime();
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        table = new DynamoStateTable(dynamo, name);
        ledger = new GroupLedger(table);
    }

    @Test
    void aVerificationIsClaimedOnceAndAdvancedOnlyByTheCurrentRevision() {
        Verifications verifications = new Verifications(table);
        Optional<Verification> first = verifications.claim("r-1#checkpoint-10", "web-asg", "r-1", "ami-new", Phase.CHECKPOINT,
                T, T.plusSeconds(300));
        assertTrue(first.isPresent());
        assertFalse(verifications.claim("r-1#checkpoint-10", "web-asg", "r-1", "ami-new", Phase.CHECKPOINT, T, T.plusSeconds(300))
                .isPresent(), "a duplicate event does not claim it again");

        Verification withCommand = verifications.write(first.get().withCommand("cmd-1", List.of("i-1", "i-2"))).orElseThrow();
        assertFalse(verifications.write(first.get().decided(Verification.State.PASSED, "[]")).isPresent(),
                "a writer holding an old revision loses");
        verifications.write(withCommand.decided(Verification.State.FAILED, "[]")).orElseThrow();

        Verification read = verifications.find("r-1#checkpoint-10").orElseThrow();
        assertEquals(Verification.State.FAILED, read.state());
        assertEquals("cmd-1", read.commandId());
        assertEquals(List.of("i-1", "i-2"), read.commandInstances());
        assertEquals(T.plusSeconds(300), read.leaseUntil());
    }

    @Test
    void anUndoRecordedTwiceRejectsOnceAndKeepsTheFirstOutcome() {
        GroupRelease release = GroupRelease.received("web-asg", "ami-new", "golden", "c", ReleaseSource.RELEASE, false, T)
                .started("lt-1", "7", "8", "r-1", T);
        assertTrue(ledger.writeRelease(release));
        GroupRelease stored = ledger.release("web-asg", "ami-new").orElseThrow();
        // AWS (or rollback-on-alarm) is already rolling it back: the plan only records, so no Auto Scaling call is made.
        UndoPlan plan = UndoPlanner.plan(Phase.CHECKPOINT, stored, List.of(InstanceRefresh.builder().instanceRefreshId("r-1")
                .status("RollbackInProgress").build()), RefreshSettings.from(Map.of(), "Ignore", "Ignore"), "ssm-document: exit 1");
        UndoApplier applier = new UndoApplier(null, ledger);

        UndoApplier.Applied once = applier.apply(stored, plan, T.plusSeconds(60));
        UndoApplier.Applied twice = applier.apply(stored, plan, T.plusSeconds(90)); // stale revision: re-read, already done

        assertEquals(UndoPlan.Outcome.ALREADY_UNDONE, once.outcome());
        assertTrue(once.done().contains("rejected ami-new"), once.done().toString());
        assertTrue(twice.done().contains("ami-new was already rejected"), twice.done().toString());
        assertTrue(twice.done().contains("release already ROLLED_BACK"), twice.done().toString());
        assertEquals(ReleaseState.ROLLED_BACK, ledger.release("web-asg", "ami-new").orElseThrow().state());
        assertEquals("refresh-verifier", ledger.rejection("web-asg", "ami-new").orElseThrow().by());
        assertEquals(1, ledger.rejected("web-asg").size());
    }
}
