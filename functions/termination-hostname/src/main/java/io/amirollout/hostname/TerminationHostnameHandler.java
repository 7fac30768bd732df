package io.amirollout.hostname;

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
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Lambda entry point: an EC2 state change or an Auto Scaling terminate lifecycle action in, a
 * {@link HostnameResult} out. Bad input is answered (INVALID_EVENT) without any AWS call and not retried;
 * an AWS failure is thrown so Lambda's asynchronous retries try again (see {@link HostnamePublishException}).
 */
public final class TerminationHostnameHandler implements RequestStreamHandler {

    private final HostnameService service;

    /** Used by Lambda: configuration and clients are built once per container. */
    public TerminationHostnameHandler() {
        TerminationHostnameConfig config = TerminationHostnameConfig.from(Env.system());
        SnsClient sns = AwsClients.build(SnsClient.builder());
        this.service = new HostnameService(AwsClients.build(Ec2Client.builder()), sns,
                AwsClients.build(AutoScalingClient.builder()), StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(sns, config.notificationTopicArn()), config, Clock.systemUTC());
        // SnapStart: a dry-run event through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register("termination-hostname", () -> {
            SnsClient offlineSns = SnapStartPriming.offlineClient(SnsClient.builder());
            SnapStartPriming.invoke(new TerminationHostnameHandler(new HostnameService(
                            SnapStartPriming.offlineClient(Ec2Client.builder()), offlineSns,
                            SnapStartPriming.offlineClient(AutoScalingClient.builder()),
                            new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()), config.stateTableName()),
                            SnsNotificationPublisher.forTopic(offlineSns, config.notificationTopicArn()), config, Clock.systemUTC())),
                    TerminationHostnameHandler.class.getResourceAsStream("/snapstart-priming-event.json"));
        });
    }

    TerminationHostnameHandler(HostnameService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        HostnameResult result;
        try {
            JsonNode event = Json.readTree(input);
            TerminationEvent termination = TerminationEvent.from(event);
            Log.correlationId(termination.eventId());
            result = service.handle(termination, event.path("dryRun").asBoolean(false));
        } catch (InvalidEventException e) {
            Log.error("rejected event: " + e.getMessage());
            result = HostnameResult.invalid(e.getMessage());
        }
        Json.write(output, result);
    }
}
