package io.amirollout.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import io.amirollout.shared.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * EC2 Image Builder, which moto does not implement: StartImagePipelineExecution and GetImage in the
 * real REST-JSON format. Pipelines and images are registered by the test; a start with a client
 * token seen before answers what the first start answered (Image Builder's idempotency), with other
 * parameters it is an IdempotentParameterMismatchException.
 */
public final class ImageBuilderEmulator {

    /** An AMI in an image's outputResources. */
    public record Ami(String region, String imageId, String name, String accountId) {
    }

    /** One started execution, as the function asked for it. */
    public record Execution(String pipelineArn, String clientToken, Map<String, String> tags, String imageBuildVersionArn) {
    }

    private record Pipeline(String arn, String imageName, String semanticVersion, AtomicInteger builds) {
    }

    private record Image(String arn, String name, String version, String status, List<Ami> amis) {
    }

    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executionsByToken = new ConcurrentHashMap<>();
    private final List<Execution> started = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Image> images = new ConcurrentHashMap<>();

    /** A pipeline whose builds produce {@code imageName} at {@code semanticVersion}/1, /2, ... */
    public void pipeline(String arn, String imageName, String semanticVersion) {
        pipelines.put(arn, new Pipeline(arn, imageName, semanticVersion, new AtomicInteger()));
    }

    /** An image build version that GetImage answers for. */
    public void image(String arn, String name, String version, String status, List<Ami> amis) {
        images.put(arn, new Image(arn, name, version, status, List.copyOf(amis)));
    }

    /** Executions really started (a replayed token is not a new one). */
    public List<Execution> started() {
        return List.copyOf(started);
    }

    public void reset() {
        pipelines.clear();
        executionsByToken.clear();
        started.clear();
        images.clear();
    }

    synchronized ResponseDefinition start(Request request) {
        JsonNode body = Json.readTree(request.getBodyAsString());
        String pipelineArn = Json.text(body, "imagePipelineArn");
        String token = Json.text(body, "clientToken");
        Map<String, String> tags = new java.util.TreeMap<>();
        if (body.get("tags") != null) {
            body.get("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        if (token == null || token.isEmpty() || token.length() > 36) {
            return error(400, "InvalidRequestException", "clientToken must be 1 to 36 characters");
        }
        Execution earlier = executionsByToken.get(token);
        if (earlier != null) {
            if (!earlier.pipelineArn().equals(pipelineArn) || !earlier.tags().equals(tags)) {
                return error(400, "IdempotentParameterMismatchException",
                        "The client token " + token + " was used with different parameters.");
            }
            return answer(earlier);
        }
        Pipeline pipeline = pipelines.get(pipelineArn);
        if (pipeline == null) {
            return error(404, "ResourceNotFoundException", "The image pipeline " + pipelineArn + " does not exist.");
        }
        String[] arn = pipelineArn.split(":");
        String buildVersion = "arn:aws:imagebuilder:" + arn[3] + ":" + arn[4] + ":image/" + pipeline.imageName() + "/"
                + pipeline.semanticVersion() + "/" + pipeline.builds().incrementAndGet();
        Execution execution = new Execution(pipelineArn, token, Map.copyOf(tags), buildVersion);
        executionsByToken.put(token, execution);
        started.add(execution);
        return answer(execution);
    }

    ResponseDefinition getImage(Request request) {
        String arn = null;
        String url = request.getUrl();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.startsWith("imageBuildVersionArn=")) {
                    arn = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
                }
            }
        }
        Image image = arn == null ? null : images.get(arn);
        Execution execution = null;
        if (image == null && arn != null) {
            // An image build version still building: what the payload component reads (its tags).
            for (Execution e : started()) {
                if (e.imageBuildVersionArn().equals(arn)) {
                    execution = e;
                    String[] path = arn.substring(arn.indexOf(":image/") + 7).split("/");
                    image = new Image(arn, path[0], path[1] + "/" + path[2], "BUILDING", List.of());
                }
            }
        }
        if (image == null) {
            return error(404, "ResourceNotFoundException", "The image " + arn + " does not exist.");
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("requestId", UUID.randomUUID().toString());
        ObjectNode node = root.putObject("image");
        node.put("arn", image.arn());
        node.put("name", image.name());
        node.put("version", image.version());
        node.put("type", "AMI");
        node.put("platform", "Linux");
        node.putObject("state").put("status", image.status());
        // Our pipelines are named after their image (template.yaml: ImagePipeline Name = ImageName).
        String[] parts = image.arn().split(":");
        node.put("sourcePipelineArn", execution != null ? execution.pipelineArn()
                : "arn:aws:imagebuilder:" + parts[3] + ":" + parts[4] + ":image-pipeline/" + image.name());
        if (execution != null) {
            ObjectNode tags = node.putObject("tags");
            execution.tags().forEach(tags::put);
        }
        ArrayNode amis = node.putObject("outputResources").putArray("amis");
        for (Ami ami : image.amis()) {
            amis.addObject().put("region", ami.region()).put("image", ami.imageId()).put("name", ami.name())
                    .put("accountId", ami.accountId());
        }
        return json(200, Json.write(root));
    }

    private static ResponseDefinition answer(Execution execution) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("requestId", UUID.randomUUID().toString());
        root.put("clientToken", execution.clientToken());
        root.put("imageBuildVersionArn", execution.imageBuildVersionArn());
        return json(200, Json.write(root));
    }

    private static ResponseDefinition error(int status, String type, String message) {
        return responseDefinition().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type)
                .withBody("{\"message\":\"" + message.replace("\"", "'") + "\"}").build();
    }

    private static ResponseDefinition json(int status, String body) {
        return responseDefinition().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
