package io.amirollout.hostname;

import io.amirollout.hostname.HostnamePlan.CompleteLifecycleAction;
import io.amirollout.hostname.HostnamePlan.NotifyHostnameMissing;
import io.amirollout.hostname.HostnamePlan.PublishOnce;
import io.amirollout.hostname.HostnamePlan.RecordOnly;
import io.amirollout.hostname.HostnamePlan.RetryLater;
import io.amirollout.hostname.HostnamePlan.Step;
import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.StateItem;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The only code that changes anything: carries out a {@link HostnamePlan} step by step (nothing in a dry run). */
final class HostnameApplier {

    private final SnsClient sns;
    private final AutoScalingClient autoScaling;
    private final PublicationLedger ledger;
    private final NotificationPublisher notices;
    private final TerminationHostnameConfig config;
    private final Clock clock;

    HostnameApplier(SnsClient sns, AutoScalingClient autoScaling, PublicationLedger ledger, NotificationPublisher notices,
                    TerminationHostnameConfig config, Clock clock) {
        this.sns = sns;
        this.autoScaling = autoScaling;
        this.ledger = ledger;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
    }

    HostnameResult apply(HostnamePlan plan, boolean dryRun) {
        TerminationEvent event = plan.event();
        String outcome = plan.outcome();
        String reason = plan.reason();
        String messageId = null;
        String lifecycle = null;
        boolean lostClaim = false;
        for (Step step : plan.steps()) {
            Log.info(dryRun ? "dry run: would " + step.describe() : step.describe(), "instanceId", event.instanceId());
            if (step instanceof RetryLater retry) {
                if (!dryRun) {
                    throw new HostnamePublishException(retry.reason(), null);
                }
            } else if (step instanceof PublishOnce publish) {
                if (dryRun) {
                    continue;
                }
                StateItem claim = ledger.claim(event, publish.staleClaim(), now());
                if (claim == null) {
                    lostClaim = true;
                    outcome = "DUPLICATE";
                    reason = "another delivery claimed instance " + event.instanceId() + " first; nothing published again";
                    continue;
                }
                messageId = publish(event, publish);
                settle(claim, event, PublicationLedger.Status.PUBLISHED, plan, messageId);
                publishedNotice(plan, messageId, false);
            } else if (step instanceof RecordOnly record) {
                if (dryRun) {
                    continue;
                }
                StateItem claim = ledger.claim(event, record.staleClaim(), now());
                if (claim == null) {
                    lostClaim = true;
                    outcome = "DUPLICATE";
                    reason = "another delivery claimed instance " + event.instanceId() + " first";
                    continue;
                }
                settle(claim, event, PublicationLedger.Status.NOT_PUBLISHED, plan, null);
            } else if (step instanceof NotifyHostnameMissing missing) {
                if (!lostClaim) {
                    missingNotice(plan, missing, dryRun);
                }
            } else if (step instanceof CompleteLifecycleAction complete) {
                lifecycle = dryRun ? "WOULD_COMPLETE" : new LifecycleCompleter(autoScaling).complete(event, complete.action());
            }
        }
        if (dryRun) {
            outcome = outcome.startsWith("PUBLISHED") ? "WOULD_" + outcome.replace("PUBLISHED", "PUBLISH") : outcome;
            reason = "dry run: " + reason;
            if (plan.outcome().equals("PUBLISHED")) {
                publishedNotice(plan, null, true);
            }
        }
        var resolution = plan.resolution();
        return new HostnameResult(outcome, reason, event.instanceId(), event.trigger(),
                resolution == null ? null : resolution.hostname(), resolution == null ? null : resolution.source(),
                event.eventId(), messageId, lifecycle, dryRun, plan.describeSteps());
    }

    private String publish(TerminationEvent event, PublishOnce publish) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        publish.attributes().forEach((k, v) -> attributes.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        PublishRequest.Builder request = PublishRequest.builder().topicArn(config.hostnameTopicArn())
                .message(publish.message()).messageAttributes(attributes);
        if (config.fifoTopic()) {
            // One group per instance; the deduplication id is the instance (not the event): any of its events
            // within SNS's 5-minute window is dropped by SNS too, on top of the state table's record.
            request.messageGroupId(event.instanceId()).messageDeduplicationId("hostname-" + event.instanceId());
        }
        try {
            return sns.publish(request.build()).messageId();
        } catch (RuntimeException e) {
            // Give the claim back: the Lambda retry (or the instance's next event) must be able to publish.
            ledger.release(event.instanceId());
            Log.error("publishing the hostname failed; claim released for the retry", e, "instanceId", event.instanceId(),
                    "topicArn", config.hostnameTopicArn());
            throw new HostnamePublishException("could not publish the hostname message of " + event.instanceId() + ": "
                    + Errors.describe(e), e);
        }
    }

    private void settle(StateItem claim, TerminationEvent event, PublicationLedger.Status status, HostnamePlan plan,
                        String messageId) {
        try {
            ledger.settle(claim, event, status, plan.resolution() == null ? null : plan.resolution().hostname(), messageId, now());
        } catch (RuntimeException e) {
            // The message is out; failing now would make the retry wait for the claim to go stale and publish
            // again. The claim itself already keeps every other delivery from publishing for STALE_CLAIM.
            Log.error("recording the publication failed (the message was published)", e, "instanceId", event.instanceId(),
                    "messageId", messageId);
        }
    }

    private void missingNotice(HostnamePlan plan, NotifyHostnameMissing missing, boolean dryRun) {
        TerminationEvent event = plan.event();
        String group = plan.event().isLifecycleAction() ? event.lifecycle().groupName() : null;
        Notification.Builder notice = Notification.of(NotificationKind.HOSTNAME_MISSING,
                        (dryRun ? "[dry run] " : "") + "No hostname for terminated instance " + event.instanceId()
                                + (group == null ? "" : " of " + group))
                .accountId(event.account())
                .correlationId(event.eventId())
                .time(clock.instant())
                .detail("instanceId", event.instanceId())
                .detail("trigger", event.trigger())
                .detail("autoScalingGroup", group)
                .detail("tried", String.join(", ", plan.resolution().tried()))
                .detail("reason", missing.reason())
                .detail("published", missing.published() ? "with hostname null to " + config.hostnameTopicArn()
                        : "nothing (PUBLISH_WITHOUT_HOSTNAME=false): clean up by hand")
                .detail("eventId", event.eventId())
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
        if (event.region() != null) {
            notice.region(event.region());
        }
        notices.publish(notice.build());
    }

    private void publishedNotice(HostnamePlan plan, String messageId, boolean dryRun) {
        if (!config.publishHostnameNotice() || plan.resolution() == null || !plan.resolution().found()) {
            return;
        }
        TerminationEvent event = plan.event();
        String hostname = plan.resolution().hostname();
        Notification.Builder notice = Notification.of(NotificationKind.HOSTNAME_PUBLISHED,
                        (dryRun ? "[dry run] Would publish" : "Published") + " hostname " + hostname + " of instance "
                                + event.instanceId())
                .accountId(event.account())
                .correlationId(event.eventId())
                .time(clock.instant())
                .detail("instanceId", event.instanceId())
                .detail("trigger", event.trigger())
                .detail("hostname", hostname)
                .detail("hostnameSource", plan.resolution().source())
                .detail("eventId", event.eventId())
                .detail("topicArn", config.hostnameTopicArn())
                .detail("messageId", messageId)
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
        if (event.region() != null) {
            notice.region(event.region());
        }
        notices.publish(notice.build());
    }

    private Instant now() {
        return clock.instant();
    }
}
