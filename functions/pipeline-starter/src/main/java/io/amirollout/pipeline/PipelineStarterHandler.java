package io.amirollout.pipeline;

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
import io.amirollout.shared.state.ProcessedEvents;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;

/**
 * Lambda entry point: S3 payload landed → start the Image Builder pipeline. Reads the event once,
 * lets {@link PayloadEvents} recognise its shape, and hands the objects to the service.
 */
public final class PipelineStarterHandler implements RequestStreamHandler {

    private final PipelineStarterService service;

    /** Used by Lambda: configuration and clients once per container. */
    public PipelineStarterHandler() {
        this(PipelineStarterConfig.from(Env.system()));
    }

    private PipelineStarterHandler(PipelineStarterConfig config) {
        this(production(config));
        // SnapStart: a dry-run object through offline clients warms the real paths before the snapshot (no AWS call).
        SnapStartPriming.register("pipeline-starter", () -> SnapStartPriming.invoke(
                new PipelineStarterHandler(new PipelineStarterService(config,
                        SnapStartPriming.offlineClient(ImagebuilderClient.builder()),
                        SnsNotificationPublisher.forTopic(SnapStartPriming.offlineClient(SnsClient.builder()), config.notificationTopicArn()),
                        new ProcessedEvents(new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()),
                                config.stateTableName())),
                        Clock.systemUTC())),
                PipelineStarterHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    PipelineStarterHandler(PipelineStarterService service) {
        this.service = service;
    }

    private static PipelineStarterService production(PipelineStarterConfig config) {
        return new PipelineStarterService(config, AwsClients.build(ImagebuilderClient.builder()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                new ProcessedEvents(StateTables.dynamo(config.stateTableName())),
                Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        PipelineStarterConfig config = service.config();
        PipelineStarterResult result;
        try {
            JsonNode event = Json.readTree(input);
            List<Candidate> candidates = PayloadEvents.read(event);
            if (!candidates.isEmpty() && candidates.get(0).key() != null) {
                Log.correlationId("s3://" + candidates.get(0).bucket() + "/" + candidates.get(0).key());
            }
            JsonNode dryRun = event.get("dryRun");
            result = service.handle(candidates, dryRun != null && dryRun.asBoolean(false));
        } catch (InvalidEventException e) {
            Log.warn("invalid event, nothing started: " + e.getMessage());
            result = PipelineStarterResult.invalid(config.pipelineArn(), config.dryRun(), e.getMessage());
        }
        if (result.retryable()) {
            // Throwing makes Lambda retry the asynchronous event; the same client tokens make that safe.
            // Every outcome is in the log line, so the records that did start are reported too.
            throw new IllegalStateException("a transient failure (throttling, pipeline in use, service error) stopped a "
                    + "pipeline start; failing the invocation so Lambda retries: " + Json.write(result.outcomes()));
        }
        Json.write(output, result);
    }
}
