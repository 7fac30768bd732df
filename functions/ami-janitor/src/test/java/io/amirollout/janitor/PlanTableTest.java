package io.amirollout.janitor;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTableTest {

    @Test
    void oneAlignedLinePerAmiUnderAHeader() {
        AmiPlan mark = new AmiPlan("eu-west-1", "ami-0123456789abcdef0", "golden-al2023 2026-09-01T10-00-00Z", "golden-al2023",
                90, AmiPlan.Action.MARK, List.of("90 days old, not in use: deregistered after 2026-12-07"),
                Instant.parse("2026-12-07T03:00:00Z"), List.of(), List.of());
        AmiPlan keep = new AmiPlan("us-east-1", "ami-0fedcba9876543210", "golden-al2023 2026-11-20T10-00-00Z", "golden-al2023",
                10, AmiPlan.Action.KEEP, List.of("one of the newest 2 of golden-al2023 in us-east-1"), null, List.of(), List.of());
        List<String> lines = PlanTable.render(List.of(mark, keep)).lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("ACTION     REGION         IMAGE"), lines.get(0));
        assertTrue(lines.get(1).startsWith("MARK       eu-west-1      ami-0123456789abcdef0   90d  golden-al2023 2026-09-01T10-00-00Z"), lines.get(1));
        assertTrue(lines.get(1).endsWith("90 days old, not in use: deregistered after 2026-12-07"));
        assertEquals(lines.get(1).indexOf("golden"), lines.get(2).indexOf("golden"), "columns line up");
    }
}
