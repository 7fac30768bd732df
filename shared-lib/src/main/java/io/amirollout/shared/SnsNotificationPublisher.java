package io.amirollout.shared;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import java.util.Map;

/**
 * Publishes notices to the notifications SNS topic as the {@code Notification} JSON, with message
 * attributes {@code kind} and {@code severity} so subscribers can filter. Needs the {@code sns}
 * SDK module on the function's classpath (declared by each publishing function).
 */
public final class SnsNotificationPublisher implements NotificationPublisher {

    private static final int SUBJECT_LIMIT = 100;

    private final SnsClient sns;
    private final String topicArn;

    public SnsNotificationPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** The topic publisher when {@code topicArn} is set, else {@link NotificationPublisher#logOnly()}. */
    public static NotificationPublisher forTopic(SnsClient sns, String topicArn) {
        return topicArn == null || topicArn.isBlank() ? NotificationPublisher.logOnly()
                : new SnsNotificationPublisher(sns, topicArn);
    }

    @Override
    public void publish(Notification notification) {
        try {
            String messageId = sns.publish(PublishRequest.builder()
                    .topicArn(topicArn)
                    .subject(subject(notification.title()))
                    .message(Json.write(notification))
                    .messageAttributes(Map.of(
                            "kind", stringAttribute(notification.kind().name()),
                            "severity", stringAttribute(notification.severity().name())))
                    .build()).messageId();
            Log.info("notice published", "kind", notification.kind().name(), "messageId", messageId);
        } catch (RuntimeException e) {
            Log.error("notice could not be published; the work it describes is not affected", e,
                    "kind", notification.kind().name(), "title", notification.title());
        }
    }

    /** SNS subjects: at most 100 characters, printable ASCII, no line breaks. */
    static String subject(String title) {
        String ascii = title.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() <= SUBJECT_LIMIT ? ascii : ascii.substring(0, SUBJECT_LIMIT - 1) + "~";
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
