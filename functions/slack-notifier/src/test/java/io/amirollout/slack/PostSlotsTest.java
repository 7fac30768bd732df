package io.amirollout.slack;

import io.amirollout.shared.testing.InMemoryStateTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostSlotsTest {

    static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void twoContainersSharingTheTableNeverGetTheSameSecond() {
        InMemoryStateTable table = new InMemoryStateTable();
        PostSlots a = PostSlots.table(table, Duration.ofMillis(1100));
        PostSlots b = PostSlots.table(table, Duration.ofMillis(1100));
        assertEquals(T, a.reserve(T));
        assertEquals(T.plusMillis(1100), b.reserve(T));
        assertEquals(T.plusMillis(2200), a.reserve(T.plusMillis(5)));
        // After a quiet spell the next post may start at once.
        assertEquals(T.plusSeconds(60), b.reserve(T.plusSeconds(60)));
    }

    @Test
    void aLocalPacerSpacesOnlyItsOwnPosts() {
        PostSlots local = PostSlots.local(Duration.ofSeconds(1));
        assertEquals(T, local.reserve(T));
        assertEquals(T.plusSeconds(1), local.reserve(T.plusMillis(10)));
    }
}
