package io.amirollout.shared;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ImageReleased} contract (version "1"): cross-account-invoker → instance-refresh, also
 * written by hand by a person. One AMI per region; the receiver uses the one for its own region.
 */
public record ImageReleased(String version, String correlationId, Image image, List<Ami> amis, boolean dryRun) {

    public static final String CONTRACT_VERSION = "1";

    public record Image(String name, String version, String arn) {
    }

    public record Ami(String region, String imageId, String name, String accountId) {
    }

    public ImageReleased {
        version = version == null ? CONTRACT_VERSION : version;
        amis = amis == null ? List.of() : List.copyOf(amis);
    }

    /** True when the tree has the contract's distinguishing fields. */
    public static boolean looksLike(JsonNode node) {
        return node != null && node.isObject() && node.has("amis") && node.has("image");
    }

    /**
     * Reads and validates the contract: a supported version, an image name, at least one AMI, and
     * every AMI with a region and an {@code ami-} id. Anything else is an {@link InvalidEventException}
     * naming every problem found.
     */
    public static ImageReleased from(JsonNode node) {
        List<String> problems = new ArrayList<>();
        String version = Json.text(node, "version");
        if (version != null && !CONTRACT_VERSION.equals(version)) {
            problems.add("unsupported ImageReleased version '" + version + "' (expected " + CONTRACT_VERSION + ")");
        }
        JsonNode imageNode = node.get("image");
        Image image = null;
        if (imageNode == null || !imageNode.isObject() || Json.text(imageNode, "name") == null) {
            problems.add("image.name is missing");
        } else {
            image = new Image(Json.text(imageNode, "name"), Json.text(imageNode, "version"), Json.text(imageNode, "arn"));
        }
        List<Ami> amis = new ArrayList<>();
        JsonNode amiNodes = node.get("amis");
        if (amiNodes == null || !amiNodes.isArray() || amiNodes.isEmpty()) {
            problems.add("amis[] is missing or empty");
        } else {
            for (int i = 0; i < amiNodes.size(); i++) {
                JsonNode ami = amiNodes.get(i);
                String region = Json.text(ami, "region");
                String imageId = Json.text(ami, "imageId");
                if (region == null) {
                    problems.add("amis[" + i + "].region is missing");
                }
                if (imageId == null || !imageId.matches("ami-[0-9a-f]{8,17}")) {
                    problems.add("amis[" + i + "].imageId is missing or not an AMI id (got '" + imageId + "')");
                }
                amis.add(new Ami(region, imageId, Json.text(ami, "name"), Json.text(ami, "accountId")));
            }
        }
        JsonNode dryRun = node.get("dryRun");
        if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
            problems.add("dryRun must be true or false");
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid ImageReleased: " + String.join("; ", problems));
        }
        String correlationId = Json.text(node, "correlationId");
        if (correlationId == null && image != null) {
            correlationId = image.arn() != null ? image.arn() : image.name() + "/" + image.version();
        }
        return new ImageReleased(CONTRACT_VERSION, correlationId, image, amis, dryRun != null && dryRun.asBoolean(false));
    }

    /** The AMI for {@code region}, if the release has one there. */
    public Optional<Ami> amiFor(String region) {
        return amis.stream().filter(a -> region.equals(a.region())).findFirst();
    }

    /** This release narrowed to one region's AMI: what the invoker sends to one account × region. */
    public ImageReleased forRegion(Ami ami) {
        return new ImageReleased(version, correlationId, image, List.of(ami), dryRun);
    }

    public ImageReleased withDryRun(boolean value) {
        return new ImageReleased(version, correlationId, image, amis, value);
    }
}
