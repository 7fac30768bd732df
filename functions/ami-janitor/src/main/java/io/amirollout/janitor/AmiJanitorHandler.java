package io.amirollout.janitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnapStartPriming;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateTable;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lambda entry point: a Scheduled Event or a manual request → one janitor run. Thin: reads the input,
 * drops duplicate scheduled events (state table marker per event id), hands over to {@link JanitorService}.
 */
public final class AmiJanitorHandler implements RequestStreamHandler {

    static final String SCOPE = "ami-janitor";

    private final JanitorService service;
    private final ProcessedEvents processed;

    /** Used by Lambda: configuration and clients once per container. */
    public AmiJanitorHandler() {
        this(JanitorConfig.from(Env.system()));
    }

    private AmiJanitorHandler(JanitorConfig config) {
        this(production(config), StateTables.dynamo(config.stateTableName()));
        // SnapStart: a dry-run request through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register(SCOPE, () -> {
            Ec2Client offlineEc2 = SnapStartPriming.offlineClient(Ec2Client.builder());
            StateTable offlineTable = new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()),
                    config.stateTableName());
            WorkloadGroups.Clients offlineGroups = new WorkloadGroups.Clients() {
                @Override
                public AutoScalingClient autoScaling(String account, String region) {
                    return SnapStartPriming.offlineClient(AutoScalingClient.builder());
                }

                @Override
                public Ec2Client ec2(String account, String region) {
                    return offlineEc2;
                }
            };
            SnapStartPriming.invoke(new AmiJanitorHandler(new JanitorService(config, region -> offlineEc2,
                            new WorkloadGroups(config, offlineGroups),
                            offlineTable, SnsNotificationPublisher.forTopic(SnapStartPriming.offlineClient(SnsClient.builder()),
                            config.notificationTopicArn()), Clock.systemUTC()), offlineTable),
                    AmiJanitorHandler.class.getResourceAsStream("/snapstart-priming-event.json"));
        });
    }

    AmiJanitorHandler(JanitorService service, StateTable table) {
        this.service = service;
        this.processed = new ProcessedEvents(table);
    }

    private static JanitorService production(JanitorConfig config) {
        Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
        Function<String, Ec2Client> ec2ByRegion = region -> ec2.computeIfAbsent(region, r ->
                AwsClients.build(Ec2Client.builder(), Region.of(r), DefaultCredentialsProvider.builder().build()));
        WorkloadGroups groups = new WorkloadGroups(config, WorkloadGroups.production(config, AwsClients.build(StsClient.builder())));
        return new JanitorService(config, ec2ByRegion, groups, StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        boolean configDryRun = service.config().dryRun();
        JanitorRequest request;
        try {
            request = JanitorRequest.read(Json.readTree(input));
        } catch (InvalidEventException e) {
            Log.warn("invalid input, nothing done: " + e.getMessage());
            Json.write(output, JanitorResult.skipped(configDryRun, "invalid input: " + e.getMessage()));
            return;
        }
        Log.correlationId(request.eventId() != null ? request.eventId() : "manual");
        boolean dryRun = configDryRun || request.dryRun();
        boolean claimed = false;
        if (request.eventId() != null && !dryRun) {
            claimed = processed.claim(SCOPE, request.eventId(), service.clock().instant(), Duration.ofDays(7),
                    Map.of("source", request.source()));
            if (!claimed) {
                Log.info("duplicate scheduled event: already handled, nothing done", "eventId", request.eventId());
                Json.write(output, JanitorResult.skipped(false, "duplicate event " + request.eventId() + ": already handled"));
                return;
            }
        }
        if (request.reason() != null) {
            Log.info("manual request", "reason", request.reason(), "dryRun", dryRun);
        }
        try {
            Json.write(output, service.run(request.dryRun(), context::getRemainingTimeInMillis));
        } catch (RuntimeException e) {
            if (claimed) {
                // Let Lambda's retry of this same event run again.
                processed.release(SCOPE, request.eventId());
            }
            throw e;
        }
    }
}
