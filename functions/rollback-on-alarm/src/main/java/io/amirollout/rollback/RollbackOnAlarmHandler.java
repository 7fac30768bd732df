package io.amirollout.rollback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnapStartPriming;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point: an alarm state change (EventBridge, SNS or a direct alarm action) in, a
 * {@link RollbackResult} out. SNS delivers one record per invocation; should a test or a person send several,
 * each is handled and the answer is {@code {"results": [...]}}. A {@link RetryableFailure} (transient AWS
 * errors) is not caught: the invocation fails and Lambda retries it.
 */
public final class RollbackOnAlarmHandler implements RequestStreamHandler {

    private final RollbackService service;

    /** Used by Lambda: configuration and clients are built once per container. */
    public RollbackOnAlarmHandler() {
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(Env.system());
        this.service = new RollbackService(
                AwsClients.build(AutoScalingClient.builder()),
                StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                config, Clock.systemUTC());
        // SnapStart: a dry-run alarm through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register("rollback-on-alarm", () -> SnapStartPriming.invoke(
                new RollbackOnAlarmHandler(new RollbackService(
                        SnapStartPriming.offlineClient(AutoScalingClient.builder()),
                        new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()), config.stateTableName()),
                        SnsNotificationPublisher.forTopic(SnapStartPriming.offlineClient(SnsClient.builder()), config.notificationTopicArn()),
                        config, Clock.systemUTC())),
                RollbackOnAlarmHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    RollbackOnAlarmHandler(RollbackService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        Object answer;
        try {
            JsonNode event = Json.readTree(input);
            boolean dryRun = event.path("dryRun").asBoolean(false);
            List<AlarmStateChange> changes = AlarmEvents.parse(event);
            List<RollbackResult> results = new ArrayList<>();
            for (AlarmStateChange change : changes) {
                Log.correlationId(change.correlationId());
                results.add(service.handle(change, dryRun));
            }
            answer = results.size() == 1 ? results.get(0) : Map.of("results", results);
        } catch (InvalidEventException e) {
            Log.error("rejected event: " + e.getMessage());
            Map<String, Object> rejected = new LinkedHashMap<>();
            rejected.put("outcome", "INVALID_EVENT");
            rejected.put("reason", e.getMessage());
            answer = rejected;
        }
        Json.write(output, answer);
    }
}
