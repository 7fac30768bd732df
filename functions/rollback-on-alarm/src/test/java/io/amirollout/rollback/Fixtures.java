package io.amirollout.rollback;

import io.amirollout.shared.RolloutTags;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.GroupRelease;
import io.amirollout.shared.state.ReleaseSource;
import io.amirollout.shared.state.ReleaseState;
import io.amirollout.shared.state.StateTable;
import org.mockito.Mockito;
import org.mockito.invocation.InvocationOnMock;
import org.mockito.stubbing.Answer;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.mockito.Mockito.withSettings;

/** Test data and mocks shared by the rollback tests. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-21T15:45:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ALARM = "web-ecs-task-errors";
    static final String ALARM_ARN = "arn:aws:cloudwatch:eu-west-1:444455556666:alarm:web-ecs-task-errors";
    static final String TEMPLATE = "lt-0a1b2c3d4e5f67890";

    /** The AMI of "our" release in the tests: instance-refresh moved the group from version 7 to 8 with it. */
    static final String BAD_AMI = "ami-0bad0000000000008";

    private Fixtures() {
    }

    /**
     * Records, as instance-refresh does when it starts a refresh, that refresh {@code refreshId} of {@code group}
     * is ours: head.latestImageId = {@link #BAD_AMI}, release 7 -> 8 on {@link #TEMPLATE}, in {@code state}.
     */
    static GroupLedger ours(StateTable table, String group, String refreshId, ReleaseState state) {
        GroupLedger ledger = new GroupLedger(table);
        Instant at = NOW.minus(java.time.Duration.ofMinutes(40));
        if (!ledger.writeHead(ledger.head(group).desire(BAD_AMI, ReleaseSource.RELEASE, at).started(BAD_AMI, at))) {
            throw new IllegalStateException("head");
        }
        GroupRelease release = GroupRelease.received(group, BAD_AMI, "golden-al2023 2026-11-21T10-00-00Z",
                "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden-al2023/1.0.3/1", ReleaseSource.RELEASE, false, at)
                .started(TEMPLATE, "7", "8", refreshId, at);
        if (!ledger.writeRelease(release)) {
            throw new IllegalStateException("release");
        }
        if (state != ReleaseState.STARTED) {
            GroupRelease stored = ledger.release(group, BAD_AMI).orElseThrow();
            ledger.writeRelease(stored.ended(state, "test", at));
        }
        return ledger;
    }

    /**
     * An AutoScalingClient mock. The SDK's paginators and Consumer-overloads are default methods that build
     * a request and call the request-typed operation, so they run for real; every operation answers Mockito's
     * default (null) unless stubbed.
     */
    static AutoScalingClient autoScalingMock() {
        Answer<Object> answer = (InvocationOnMock invocation) -> {
            Method method = invocation.getMethod();
            boolean helper = method.getName().endsWith("Paginator")
                    || (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Consumer.class);
            return helper ? invocation.callRealMethod() : Mockito.RETURNS_DEFAULTS.answer(invocation);
        };
        return Mockito.mock(AutoScalingClient.class, withSettings().defaultAnswer(answer));
    }

    static RollbackOnAlarmConfig config() {
        return config(List.of(), List.of());
    }

    static RollbackOnAlarmConfig config(List<String> targetGroups, List<String> guardAlarms) {
        return new RollbackOnAlarmConfig(targetGroups, guardAlarms, java.time.Duration.ofMinutes(60), "Ignore", "Ignore",
                "ami-rollout-state", "", false);
    }

    static AlarmStateChange alarm(String state, String previous) {
        return new AlarmStateChange(ALARM, ALARM_ARN, AlarmKind.METRIC, state, previous, "Threshold Crossed",
                null, null, null, "444455556666", "eu-west-1", "2026-11-21T15:42:10.224+0000",
                AlarmStateChange.Via.EVENTBRIDGE, "evt-1");
    }

    static AlarmStateChange firing() {
        return alarm("ALARM", "OK");
    }

    /** A group on launch template {@link #TEMPLATE} version 8 that guards {@link #ALARM}; previous version 7. */
    static AutoScalingGroup group(String name, Map<String, String> extraTags) {
        List<TagDescription> tags = new ArrayList<>();
        tags.add(tag(name, RolloutTags.ALARMS, ALARM + ", other-alarm"));
        tags.add(tag(name, RolloutTags.PREVIOUS_VERSION, "7"));
        tags.add(tag(name, RolloutTags.CURRENT_VERSION, "8"));
        tags.add(tag(name, RolloutTags.LAUNCH_TEMPLATE_ID, TEMPLATE));
        extraTags.forEach((k, v) -> {
            tags.removeIf(t -> t.key().equals(k));
            if (v != null) {
                tags.add(tag(name, k, v));
            }
        });
        return AutoScalingGroup.builder().autoScalingGroupName(name)
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(TEMPLATE)
                        .launchTemplateName("web").version("8").build())
                .tags(tags).build();
    }

    static AutoScalingGroup group(String name) {
        return group(name, Map.of());
    }

    static TagDescription tag(String group, String key, String value) {
        return TagDescription.builder().resourceId(group).resourceType("auto-scaling-group").key(key).value(value)
                .propagateAtLaunch(false).build();
    }

    static InstanceRefresh refresh(String id, String status, String version, Instant start, Instant end) {
        return InstanceRefresh.builder().instanceRefreshId(id).autoScalingGroupName("web-asg").status(status)
                .startTime(start).endTime(end)
                .desiredConfiguration(version == null ? null : DesiredConfiguration.builder()
                        .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(TEMPLATE).version(version).build())
                        .build())
                .build();
    }
}
