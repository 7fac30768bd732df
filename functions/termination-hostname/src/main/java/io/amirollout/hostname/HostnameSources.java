package io.amirollout.hostname;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what EC2 still says about an instance and finds its hostname: the configured tag keys in order
 * (exact key, else a key differing only in case, e.g. {@code Hostname}), then the private DNS name
 * when configured.
 */
final class HostnameSources {

    static final String PRIVATE_DNS = "privateDnsName";
    static final String NOT_FOUND = "InvalidInstanceID.NotFound";

    /**
     * What EC2 answered about the instance.
     *
     * @param known          false when EC2 no longer (or never) described it
     * @param tags           its tags (empty once EC2 has disassociated them)
     * @param privateDnsName its private DNS name, or null
     * @param state          its state as EC2 reports it now, or null
     */
    record InstanceFacts(boolean known, Map<String, String> tags, String privateDnsName, String state) {
        InstanceFacts {
            tags = Map.copyOf(tags);
        }

        static InstanceFacts unknown() {
            return new InstanceFacts(false, Map.of(), null, null);
        }
    }

    /**
     * The hostname found, or why there is none.
     *
     * @param hostname the hostname, or null
     * @param source   where it was found ({@code tag:<key>} or {@code privateDnsName}), or null
     * @param tried    every source tried, in order
     * @param reason   why there is no hostname (null when there is one)
     */
    record Resolution(String hostname, String source, List<String> tried, String reason) {
        boolean found() {
            return hostname != null;
        }
    }

    private final Ec2Client ec2;

    HostnameSources(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** DescribeInstances; {@code InvalidInstanceID.NotFound} or an empty answer is an unknown instance. */
    InstanceFacts describe(String instanceId) {
        try {
            for (Reservation reservation : ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations()) {
                for (Instance instance : reservation.instances()) {
                    Map<String, String> tags = new TreeMap<>();
                    for (Tag tag : instance.tags()) {
                        tags.put(tag.key(), tag.value() == null ? "" : tag.value());
                    }
                    String dns = instance.privateDnsName();
                    return new InstanceFacts(true, tags, dns == null || dns.isBlank() ? null : dns,
                            instance.state() == null ? null : instance.state().nameAsString());
                }
            }
            return InstanceFacts.unknown();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (NOT_FOUND.equals(code)) {
                return InstanceFacts.unknown();
            }
            throw new HostnamePublishException("could not read the tags of " + instanceId + ": " + Errors.describe(e), e);
        }
    }

    /** The first configured source that holds a non-blank value. A pure function of the facts. */
    static Resolution resolve(String instanceId, InstanceFacts facts, TerminationHostnameConfig config) {
        List<String> tried = config.sources();
        if (!facts.known()) {
            return new Resolution(null, null, tried, "EC2 no longer describes instance " + instanceId + " ("
                    + NOT_FOUND + "): it was terminated too long ago, or belongs to another account or region; tried "
                    + String.join(", ", tried));
        }
        for (String key : config.hostnameTagKeys()) {
            String value = tag(facts.tags(), key);
            if (value != null) {
                return new Resolution(value, "tag:" + key, tried, null);
            }
        }
        if (config.privateDnsName() && facts.privateDnsName() != null) {
            return new Resolution(facts.privateDnsName(), PRIVATE_DNS, tried, null);
        }
        String why = facts.tags().isEmpty()
                ? "instance " + instanceId + " has no tags left (EC2 disassociates them after termination"
                        + (facts.state() == null ? "" : "; state " + facts.state()) + ")"
                : "instance " + instanceId + " has none of the tags " + config.hostnameTagKeys();
        if (config.privateDnsName()) {
            why += " and no private DNS name";
        }
        return new Resolution(null, null, tried, why + "; tried " + String.join(", ", tried));
    }

    private static String tag(Map<String, String> tags, String key) {
        String value = tags.get(key);
        if (value == null) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().equalsIgnoreCase(key)) {
                    value = tag.getValue();
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
