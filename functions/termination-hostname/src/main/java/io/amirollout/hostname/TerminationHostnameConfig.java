package io.amirollout.hostname;

import io.amirollout.shared.Env;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * termination-hostname's configuration, read once at start-up.
 *
 * @param hostnameTopicArn       where the enriched instance event goes (the listeners' topic)
 * @param hostnameTagKey         the instance tag that holds the host name
 * @param instanceStates         the instance states that are published (lower case)
 * @param publishWithoutHostname publish even when the instance has no hostname tag
 * @param publishHostnameNotice  also send a HOSTNAME_PUBLISHED notice to the notifications topic
 * @param notificationTopicArn   notices go here; blank means log-only
 * @param dryRun                 decide and report, publish nothing
 */
public record TerminationHostnameConfig(String hostnameTopicArn, String hostnameTagKey, List<String> instanceStates,
                                        boolean publishWithoutHostname, boolean publishHostnameNotice,
                                        String notificationTopicArn, boolean dryRun) {

    /** The states EC2 reports in "EC2 Instance State-change Notification" events. */
    static final Set<String> EC2_STATES = Set.of("pending", "running", "shutting-down", "stopping", "stopped", "terminated");

    public TerminationHostnameConfig {
        instanceStates = List.copyOf(instanceStates);
    }

    public static TerminationHostnameConfig from(Env env) {
        String topic = env.required("HOSTNAME_TOPIC_ARN", "the SNS topic the hostname listeners subscribe to",
                v -> v.startsWith("arn:") && v.contains(":sns:"), "an SNS topic ARN");
        String tagKey = env.string("HOSTNAME_TAG_KEY", "hostname");
        List<String> states = env.list("INSTANCE_STATES").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (states.isEmpty()) {
            states = List.of("terminated");
        }
        for (String state : states) {
            if (!EC2_STATES.contains(state)) {
                env.problem("INSTANCE_STATES items must be EC2 instance states " + new java.util.TreeSet<>(EC2_STATES)
                        + " (got '" + state + "')");
            }
        }
        boolean withoutHostname = env.bool("PUBLISH_WITHOUT_HOSTNAME", false);
        boolean notice = env.bool("PUBLISH_HOSTNAME_NOTICE", false);
        String notifications = env.string("NOTIFICATION_TOPIC_ARN", "");
        if (!notifications.isEmpty() && !notifications.startsWith("arn:")) {
            env.problem("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got '" + notifications + "')");
        }
        boolean dryRun = env.dryRun();
        env.check();
        return new TerminationHostnameConfig(topic, tagKey, states, withoutHostname, notice, notifications, dryRun);
    }

    /** FIFO topics (name ends in .fifo) need a message group id and a deduplication id. */
    public boolean fifoTopic() {
        return hostnameTopicArn.endsWith(".fifo");
    }
}
