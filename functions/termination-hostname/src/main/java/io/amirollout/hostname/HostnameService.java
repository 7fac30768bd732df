package io.amirollout.hostname;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Seed 000's {@code retrieveHostname}: when an instance reaches a configured state (terminated by
 * default), read its tags from EC2 (which still describes a terminated instance for a while) and publish
 * the ORIGINAL EventBridge event to the hostname topic with {@code detail.hostname} and {@code detail.tags}
 * added, so an existing listener (e.g. a Windows host removing the computer from the domain) keeps working.
 *
 * <p>Delivery is at least once: EventBridge and Lambda retries can deliver one state change twice, and
 * then it is published twice. Consumers deduplicate on the {@code eventId} message attribute (the
 * EventBridge event id); on a FIFO topic SNS itself drops the duplicate within five minutes.
 */
public final class HostnameService {

    static final String NOT_FOUND = "InvalidInstanceID.NotFound";
    static final String MALFORMED = "InvalidInstanceID.Malformed";

    private final Ec2Client ec2;
    private final SnsClient sns;
    private final NotificationPublisher notices;
    private final TerminationHostnameConfig config;
    private final Clock clock;

    public HostnameService(Ec2Client ec2, SnsClient sns, NotificationPublisher notices, TerminationHostnameConfig config,
                           Clock clock) {
        this.ec2 = ec2;
        this.sns = sns;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
    }

    public HostnameResult handle(InstanceStateChange change, boolean dryRunRequested) {
        boolean dryRun = dryRunRequested || config.dryRun();
        String id = change.instanceId();
        if (!config.instanceStates().contains(change.state())) {
            Log.info("instance state not published", "instanceId", id, "state", change.state(),
                    "publishedStates", config.instanceStates());
            return result("SKIPPED_STATE", "state '" + change.state() + "' is not one of INSTANCE_STATES "
                    + config.instanceStates(), change, null, null, dryRun);
        }

        Optional<Map<String, String>> found = tags(id);
        if (found.isEmpty()) {
            String reason = "EC2 does not know instance " + id + " (" + NOT_FOUND + "): it was terminated too long ago"
                    + " to be described, or belongs to another account or region; no hostname to publish";
            Log.warn("unknown instance; skipped", "instanceId", id, "state", change.state());
            return result("SKIPPED_UNKNOWN_INSTANCE", reason, change, null, null, dryRun);
        }
        Map<String, String> tags = found.get();
        String hostname = hostname(tags);
        if (hostname == null && !config.publishWithoutHostname()) {
            Log.warn("instance has no hostname tag; not published (set PUBLISH_WITHOUT_HOSTNAME=true to publish anyway)",
                    "instanceId", id, "hostnameTagKey", config.hostnameTagKey(), "tagKeys", tags.keySet());
            return result("SKIPPED_NO_HOSTNAME", "instance " + id + " has no '" + config.hostnameTagKey()
                    + "' tag", change, null, null, dryRun);
        }

        String message = enrichedEvent(change, hostname, tags);
        PublishRequest request = publishRequest(change, hostname, message);
        if (dryRun) {
            Log.info("dry run: would publish the instance's hostname", "instanceId", id, "hostname", hostname);
            notice(change, hostname, null, true);
            return result("WOULD_PUBLISH", "dry run: would publish " + describe(id, hostname) + " to "
                    + config.hostnameTopicArn(), change, hostname, null, true);
        }
        String messageId;
        try {
            messageId = sns.publish(request).messageId();
        } catch (RuntimeException e) {
            Log.error("publishing the hostname failed", e, "instanceId", id, "topicArn", config.hostnameTopicArn());
            throw new HostnamePublishException("could not publish the hostname of " + id + ": " + awsError(e), e);
        }
        Log.info("hostname published", "instanceId", id, "hostname", hostname, "messageId", messageId,
                "eventId", change.eventId());
        notice(change, hostname, messageId, false);
        return result("PUBLISHED", "published " + describe(id, hostname) + " to " + config.hostnameTopicArn(),
                change, hostname, messageId, false);
    }

    /** The instance's tags, or empty when EC2 does not know the instance. */
    private Optional<Map<String, String>> tags(String instanceId) {
        try {
            Map<String, String> tags = new TreeMap<>();
            boolean seen = false;
            for (Reservation reservation : ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations()) {
                for (Instance instance : reservation.instances()) {
                    seen = true;
                    for (Tag tag : instance.tags()) {
                        tags.put(tag.key(), tag.value() == null ? "" : tag.value());
                    }
                }
            }
            return seen ? Optional.of(tags) : Optional.empty();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (NOT_FOUND.equals(code)) {
                return Optional.empty();
            }
            Log.error("reading the instance's tags failed", e, "instanceId", instanceId);
            throw new HostnamePublishException("could not read the tags of " + instanceId + ": " + awsError(e), e);
        }
    }

    /** The configured tag; a tag whose key differs only in case ("Hostname") is accepted too. */
    private String hostname(Map<String, String> tags) {
        String value = tags.get(config.hostnameTagKey());
        if (value == null) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().equalsIgnoreCase(config.hostnameTagKey())) {
                    value = tag.getValue();
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The original event, every field in its original order, plus {@code detail.hostname} and
     * {@code detail.tags}. Works on the tree so fields this code does not know survive untouched.
     */
    static String enrichedEvent(InstanceStateChange change, String hostname, Map<String, String> tags) {
        ObjectNode event = change.original().deepCopy();
        ObjectNode detail = (ObjectNode) event.get("detail");
        if (hostname == null) {
            detail.putNull("hostname");
        } else {
            detail.put("hostname", hostname);
        }
        ObjectNode tagNode = detail.putObject("tags");
        tags.forEach(tagNode::put);
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the enriched event", e);
        }
    }

    private PublishRequest publishRequest(InstanceStateChange change, String hostname, String message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("instanceId", string(change.instanceId()));
        attributes.put("state", string(change.state()));
        if (hostname != null) {
            // SNS rejects empty attribute values: without a hostname the attribute is left out.
            attributes.put("hostname", string(hostname));
        }
        if (change.eventId() != null) {
            attributes.put("eventId", string(change.eventId()));
        }
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(config.hostnameTopicArn())
                .message(message)
                .messageAttributes(attributes);
        if (config.fifoTopic()) {
            // FIFO topics need a group (one instance's messages stay in order) and a deduplication id
            // (the event id: a redelivered event is dropped by SNS within its 5-minute window). Without an
            // event id the topic must have content-based deduplication enabled.
            request.messageGroupId(change.instanceId());
            if (change.eventId() != null) {
                request.messageDeduplicationId(dedupId(change.eventId()));
            }
        }
        return request.build();
    }

    /** Deduplication ids: up to 128 characters, alphanumerics and punctuation only. */
    static String dedupId(String eventId) {
        String cleaned = eventId.replaceAll("[^\\p{Alnum}\\p{Punct}]", "");
        return cleaned.length() <= 128 ? cleaned : cleaned.substring(0, 128);
    }

    private void notice(InstanceStateChange change, String hostname, String messageId, boolean dryRun) {
        if (!config.publishHostnameNotice()) {
            return;
        }
        Notification.Builder notice = Notification.of(NotificationKind.HOSTNAME_PUBLISHED,
                        (dryRun ? "[dry run] Would publish" : "Published") + " hostname " + (hostname == null ? "(none)" : hostname)
                                + " of " + change.state() + " instance " + change.instanceId())
                .accountId(change.account())
                .correlationId(change.eventId())
                .time(clock.instant())
                .detail("instanceId", change.instanceId())
                .detail("state", change.state())
                .detail("hostname", hostname)
                .detail("eventId", change.eventId())
                .detail("topicArn", config.hostnameTopicArn())
                .detail("messageId", messageId)
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
        if (change.region() != null) {
            notice.region(change.region());
        }
        notices.publish(notice.build());
    }

    private static HostnameResult result(String outcome, String reason, InstanceStateChange change, String hostname,
                                         String messageId, boolean dryRun) {
        return new HostnameResult(outcome, reason, change.instanceId(), change.state(), hostname, change.eventId(),
                messageId, dryRun);
    }

    private static String describe(String instanceId, String hostname) {
        return hostname == null ? "instance " + instanceId + " (no hostname tag)"
                : "hostname " + hostname + " of instance " + instanceId;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static String awsError(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
