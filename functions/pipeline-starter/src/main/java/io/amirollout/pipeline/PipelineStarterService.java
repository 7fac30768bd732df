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

import java.time.Clock;
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

    static final String TAG_BUCKET = "ami-rollout:payload-bucket";
    static final String TAG_KEY = "ami-rollout:payload-key";
    static final String TAG_VERSION = "ami-rollout:payload-version";
    /** Image Builder tag values: at most 256 characters. */
    static final int TAG_VALUE_LIMIT = 256;

    private final PipelineStarterConfig config;
    private final ImagebuilderClient imagebuilder;
    private final NotificationPublisher publisher;
    private final Clock clock;

    public PipelineStarterService(PipelineStarterConfig config, ImagebuilderClient imagebuilder,
                                  NotificationPublisher publisher, Clock clock) {
        this.config = config;
        this.imagebuilder = imagebuilder;
        this.publisher = publisher;
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
                    .tags(tags(object)));
            String imageArn = response.imageBuildVersionArn();
            Log.correlationId(imageArn);
            Log.info("image pipeline started", "imageBuildVersionArn", imageArn, "bucket", object.bucket(),
                    "key", object.key(), "clientToken", token);
            publisher.publish(notice(NotificationKind.PIPELINE_STARTED, "Image pipeline started for s3://"
                    + object.bucket() + "/" + object.key(), object, token, false)
                    .correlationId(imageArn)
                    .detail("imageBuildVersionArn", imageArn).build());
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
            Log.error("image pipeline could not be started: " + failure.reason(), e, "bucket", object.bucket(),
                    "key", object.key(), "errorCode", failure.errorCode(), "retryable", failure.retryable());
            publisher.publish(notice(NotificationKind.PIPELINE_START_FAILED, "Image pipeline could not start for s3://"
                    + object.bucket() + "/" + object.key(), object, token, false)
                    .detail("reason", failure.reason())
                    .detail("errorCode", failure.errorCode())
                    .detail("willRetry", failure.retryable()).build());
            return new Attempt(new ObjectOutcome(object.bucket(), object.key(), object.versionId(),
                    ObjectOutcome.Status.FAILED, failure.reason(), failure.errorCode(), token, null), failure.retryable());
        }
    }

    /** The execution's tags record which object started it (values sanitised to Image Builder's tag rules). */
    static Map<String, String> tags(PayloadObject object) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_BUCKET, tagValue(object.bucket()));
        tags.put(TAG_KEY, tagValue(object.key()));
        String version = object.versionId() != null ? object.versionId() : object.etag();
        if (version != null) {
            tags.put(TAG_VERSION, tagValue(version));
        }
        return tags;
    }

    /** Tag values allow letters, digits, spaces and {@code _ . : / = + - @}; at most 256 characters. */
    static String tagValue(String value) {
        String cleaned = value.replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return cleaned.length() <= TAG_VALUE_LIMIT ? cleaned : cleaned.substring(0, TAG_VALUE_LIMIT);
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
                return new Failure("conflict, the pipeline is in use: " + message, code, false);
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
