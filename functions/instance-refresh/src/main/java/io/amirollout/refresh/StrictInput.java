package io.amirollout.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.InvalidEventException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Our own JSON inputs refuse fields they do not know: a misspelt {@code "dryrun"} or {@code "imageID"} must be
 * an error before any AWS call, never silently ignored (a misspelt dry-run flag would become a real change).
 */
final class StrictInput {

    static final Set<String> RELEASE_FIELDS = Set.of("version", "correlationId", "image", "amis", "dryRun");
    static final Set<String> IMAGE_FIELDS = Set.of("name", "version", "arn");
    static final Set<String> AMI_FIELDS = Set.of("region", "imageId", "name", "accountId");

    private StrictInput() {
    }

    /** The ImageReleased contract's fields only (top level, image, each AMI), and dryRun a boolean. */
    static void imageReleased(JsonNode node) {
        List<String> problems = new ArrayList<>();
        unknown(node, RELEASE_FIELDS, "", problems);
        unknown(node.get("image"), IMAGE_FIELDS, "image.", problems);
        JsonNode amis = node.get("amis");
        if (amis != null && amis.isArray()) {
            for (int i = 0; i < amis.size(); i++) {
                unknown(amis.get(i), AMI_FIELDS, "amis[" + i + "].", problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid ImageReleased: " + String.join("; ", problems));
        }
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add("unknown field '" + prefix + name + "' (accepted: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
