package io.amirollout.pipeline;

import io.amirollout.shared.Log;
import io.amirollout.shared.Notification;
import io.amirollout.shared.NotificationKind;
import io.amirollout.shared.NotificationPublisher;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.imagebuilder.model.StartImagePipelineExecutionResponse;

import io.amirollout.shared.state.ProcessedEvents;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides, for each object an event reports, whether it is a build payload for the configured
 * pipeline, and starts the pipeline for each one with a client token derived from the object, so
 * a redelivered event starts nothing new.
 */
public final class PipelineStarterService {

    /** ProcessedEvents scopes: one notice per client token, however often the event is delivered. */
    static final String STARTED_SCOPE = "pipeline-started";
    static final String FAILED_SCOPE = "pipeline-start-failed";
    /** Image Builder remembers a client token for hours; the markers outlive every redelivery (SNS, EventBridge retry for up to 24 h). */
    static final Duration MARKER_LIFETIME = Duration.ofDays(8);

    private final PipelineStarterConfig config;
    private final ImagebuilderClient imagebuilder;
    private final NotificationPublisher publisher;
    private final ProcessedEvents processed;
    private final Clock clock;

    public PipelineStarterService(PipelineStarterConfig config, ImagebuilderClient imagebuilder,
                                  NotificationPublisher publisher, ProcessedEvents processed, Clock clock) {
        this.config = config;
        this.imagebuilder = imagebuilder;
        this.publisher = publisher;
        this.processed = processed;
        this.clock = clock;
    }

    public PipelineStarterConfig config() {
        return config;
    }

    /** Handles every candidate of one event; one failing object never stops the others. */
    public PipelineStarterResult handle(List<Candidate> candidates, boolean eventDryRun) {
        boolean dryRun = config.dryRun() || eventDryRun;
        List<ObjectOutcome> outcomes = new ArrayList<>();
        boolean retryable = false;
        for (Candidate candidate : candidates) {
            Attempt attempt = handleOne(candidate, dryRun);
            outcomes.add(attempt.outcome());
            retryable |= attempt.retryable();
        }
        return PipelineStarterResult.of(config.pipelineArn(), dryRun, outcomes, retryable);
    }

    private record Attempt(ObjectOutcome outcome, boolean retryable) {
        static Attempt of(ObjectOutcome outcome) {
            return new Attempt(outcome, false);
        }
    }

    private Attempt handleOne(Candidate candidate, boolean dryRun) {
        if (candidate.invalid()) {
            Log.warn("malformed record, nothing started for it: " + candidate.skipReason());
            return Attempt.of(new ObjectOutcome(null, null, null, ObjectOutcome.Status.INVALID, candidate.skipReason(),
                    null, null, null));
        }
        if (candidate.object() == null) {
            Log.info("skipped: " + candidate.skipReason(), "bucket", candidate.bucket(), "key", candidate.key());
            return Attempt.of(ObjectOutcome.skipped(candidate.bucket(), candidate.key(), null, candidate.skipReason()));
        }
        PayloadObject object = candidate.object();
        String notPayload = whyNotAPayload(object);
        if (notPayload != null) {
            Log.info("skipped: " + notPayload, "bucket", object.bucket(), "key", object.key());
            return Attempt.of(ObjectOutcome.skipped(object.bucket(), object.key(), object.versionId(), notPayload));
        }
        if (object.size() != null && object.size() == 0) {
            String reason = "the object is empty (0 bytes): not a build payload";
            Log.warn("skipped: " + reason, "bucket", object.bucket(), "key", object.key());
            // It matched every filter, so someone meant it as a payload: tell them why nothing was built.
            publisher.publish(notice(NotificationKind.PIPELINE_SKIPPED, "Image pipeline not started: s3://"
                    + object.bucket() + "/" + object.key() + " is empty", object, null, dryRun)
                    .detail("reason", reason).build());
            return Attempt.of(ObjectOutcome.skipped(object.bucket(), object.key(), object.versionId(), reason));
        }
        String token = ClientTokens.forObject(config.pipelineArn(), object);
        String unbindable = PayloadBinding.whyNotBindable(object);
        if (unbindable != null) {
            return refused(object, token, dryRun, new Failure(unbindable, null, false));
        }
        if (dryRun) {
            Log.info("dry run: would start the image pipeline", "bucket", object.bucket(), "key", object.key(),
                    "clientToken", token);
            publisher.publish(notice(NotificationKind.PIPELINE_STARTED, "[dry run] Image pipeline would start for s3://"
                    + object.bucket() + "/" + object.key(), object, token, true).build());
            return Attempt.of(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                    ObjectOutcome.Status.DRY_RUN, "dry run: nothing started", null, token, null));
        }
        return start(object, token);
    }

    /** Null when the object is a payload for this pipeline, else why not. */
    private String whyNotAPayload(PayloadObject object) {
        if (!config.payloadBucket().equals(object.bucket())) {
            return "bucket " + object.bucket() + " is not the payload bucket " + config.payloadBucket();
        }
        if (object.key().endsWith("/")) {
            return "the key is a folder marker";
        }
        if (!config.keyMatches(object.key())) {
            return "key does not match prefix '" + config.payloadPrefix() + "' and suffix '" + config.payloadSuffix() + "'";
        }
        return null;
    }

    private Attempt start(PayloadObject object, String token) {
        try {
            StartImagePipelineExecutionResponse response = imagebuilder.startImagePipelineExecution(r -> r
                    .imagePipelineArn(config.pipelineArn())
                    .clientToken(token)
                    .tags(PayloadBinding.tags(object)));
            String imageArn = response.imageBuildVersionArn();
            Log.correlationId(imageArn);
            Log.info("image pipeline started", "imageBuildVersionArn", imageArn, "bucket", object.bucket(),
                    "key", object.key(), "versionId", object.versionId(), "clientToken", token);
            // Image Builder answers a redelivery with the same build; only the first delivery tells people.
            if (firstTime(STARTED_SCOPE, token, imageArn)) {
                publisher.publish(notice(NotificationKind.PIPELINE_STARTED, "Image pipeline started for s3://"
                        + object.bucket() + "/" + object.key(), object, token, false)
                        .correlationId(imageArn)
                        .detail("imageBuildVersionArn", imageArn).build());
            } else {
                Log.info("duplicate delivery: PIPELINE_STARTED was already sent for this upload", "clientToken", token);
            }
            return Attempt.of(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                    ObjectOutcome.Status.STARTED, null, null, token, imageArn));
        } catch (IdempotentParameterMismatchException e) {
            // The token is derived from this very object, so a token Image Builder already knows means
            // an earlier delivery of the same upload started the build. Nothing to do, nothing failed.
            Log.info("already started by an earlier delivery of this event", "bucket", object.bucket(),
                    "key", object.key(), "clientToken", token, "serviceMessage", message(e));
            return Attempt.of(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                    ObjectOutcome.Status.ALREADY_STARTED, "the client token was already used for this object",
                    awsErrorCode(e), token, null));
        } catch (SdkException e) {
            Failure failure = Failure.of(e);
            if (failure.retryable()) {
                // No notice: the invocation fails and Lambda retries with the same token; a notice per
                // attempt would cry wolf. A final failure lands in the async failure queue.
                Log.warn("image pipeline not started yet, will retry: " + failure.reason(), "bucket", object.bucket(),
                        "key", object.key(), "errorCode", failure.errorCode());
                return new Attempt(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                        ObjectOutcome.Status.FAILED, failure.reason(), failure.errorCode(), token, null), true);
            }
            Log.error("image pipeline could not be started: " + failure.reason(), e, "bucket", object.bucket(),
                    "key", object.key(), "errorCode", failure.errorCode());
            return refused(object, token, false, failure);
        }
    }

    /** A permanent refusal: FAILED, and one PIPELINE_START_FAILED notice per upload however often it is delivered. */
    private Attempt refused(PayloadObject object, String token, boolean dryRun, Failure failure) {
        if (dryRun || firstTime(FAILED_SCOPE, token, failure.reason())) {
            publisher.publish(notice(NotificationKind.PIPELINE_START_FAILED, (dryRun ? "[dry run] " : "")
                    + "Image pipeline could not start for s3://" + object.bucket() + "/" + object.key(), object, token, dryRun)
                    .detail("reason", failure.reason())
                    .detail("errorCode", failure.errorCode())
                    .detail("willRetry", false).build());
        } else {
            Log.info("duplicate delivery: PIPELINE_START_FAILED was already sent for this upload", "clientToken", token);
        }
        Log.warn("not started: " + failure.reason(), "bucket", object.bucket(), "key", object.key());
        return Attempt.of(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                ObjectOutcome.Status.FAILED, failure.reason(), failure.errorCode(), token, null));
    }

    /** True for the first delivery that reaches this point for the token (a conditional write in the state table). */
    private boolean firstTime(String scope, String token, String what) {
        return processed.claim(scope, token, clock.instant(), MARKER_LIFETIME,
                what == null ? Map.of() : Map.of("what", what));
    }

    /** The tags of the new image: the object it must build (see {@link PayloadBinding}). */
    static Map<String, String> tags(PayloadObject object) {
        return PayloadBinding.tags(object);
    }

    private Notification.Builder notice(NotificationKind kind, String title, PayloadObject object, String token,
                                        boolean dryRun) {
        String[] arn = config.pipelineArn().split(":");
        return Notification.of(kind, title)
                .time(clock.instant())
                .accountId(arn.length > 4 ? arn[4] : null)
                .region(arn.length > 3 ? arn[3] : null)
                .detail("pipelineArn", config.pipelineArn())
                .detail("bucket", object.bucket())
                .detail("key", object.key())
                .detail("versionId", object.versionId())
                .detail("etag", object.etag())
                .detail("clientToken", token)
                .detail("dryRun", dryRun ? Boolean.TRUE : null);
    }

    /** Why Image Builder refused, in words a person reading a notice understands. */
    record Failure(String reason, String errorCode, boolean retryable) {

        static Failure of(SdkException e) {
            if (!(e instanceof AwsServiceException service)) {
                // No answer from the service (network, timeout): worth another try.
                return new Failure("no answer from Image Builder: " + e.getMessage(), null, true);
            }
            String code = awsErrorCode(service);
            String message = message(service);
            String lower = (message == null ? "" : message).toLowerCase(Locale.ROOT);
            int status = service.statusCode();
            if (lower.contains("disabled")) {
                return new Failure("the pipeline is disabled: " + message, code, false);
            }
            if ("ResourceNotFoundException".equals(code) || status == 404) {
                return new Failure("the pipeline does not exist: " + message, code, false);
            }
            if ("ForbiddenException".equals(code) || "AccessDeniedException".equals(code) || status == 403) {
                return new Failure("access denied: " + message, code, false);
            }
            if ("ResourceInUseException".equals(code) || status == 409) {
                // API reference: "The resource that you are trying to operate on is currently in use.
                // Review the message details and retry later." So Lambda retries the invocation.
                return new Failure("the pipeline is in use, retry later: " + message, code, true);
            }
            if (service.isThrottlingException() || "CallRateLimitExceededException".equals(code) || status == 429) {
                return new Failure("throttled after the SDK's retries: " + message, code, true);
            }
            if (status >= 500) {
                return new Failure("Image Builder service error: " + message, code, true);
            }
            return new Failure("rejected (" + code + "): " + message, code, false);
        }
    }

    private static String awsErrorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
