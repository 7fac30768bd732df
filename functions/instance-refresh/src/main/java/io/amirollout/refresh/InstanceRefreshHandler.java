package io.amirollout.refresh;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnapStartPriming;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Entry point. Accepts four shapes: the {@code ImageReleased} payload, an EventBridge
 * "Scheduled Event" tick, Auto Scaling's instance refresh events, and a manual request for one group
 * (roll, force, reject). Anything else is refused with one
 * log line and a FAILED result, before any AWS call. AWS errors outside a single group (for
 * example, listing the groups) are thrown, so Lambda's own retry runs the (idempotent) work again.
 */
public final class InstanceRefreshHandler implements RequestStreamHandler {

    private final InstanceRefreshService service;

    /** Used by Lambda: configuration and clients once per container. */
    public InstanceRefreshHandler() {
        InstanceRefreshConfig config = InstanceRefreshConfig.from(Env.system());
        this.service = new InstanceRefreshService(config, AwsClients.region().id(),
                AwsClients.build(Ec2Client.builder()), AwsClients.build(AutoScalingClient.builder()),
                AwsClients.build(CloudWatchClient.builder()),
                SnsNotificationPublisher.forTopic(
                        config.notificationTopicArn() == null ? null : AwsClients.build(SnsClient.builder()),
                        config.notificationTopicArn()),
                new GroupLedger(StateTables.dynamo(config.stateTableName())),
                Clock.systemUTC());
        // SnapStart: a dry-run release through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register("instance-refresh", () -> SnapStartPriming.invoke(
                new InstanceRefreshHandler(new InstanceRefreshService(config, AwsClients.region().id(),
                        SnapStartPriming.offlineClient(Ec2Client.builder()), SnapStartPriming.offlineClient(AutoScalingClient.builder()),
                        SnapStartPriming.offlineClient(CloudWatchClient.builder()),
                        SnsNotificationPublisher.forTopic(
                                config.notificationTopicArn() == null ? null : SnapStartPriming.offlineClient(SnsClient.builder()),
                                config.notificationTopicArn()),
                        new GroupLedger(new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()),
                                config.stateTableName())),
                        Clock.systemUTC())),
                InstanceRefreshHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    InstanceRefreshHandler(InstanceRefreshService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context == null ? null : context.getAwsRequestId(), null);
        RefreshResult result;
        try {
            result = dispatch(Json.readTree(input), Budget.lambda(context));
        } catch (InvalidEventException e) {
            Log.warn("invalid event: " + e.getMessage());
            result = RefreshResult.invalid(e.getMessage());
        }
        Log.info("done", "outcome", result.outcome(), "groups", result.groups().size());
        Json.write(output, result);
    }

    private RefreshResult dispatch(JsonNode event, Budget budget) {
        if (ImageReleased.looksLike(event)) {
            StrictInput.imageReleased(event);
            ImageReleased release = ImageReleased.from(event);
            Log.correlationId(release.correlationId());
            return service.release(release, budget);
        }
        if (EventBridgeEvent.looksLike(event)) {
            EventBridgeEvent envelope = EventBridgeEvent.from(event);
            Log.correlationId(envelope.id());
            if ("aws.autoscaling".equals(envelope.source()) && envelope.detailType().startsWith(RefreshOutcomes.EVENT_PREFIX)) {
                return service.refreshEvent(envelope);
            }
            if (!envelope.is("aws.events", "Scheduled Event")) {
                throw new InvalidEventException("unsupported EventBridge event '" + envelope.detailType() + "' from "
                        + envelope.source() + " (accepted: the 'Scheduled Event' tick from aws.events and Auto Scaling's "
                        + "'EC2 Auto Scaling Instance Refresh …' events)");
            }
            return service.tick(budget);
        }
        if (ManualRequest.looksLike(event)) {
            ManualRequest request = ManualRequest.from(event);
            Log.correlationId("manual/" + request.autoScalingGroup());
            return service.manual(request);
        }
        throw new InvalidEventException("unrecognised event: expected an ImageReleased payload (image, amis), "
                + "an EventBridge Scheduled Event, or a manual request ({\"autoScalingGroup\": ...})");
    }
}
