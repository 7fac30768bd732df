package io.amirollout.invoker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnapStartPriming;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lambda entry point: image notice → instance-refresh invoked in every target account × region.
 * Also takes a redrive and its own continuations ({@link Requests}). Answers {@code {"results": [...]}},
 * one result per request or image notice. Fails the invocation only when nothing could be attempted
 * ({@link FanOutAbortedException}) or the state table failed (transient: Lambda retries).
 */
public final class CrossAccountInvokerHandler implements RequestStreamHandler {

    private final CrossAccountInvokerService service;
    /** This function's own Lambda client (its own role): only for continuations, built on first use. */
    private final Supplier<LambdaClient> ownLambda;
    /** The {@code status} request (issue 16); see {@link ReleaseStatusService}. */
    private final ReleaseStatusService status;

    /** Used by Lambda: configuration and clients once per container. */
    public CrossAccountInvokerHandler() {
        this(CrossAccountInvokerConfig.from(Env.system()));
    }

    private CrossAccountInvokerHandler(CrossAccountInvokerConfig config) {
        this(production(config), LambdaClientFactory.ownCredentials(),
                releaseStatus(ReleaseStatusConfig.from(Env.system()), config));
        // SnapStart: a dry-run image event through offline clients warms the real paths before the snapshot
        // (no AWS call: nothing is assumed, nothing invoked, nothing written).
        SnapStartPriming.register("cross-account-invoker", () -> SnapStartPriming.invoke(
                new CrossAccountInvokerHandler(new CrossAccountInvokerService(config,
                        SnapStartPriming.offlineClient(OrganizationsClient.builder()),
                        SnapStartPriming.offlineClient(ImagebuilderClient.builder()), SnapStartPriming.offlineClient(StsClient.builder()),
                        LambdaClientFactory.sharedPerRegion(region -> SnapStartPriming.offlineClient(LambdaClient.builder())),
                        region -> SnapStartPriming.offlineClient(Ec2Client.builder()),
                        new DynamoStateTable(SnapStartPriming.offlineClient(DynamoDbClient.builder()), config.stateTableName()),
                        SnsNotificationPublisher.forTopic(SnapStartPriming.offlineClient(SnsClient.builder()), config.notificationTopicArn()),
                        Clock.systemUTC()), () -> SnapStartPriming.offlineClient(LambdaClient.builder())),
                CrossAccountInvokerHandler.class.getResourceAsStream("/snapstart-priming-event.json")));
    }

    /** A handler around a wired service; continuations use this function's own Lambda client, built on first use. */
    CrossAccountInvokerHandler(CrossAccountInvokerService service) {
        this(service, LambdaClientFactory.ownCredentials());
    }

    CrossAccountInvokerHandler(CrossAccountInvokerService service, Supplier<LambdaClient> ownLambda) {
        this(service, ownLambda, new ReleaseStatusService(null, NotificationPublisher.logOnly(), Clock.systemUTC()));
    }

    CrossAccountInvokerHandler(CrossAccountInvokerService service, ReleaseStatusService status) {
        this(service, LambdaClientFactory.ownCredentials(), status);
    }

    CrossAccountInvokerHandler(CrossAccountInvokerService service, Supplier<LambdaClient> ownLambda,
                               ReleaseStatusService status) {
        this.service = service;
        this.ownLambda = ownLambda;
        this.status = status;
    }

    private static ReleaseStatusService releaseStatus(ReleaseStatusConfig config, CrossAccountInvokerConfig invoker) {
        return new ReleaseStatusService(config.stateTableName() == null ? null : StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), invoker.notificationTopicArn()),
                Clock.systemUTC());
    }

    private static CrossAccountInvokerService production(CrossAccountInvokerConfig config) {
        keepConnectionsAlive(config.maxConcurrency());
        // The STS client uses the function's region, i.e. the regional STS endpoint (the SDK's default).
        return new CrossAccountInvokerService(config, AwsClients.build(OrganizationsClient.builder()),
                AwsClients.build(ImagebuilderClient.builder()), AwsClients.build(StsClient.builder()),
                LambdaClientFactory.sharedPerRegion(),
                region -> AwsClients.build(Ec2Client.builder(), region, DefaultCredentialsProvider.builder().build()),
                StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                Clock.systemUTC());
    }

    /**
     * The JDK keeps at most 5 idle keep-alive connections per host ({@code http.maxConnections});
     * with {@code MAX_CONCURRENCY} parallel calls to the same STS endpoint the others would reconnect
     * (a new TLS handshake) on every call. The JDK reads the property once, when the first connection
     * is made, so this runs before any client is used. An explicit setting is left alone.
     */
    static void keepConnectionsAlive(int concurrency) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", String.valueOf(Math.max(5, concurrency)));
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Log.startInvocation(context.getAwsRequestId(), null);
        CrossAccountInvokerService.Invocation invocation = new CrossAccountInvokerService.Invocation(
                context::getRemainingTimeInMillis,
                continuation -> Continuations.selfInvoke(ownLambda.get(), context.getInvokedFunctionArn()).schedule(continuation),
                duration -> Thread.sleep(duration.toMillis()));
        List<InvokerResult> results;
        try {
            JsonNode event = Json.readTree(input);
            if (ReleaseStatusRequest.looksLike(event)) {
                Json.write(output, releaseStatus(event));
                return;
            }
            results = switch (Requests.kind(event)) {
                case REDRIVE -> List.of(service.redrive(Requests.redriveArn(event), Requests.dryRun(event), invocation));
                case CONTINUATION -> List.of(service.resume(Requests.continuation(event), invocation));
                case IMAGE_NOTICE -> service.handle(ImageEvents.read(event), Requests.dryRun(event), invocation);
            };
        } catch (InvalidEventException e) {
            Log.warn("invalid event, nothing invoked: " + e.getMessage());
            results = List.of(InvokerResult.simple(InvokerResult.Status.INVALID_EVENT, e.getMessage(), null, null,
                    service.config().dryRun()));
        }
        Json.write(output, Map.of("results", results));
    }

    private ReleaseStatusReport releaseStatus(JsonNode event) {
        try {
            return status.handle(ReleaseStatusRequest.from(event));
        } catch (InvalidEventException e) {
            Log.warn("invalid status request, nothing read: " + e.getMessage());
            return ReleaseStatusReport.failed("INVALID_REQUEST", null, Clock.systemUTC().instant().toString(), e.getMessage());
        }
    }
}
