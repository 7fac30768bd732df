package io.amirollout.hostname;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amirollout.hostname.HostnameSources.Resolution;
import io.amirollout.shared.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.amirollout.hostname.HostnameWorld.event;
import static org.junit.jupiter.api.Assertions.*;

/** The schema itself can fail: it refuses what a listener could not rely on. */
class MessageSchemaTest {

    private static final Resolution FOUND = new Resolution("WEB-0042", "tag:hostname", List.of("tag:hostname"), null);
    private static final Resolution MISSING = new Resolution(null, null, List.of("tag:hostname"), "no tags left; tried tag:hostname");

    private static ObjectNode message(String file, Resolution resolution) {
        return (ObjectNode) Json.readTree(HostnameMessage.body(event(file), resolution, Map.of("hostname", "WEB-0042")));
    }

    @Test
    void everyKindOfMessageIsValid() {
        for (String file : List.of("ec2-instance-shutting-down.json", "ec2-instance-terminated.json",
                "ec2-instance-terminated-spaces-uppercase.json", "asg-terminate-lifecycle-action.json")) {
            MessageSchema.assertValid(message(file, FOUND).toString());
            MessageSchema.assertValid(message(file, MISSING).toString());
        }
    }

    @Test
    void aMissingHostnameNeedsAReasonAndAFoundOneMustNotHaveOne() {
        ObjectNode noReason = message("ec2-instance-terminated.json", MISSING);
        ((ObjectNode) noReason.get("detail")).remove("reason");
        ObjectNode foundWithReason = message("ec2-instance-terminated.json", FOUND);
        ((ObjectNode) foundWithReason.get("detail")).put("reason", "why?");

        assertFalse(MessageSchema.problems(noReason.toString()).isEmpty());
        assertFalse(MessageSchema.problems(foundWithReason.toString()).isEmpty());
    }

    @Test
    void anInexactInstanceIdMissingTagsOrAWrongTriggerAreRefused() {
        ObjectNode upper = message("ec2-instance-terminated.json", FOUND);
        ((ObjectNode) upper.get("detail")).put("instance-id", "i-0F3A9C1E7B2D45A68");
        ObjectNode noTags = message("ec2-instance-terminated.json", FOUND);
        ((ObjectNode) noTags.get("detail")).remove("tags");
        ObjectNode lifecycleAsState = message("asg-terminate-lifecycle-action.json", FOUND);
        ((ObjectNode) lifecycleAsState.get("detail")).put("trigger", "terminated");

        assertFalse(MessageSchema.problems(upper.toString()).isEmpty());
        assertFalse(MessageSchema.problems(noTags.toString()).isEmpty());
        assertFalse(MessageSchema.problems(lifecycleAsState.toString()).isEmpty());
    }

    @Test
    void theOriginalFieldsAreKeptAndTheDryRunFlagIsNotForwarded() {
        String original = io.amirollout.shared.testing.TestFiles.read(HostnameWorld.EVENTS + "ec2-instance-terminated.json");
        ObjectNode withFlag = (ObjectNode) Json.readTree(original);
        withFlag.put("dryRun", true);
        ObjectNode message = (ObjectNode) Json.readTree(HostnameMessage.body(TerminationEvent.from(withFlag), FOUND, Map.of()));

        assertFalse(message.has("dryRun"));
        ObjectNode expected = (ObjectNode) Json.readTree(original);
        ((ObjectNode) message.get("detail")).remove(List.of("hostname", "hostnameSource", "trigger", "tags"));
        assertEquals(expected, message, "nothing else changed");
    }
}
