package io.amirollout.pipeline;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

import java.util.regex.Pattern;

/**
 * pipeline-starter's configuration, read once at start-up.
 *
 * @param pipelineArn          {@code PIPELINE_ARN}: the Image Builder image pipeline to start
 * @param payloadBucket        {@code PAYLOAD_BUCKET}: the only bucket whose objects start it
 * @param payloadPrefix        {@code PAYLOAD_PREFIX}: key prefix an object must have (empty = any)
 * @param payloadSuffix        {@code PAYLOAD_SUFFIX}: key suffix an object must have ({@code .sh}; {@code *} = any)
 * @param notificationTopicArn {@code NOTIFICATION_TOPIC_ARN}: where notices go (null = log only)
 * @param dryRun               {@code DRY_RUN}: decide and report, start nothing
 * @param stateTableName       {@code STATE_TABLE_NAME}: the infra stack's state table (notice markers)
 */
public record PipelineStarterConfig(String pipelineArn, String payloadBucket, String payloadPrefix,
                                    String payloadSuffix, String notificationTopicArn, boolean dryRun,
                                    String stateTableName) {

    /** The pattern from the StartImagePipelineExecution API reference (imagePipelineArn). */
    static final Pattern PIPELINE_ARN = Pattern.compile(
            "^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):image-pipeline/[a-z0-9-_]+$");
    /** S3 general purpose bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
    static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    /** {@code PAYLOAD_SUFFIX=*}: an empty value would fall back to the default, so "any suffix" needs a word. */
    static final String ANY_SUFFIX = "*";

    public static PipelineStarterConfig from(Env env) {
        String pipelineArn = env.required("PIPELINE_ARN", "the Image Builder image pipeline to start",
                v -> PIPELINE_ARN.matcher(v).matches(),
                "an image pipeline ARN like arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023");
        String bucket = env.required("PAYLOAD_BUCKET", "the bucket build payloads are uploaded to",
                v -> BUCKET.matcher(v).matches(), "an S3 bucket name (not an ARN or s3:// URL)");
        String prefix = env.string("PAYLOAD_PREFIX", "");
        String suffix = env.string("PAYLOAD_SUFFIX", ".sh");
        String topic = env.snsTopicArn("NOTIFICATION_TOPIC_ARN");
        if (prefix.contains("'") || suffix.contains("'")) {
            // The build's component quotes both in shell: keep them the same plain strings there and here.
            env.problem("PAYLOAD_PREFIX and PAYLOAD_SUFFIX must not contain a single quote");
        }
        boolean dryRun = env.dryRun();
        String table = env.required(StateTables.TABLE_NAME_VARIABLE, "the state table (one notice per upload)");
        env.check();
        return new PipelineStarterConfig(pipelineArn, bucket, prefix, suffix, topic, dryRun, table);
    }

    /**
     * True when the key passes the configured prefix and suffix filters. {@code *} is the one wildcard,
     * and only as the whole suffix: any other {@code *} is a literal character of the suffix. The build's
     * component (component/run-payload.sh) applies exactly this rule to the same PayloadSuffix value.
     */
    boolean keyMatches(String key) {
        return key.startsWith(payloadPrefix) && (ANY_SUFFIX.equals(payloadSuffix) || key.endsWith(payloadSuffix));
    }
}
