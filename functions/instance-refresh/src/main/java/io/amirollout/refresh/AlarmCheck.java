package io.amirollout.refresh;

import io.amirollout.shared.RolloutTags;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The group's {@code ami-rollout:alarms} must be what StartInstanceRefresh accepts, checked before anything
 * changes: "The names of one or more CloudWatch alarms to monitor for the instance refresh. You can specify up
 * to 10 alarms" (Auto Scaling API reference, AlarmSpecification) — names, not ARNs — and each must exist
 * (otherwise the refresh is refused, or rolls back on nothing), so DescribeAlarms is asked for them.
 */
final class AlarmCheck {

    static final int MAX_ALARMS = 10;

    private final CloudWatchClient cloudWatch;

    /** @param cloudWatch null: only the count and the names are checked, not that the alarms exist */
    AlarmCheck(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** What is wrong with the alarms, or empty when StartInstanceRefresh will accept them. */
    Optional<String> problem(List<String> alarms, String tagValue) {
        if (alarms.isEmpty()) {
            return Optional.empty();
        }
        String prefix = "tag " + RolloutTags.ALARMS + " '" + tagValue + "': ";
        if (alarms.size() > MAX_ALARMS) {
            return Optional.of(prefix + alarms.size() + " alarms, at most " + MAX_ALARMS + " are accepted by an instance refresh");
        }
        List<String> arns = alarms.stream().filter(a -> a.startsWith("arn:")).toList();
        if (!arns.isEmpty()) {
            return Optional.of(prefix + "alarm names only, not ARNs (" + String.join(", ", arns) + ")");
        }
        if (cloudWatch == null) {
            return Optional.empty();
        }
        Set<String> found = new HashSet<>();
        cloudWatch.describeAlarmsPaginator(DescribeAlarmsRequest.builder().alarmNames(alarms)
                        .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).build())
                .forEach(page -> {
                    page.metricAlarms().forEach(a -> found.add(a.alarmName()));
                    page.compositeAlarms().forEach(a -> found.add(a.alarmName()));
                });
        List<String> missing = alarms.stream().filter(a -> !found.contains(a)).toList();
        return missing.isEmpty() ? Optional.empty()
                : Optional.of(prefix + "no such CloudWatch alarm in this account and region: " + String.join(", ", missing));
    }
}
