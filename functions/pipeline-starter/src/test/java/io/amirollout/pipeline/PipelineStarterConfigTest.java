package io.amirollout.pipeline;

import io.amirollout.shared.ConfigurationException;
import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PipelineStarterConfigTest {

    static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023";

    @Test
    void defaults() {
        PipelineStarterConfig c = PipelineStarterConfig.from(Env.of(Map.of(
                "PIPELINE_ARN", PIPELINE, "PAYLOAD_BUCKET", "ami-rollout-payloads-111122223333", "STATE_TABLE_NAME", "state")));
        assertEquals(new PipelineStarterConfig(PIPELINE, "ami-rollout-payloads-111122223333", "", ".sh", null, false, "state"), c);
        assertTrue(c.keyMatches("x.sh"));
        assertFalse(c.keyMatches("x.txt"));
    }

    @Test
    void everyVariable() {
        PipelineStarterConfig c = PipelineStarterConfig.from(Env.of(Map.of(
                "PIPELINE_ARN", PIPELINE, "PAYLOAD_BUCKET", "payloads", "PAYLOAD_PREFIX", "builds/",
                "PAYLOAD_SUFFIX", "*", "NOTIFICATION_TOPIC_ARN", "arn:aws:sns:eu-west-1:111122223333:notices",
                "DRY_RUN", "true", "STATE_TABLE_NAME", "state")));
        assertTrue(c.dryRun());
        assertTrue(c.keyMatches("builds/anything.ps1"));
        assertFalse(c.keyMatches("other/anything.sh"));
        assertEquals("arn:aws:sns:eu-west-1:111122223333:notices", c.notificationTopicArn());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PipelineStarterConfig.from(Env.of(Map.of(
                "PIPELINE_ARN", "arn:aws:imagebuilder:eu-west-1:111122223333:image/golden/1.0.0/1",
                "PAYLOAD_BUCKET", "s3://payloads", "NOTIFICATION_TOPIC_ARN", "notices", "DRY_RUN", "maybe",
                "STATE_TABLE_NAME", "state"))));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("PIPELINE_ARN"));
        assertTrue(e.getMessage().contains("PAYLOAD_BUCKET"));
        assertTrue(e.getMessage().contains("NOTIFICATION_TOPIC_ARN"));
        assertTrue(e.getMessage().contains("DRY_RUN"));
    }

    @Test
    void missingRequiredVariables() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> PipelineStarterConfig.from(Env.of(Map.of())));
        assertEquals(3, e.problems().size());
    }

    @Test
    void aStarIsAnyKeyOnlyAsTheWholeSuffixElsewhereItIsALiteral() {
        PipelineStarterConfig c = PipelineStarterConfig.from(Env.of(Map.of("PIPELINE_ARN", PIPELINE,
                "PAYLOAD_BUCKET", "payloads", "PAYLOAD_SUFFIX", "*.sh", "STATE_TABLE_NAME", "state")));
        assertTrue(c.keyMatches("builds/x*.sh"));
        assertFalse(c.keyMatches("builds/x.sh"), "*.sh is a literal suffix, not a glob (the build applies the same rule)");
    }
}
