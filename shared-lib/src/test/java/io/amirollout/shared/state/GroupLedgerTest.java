package io.amirollout.shared.state;

import io.amirollout.shared.testing.InMemoryStateTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private final InMemoryStateTable table = new InMemoryStateTable();
    private final GroupLedger ledger = new GroupLedger(table);

    @Test
    void twoDecidersReadingTheSameHeadOnlyOneWins() {
        GroupHead read1 = ledger.head("web");
        GroupHead read2 = ledger.head("web");
        assertTrue(ledger.writeHead(read1.desire("ami-11111111", ReleaseSource.RELEASE, NOW)));
        assertFalse(ledger.writeHead(read2.desire("ami-22222222", ReleaseSource.TICK, NOW)));
        GroupHead stored = ledger.head("web");
        assertEquals("ami-11111111", stored.desiredImageId());
        assertEquals(1, stored.revision());
        assertTrue(ledger.writeHead(stored.started("ami-11111111", NOW)));
        assertEquals(2, ledger.head("web").revision());
    }

    @Test
    void releaseRoundTripsEveryField() {
        GroupRelease release = GroupRelease.received("web", "ami-11111111", "golden", "corr", ReleaseSource.MANUAL, true, NOW)
                .started("lt-1", "7", "8", "rid-1", NOW.plusSeconds(60));
        assertTrue(ledger.writeRelease(release));
        GroupRelease stored = ledger.release("web", "ami-11111111").orElseThrow();
        assertEquals(release.withRevision(1), stored);
        assertEquals(ReleaseState.STARTED, stored.state());
        assertEquals(stored, ledger.releaseByRefresh("web", "rid-1").orElseThrow());
        assertFalse(ledger.writeRelease(release), "a stale revision loses");
    }

    @Test
    void aRejectionIsWrittenOnceAndKeepsTheFirstReason() {
        RejectedAmi first = new RejectedAmi("web", "ami-11111111", "rollback-on-alarm", "alarm X", "rid-1", NOW);
        assertTrue(ledger.reject(first));
        assertFalse(ledger.reject(new RejectedAmi("web", "ami-11111111", "manual", "again", null, NOW)));
        assertEquals(first, ledger.rejection("web", "ami-11111111").orElseThrow());
        assertEquals(Map.of("ami-11111111", first), ledger.rejected("web"));
        assertTrue(ledger.rejected("api").isEmpty(), "rejections are per group");
    }

    @Test
    void anEventIsClaimedOnceUntilReleased() {
        ProcessedEvents events = new ProcessedEvents(table);
        assertTrue(events.claim("hostname", "i-0123456789abcdef0", NOW, Duration.ofDays(3), Map.of("state", "claimed")));
        assertFalse(events.claim("hostname", "i-0123456789abcdef0", NOW, Duration.ofDays(3), Map.of()));
        assertEquals(NOW.plus(Duration.ofDays(3)), events.find("hostname", "i-0123456789abcdef0").orElseThrow().expiresAt());
        events.release("hostname", "i-0123456789abcdef0");
        assertTrue(events.claim("hostname", "i-0123456789abcdef0", NOW, Duration.ofDays(3), Map.of()));
    }
}
