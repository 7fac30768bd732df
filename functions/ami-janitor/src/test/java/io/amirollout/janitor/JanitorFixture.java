package io.amirollout.janitor;

import io.amirollout.shared.testing.MutableClock;

import io.amirollout.shared.Env;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One region, one image name, the default policy (60 days, 7 days' grace, newest 2), simulated time. */
final class JanitorFixture {

    static final Instant START = Instant.parse("2026-11-30T03:00:00Z");
    static final String REGION = "eu-west-1";
    static final String NAME = "golden-al2023";

    final MutableClock clock = new MutableClock(START);
    final FakeEc2 ec2 = new FakeEc2(clock);
    final InMemoryStateTable table = new InMemoryStateTable();
    final RecordingPublisher notices = new RecordingPublisher();
    /** image id -> who references it (what the workload groups say). */
    final Map<String, List<String>> groupUsers = new LinkedHashMap<>();
    final List<String> unreadable = new ArrayList<>();
    long remainingMillis = 600_000;

    JanitorService service(Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("INFRA_ACCOUNT_ID", FakeEc2.OWNER);
        env.put("IMAGE_NAMES", NAME);
        env.put("REGIONS", REGION);
        env.put("WORKLOAD_ROLE_NAME", "ami-rollout-invoker-access");
        env.put("STATE_TABLE_NAME", "ami-rollout-state");
        env.put("DRY_RUN", "false");
        env.putAll(overrides);
        JanitorConfig config = JanitorConfig.from(Env.of(env));
        GroupReferences groups = region -> new GroupReferences.Snapshot(Map.copyOf(groupUsers), List.copyOf(unreadable));
        return new JanitorService(config, region -> ec2, groups, table, notices, clock);
    }

    JanitorService service() {
        return service(Map.of());
    }

    /** An AMI of this pipeline created {@code daysAgo} days before now, with one snapshot {@code snap-<id>}. */
    void ami(String imageId, int daysAgo, Map<String, String> tags) {
        ec2.add(imageId, NAME, clock.instant().minus(Duration.ofDays(daysAgo)), tags, "snap-" + imageId.substring(4));
    }

    void ami(String imageId, int daysAgo) {
        ami(imageId, daysAgo, Map.of());
    }

    JanitorResult run() {
        return service().run(false, () -> remainingMillis);
    }

    /** One scheduled run a day for {@code days} days. */
    List<JanitorResult> daily(int days) {
        List<JanitorResult> results = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            clock.advance(Duration.ofDays(1));
            results.add(run());
        }
        return results;
    }

    AmiMark.State state(String imageId) {
        return table.get(AmiMark.partition(REGION), AmiMark.sortKey(imageId)).map(i -> AmiMark.from(i).state()).orElse(null);
    }

    boolean registered(String imageId) {
        return ec2.images.containsKey(imageId);
    }
}
