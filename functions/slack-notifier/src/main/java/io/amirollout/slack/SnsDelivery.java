package io.amirollout.slack;

/** The SNS delivery that carried a message: shown as its source, and its MessageId as correlation and delivery id. */
record SnsDelivery(String topicArn, String subject, String messageId, String timestamp) {

    String topicName() {
        return topicArn == null ? null : topicArn.substring(topicArn.lastIndexOf(':') + 1);
    }

    String source() {
        return "SNS topic " + (topicName() == null ? "(unknown)" : topicName());
    }
}
