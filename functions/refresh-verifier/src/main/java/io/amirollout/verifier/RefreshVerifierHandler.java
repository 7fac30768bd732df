package io.amirollout.verifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.SnapStartPriming;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.GroupLedger;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

/**
 * Lambda entry point: an Auto Scaling instance-refresh event ("Checkpoint Reached", "Succeeded"), a person's
 * {@code {"verify": "<group>"}} or its own continuation in, a {@link VerifyResult} out. Bad input is answered
 * (INVALID_EVENT) with no AWS call that changes anything; transient AWS errors are thrown so Lambda retries.
 */
public final class RefreshVerifierHandler implements RequestStreamHandler {

    private final VerifierService service;

    /** Used by Lambda: configuration and clients are built once per container. */
    public RefreshVerifierHandler() {
        RefreshVerifierConfig config = RefreshVerifierConfig.from(Env.system());
        this.service = service(config, AwsClients.build(AutoScalingClient.builder()),
                AwsClients.build(ElasticLoadBalancingV2Client.builder()), AwsClients.build(EcsClient.builder()),
                AwsClients.build(SsmClient.builder()),
                Continuations.lambda(AwsClients.build(LambdaClient.builder())),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()),
                        config.stateTableName()), Clock.systemUTC(), Sleeper.real());
        // SnapStart: a dry-run checkpoint event through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register("refresh-verifier", () -> SnapStartPriming.invoke(new RefreshVerifierHandler(service(config,
                        SnapStartPriming.offlineClient(AutoScalingClient.builder()),
                        SnapStartPriming.offlineClient(ElasticLoadBalancingV2Client.builder()),
                        SnapStartPriming.offlineClient(EcsClient.builder()), SnapStartPriming.offlineClient(SsmClient.builder()),
                        Continuations.lambda(SnapStartPriming.offlineClient(LambdaClient.builder())),
                        SnsNotificationPublisher.forTopic(SnapStartPriming.offlineClient(SnsClient.builder()), config.notificationTopicArn()),
                        new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()), config.stateTableName()),
                        Clock.systemUTC(), Sleeper.real())),
                RefreshVerifierHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    RefreshVerifierHandler(VerifierService service) {
        this.service = service;
    }

    /** Wires the service; tests call it with clients pointed at a local endpoint. */
    static VerifierService service(RefreshVerifierConfig config, AutoScalingClient autoScaling,
                                   ElasticLoadBalancingV2Client elb, EcsClient ecs, SsmClient ssm, Continuations continuations,
                                   NotificationPublisher publisher, StateTable table, Clock clock, Sleeper sleeper) {
        GroupLedger ledger = new GroupLedger(table);
        GroupReader reader = new GroupReader(autoScaling);
        return new VerifierService(ledger, new Verifications(table), reader,
                new CheckRound(new LoadBalancerCheck(elb), new EcsCheck(ecs), new SsmCheck(ssm), config),
                new UndoApplier(autoScaling, ledger),
                new VerifierNotices(publisher), continuations, config, clock, sleeper);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        VerifyResult result;
        try {
            VerifyRequest request = VerifyRequests.parse(Json.readTree(input));
            Log.correlationId(request.continuation() ? request.continuationId() : request.refreshId());
            result = service.handle(request, Duration.ofMillis(context.getRemainingTimeInMillis()), context.getInvokedFunctionArn(),
                    context.getAwsRequestId());
        } catch (InvalidEventException e) {
            Log.error("rejected event: " + e.getMessage());
            result = VerifyResult.simple("INVALID_EVENT", null, null, false, e.getMessage());
        }
        Json.write(output, result);
    }
}
