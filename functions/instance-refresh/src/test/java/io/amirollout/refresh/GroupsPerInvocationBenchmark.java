package io.amirollout.refresh;

import io.amirollout.shared.Env;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.StateItem;
import io.amirollout.shared.state.StateTable;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import org.mockito.Mockito;
import software.amazon.awssdk.core.SdkResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.amirollout.refresh.FakeAws.*;

/**
 * Issue 12 item 11 (a benchmark, not a test): how many groups one invocation handles within the function's
 * 120 s timeout when every AWS call (EC2, Auto Scaling, DynamoDB) takes 50 ms. Counts the real API calls per group
 * (Mockito's record of the stubbed operations, the state table's operations) for a release that starts a refresh
 * in every group and for a tick with nothing to do, and measures the CPU time per group without latency.
 * Run: mvn -o -pl functions/instance-refresh test-compile, then
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" io.amirollout.refresh.GroupsPerInvocationBenchmark
 */
public final class GroupsPerInvocationBenchmark {

    static final Duration CALL = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    public static void main(String[] args) {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        for (String scenario : List.of("release starting a refresh in every group", "tick with nothing pending")) {
            FakeAws aws = new FakeAws().standardImages().template(InstanceRefreshServiceTest.LT, OLD_AMI);
            for (int i = 0; i < groups; i++) {
                aws.group(String.format("asg-%03d", i), InstanceRefreshServiceTest.LT, "1", enabled());
            }
            AtomicInteger tableCalls = new AtomicInteger();
            StateTable table = counting(new InMemoryStateTable(), tableCalls);
            InstanceRefreshService service = new InstanceRefreshService(InstanceRefreshConfig.from(Env.of(Map.of(
                    "TRUSTED_IMAGE_OWNERS", TRUSTED, "STATE_TABLE_NAME", "state", "VERSION_RETENTION_DAYS", "0"))), REGION, aws.ec2,
                    aws.autoScaling, new RecordingPublisher(), new GroupLedger(table),
                    Clock.fixed(InstanceRefreshServiceTest.SUNDAY_0030, ZoneOffset.UTC));
            ImageReleased release = InstanceRefreshServiceTest.release(NEW_AMI, false);
            // warm up the JIT on a throwaway account, then measure
            long start = System.nanoTime();
            RefreshResult result = scenario.startsWith("release") ? service.release(release) : service.tick();
            long cpuNanos = System.nanoTime() - start;
            long awsCalls = apiCalls(aws.ec2) + apiCalls(aws.autoScaling) + tableCalls.get();
            double callsPerGroup = (double) awsCalls / groups;
            double secondsPerGroup = callsPerGroup * CALL.toMillis() / 1000.0 + cpuNanos / 1e9 / groups;
            double usable = (TIMEOUT.minus(Budget.DEFAULT_RESERVE)).toMillis() / 1000.0;
            System.out.printf("%s: %d groups, outcomes %s%n", scenario, groups, outcomes(result));
            System.out.printf("  AWS calls per group %.1f -> %.2f s per group at %d ms per call (+ %.1f ms CPU per group, cold JVM)%n",
                    callsPerGroup, secondsPerGroup, CALL.toMillis(), cpuNanos / 1e6 / groups);
            System.out.printf("  groups per invocation within %d s (reserve %d s): %d%n", TIMEOUT.toSeconds(),
                    Budget.DEFAULT_RESERVE.toSeconds(), (int) Math.floor(usable / secondsPerGroup));
        }
    }

    private static Map<GroupOutcome, Integer> outcomes(RefreshResult result) {
        Map<GroupOutcome, Integer> out = new HashMap<>();
        result.groups().forEach(g -> out.merge(g.outcome(), 1, Integer::sum));
        return out;
    }

    /** Invocations of the mock's API operations (those returning an SDK response; paginator wrappers excluded). */
    private static long apiCalls(Object mock) {
        return Mockito.mockingDetails(mock).getInvocations().stream()
                .filter(i -> SdkResponse.class.isAssignableFrom(i.getMethod().getReturnType())).count();
    }

    private static StateTable counting(StateTable real, AtomicInteger calls) {
        return new StateTable() {
            public Optional<StateItem> get(String pk, String sk) { calls.incrementAndGet(); return real.get(pk, sk); }
            public List<StateItem> query(String pk, String prefix) { calls.incrementAndGet(); return real.query(pk, prefix); }
            public boolean putIfAbsent(StateItem item) { calls.incrementAndGet(); return real.putIfAbsent(item); }
            public boolean replace(StateItem item) { calls.incrementAndGet(); return real.replace(item); }
            public void put(StateItem item) { calls.incrementAndGet(); real.put(item); }
            public void delete(String pk, String sk) { calls.incrementAndGet(); real.delete(pk, sk); }
        };
    }

    private GroupsPerInvocationBenchmark() {
    }
}
