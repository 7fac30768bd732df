package io.amirollout.hostname;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * termination-hostname's configuration, read once at start-up.
 *
 * @param hostnameTopicArn       where the enriched instance event goes (the listeners' topic)
 * @param hostnameTagKeys        the instance tags that may hold the host name, tried in order
 * @param privateDnsName         when no tag holds it, use the instance's private DNS name
 * @param instanceStates         the EC2 states that are acted on (lower case)
 * @param publishWithoutHostname publish (with {@code hostname: null} and a reason) when no hostname is found
 * @param publishHostnameNotice  also send a HOSTNAME_PUBLISHED notice to the notifications topic
 * @param notificationTopicArn   notices go here; blank means log-only
 * @param lifecycleHookName      the terminate lifecycle hook this function completes (other hooks are not ours)
 * @param stateTableName         the stack's state table (the "published" record per instance)
 * @param dryRun                 decide and report, publish and complete nothing
 */
public record TerminationHostnameConfig(String hostnameTopicArn, List<String> hostnameTagKeys, boolean privateDnsName,
                                        List<String> instanceStates, boolean publishWithoutHostname,
                                        boolean publishHostnameNotice, String notificationTopicArn,
                                        String lifecycleHookName, String stateTableName, boolean dryRun) {

    /**
     * The EC2 states that mean the instance is going away. One message per instance means the first event
     * acted on claims it: acting on {@code running} or {@code stopped} would claim it long before it is
     * terminated and silence its termination, so those are refused.
     */
    static final Set<String> EC2_STATES = Set.of("shutting-down", "terminated");
    static final List<String> DEFAULT_STATES = List.of("shutting-down", "terminated");
    static final String DEFAULT_HOOK = "ami-rollout-hostname";

    public TerminationHostnameConfig {
        hostnameTagKeys = List.copyOf(hostnameTagKeys);
        instanceStates = List.copyOf(instanceStates);
    }

    public static TerminationHostnameConfig from(Env env) {
        String topic = env.required("HOSTNAME_TOPIC_ARN", "the SNS topic the hostname listeners subscribe to",
                v -> v.startsWith("arn:") && v.contains(":sns:"), "an SNS topic ARN");
        // Commas only: a tag key may contain spaces ("Computer Name").
        List<String> tagKeys = env.optional("HOSTNAME_TAG_KEY").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(k -> !k.isEmpty()).toList();
        if (tagKeys.isEmpty()) {
            tagKeys = List.of("hostname");
        }
        boolean privateDns = env.bool("HOSTNAME_FROM_PRIVATE_DNS", false);
        List<String> states = env.list("INSTANCE_STATES").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (states.isEmpty()) {
            states = DEFAULT_STATES;
        }
        for (String state : states) {
            if (!EC2_STATES.contains(state)) {
                env.problem("INSTANCE_STATES items must be states of a terminating instance " + new TreeSet<>(EC2_STATES)
                        + " (got '" + state + "'): one message is published per terminated instance");
            }
        }
        boolean withoutHostname = env.bool("PUBLISH_WITHOUT_HOSTNAME", true);
        boolean notice = env.bool("PUBLISH_HOSTNAME_NOTICE", false);
        String notifications = env.string("NOTIFICATION_TOPIC_ARN", "");
        if (!notifications.isEmpty() && !notifications.startsWith("arn:")) {
            env.problem("NOTIFICATION_TOPIC_ARN must be an SNS topic ARN (got '" + notifications + "')");
        }
        String hook = env.string("LIFECYCLE_HOOK_NAME", DEFAULT_HOOK);
        String table = env.required(StateTables.TABLE_NAME_VARIABLE,
                "the stack's state table (one \"published\" record per terminated instance)");
        boolean dryRun = env.dryRun();
        env.check();
        return new TerminationHostnameConfig(topic, tagKeys, privateDns, states, withoutHostname, notice, notifications,
                hook, table, dryRun);
    }

    /** FIFO topics (name ends in .fifo) need a message group id and a deduplication id. */
    public boolean fifoTopic() {
        return hostnameTopicArn.endsWith(".fifo");
    }

    /** The sources tried, in order, as the message and the notice name them. */
    public List<String> sources() {
        List<String> sources = new java.util.ArrayList<>(hostnameTagKeys.stream().map(k -> "tag:" + k).toList());
        if (privateDnsName) {
            sources.add(HostnameSources.PRIVATE_DNS);
        }
        return sources;
    }
}
