package io.amirollout.invoker;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.EventBridgeEvent;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import io.amirollout.shared.Log;
import io.amirollout.shared.SnsEnvelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the shapes an image notice arrives in:
 * <ol>
 *   <li>the Lambda SNS event whose {@code Sns.Message} is Image Builder's image JSON (what an
 *       infrastructure configuration's SNS topic sends);</li>
 *   <li>the EventBridge "EC2 Image Builder Image State Change" event (no AMI ids: looked up);</li>
 *   <li>the image JSON itself, for a person invoking the function by hand.</li>
 * </ol>
 */
final class ImageEvents {

    static final String SNS = "sns-image-notification";
    static final String EVENTBRIDGE = "eventbridge-image-state-change";
    static final String DIRECT = "image-json";
    static final String STATE_CHANGE = "EC2 Image Builder Image State Change";

    private ImageEvents() {
    }

    static List<ImageEvent> read(JsonNode event) {
        if (SnsEnvelope.looksLike(event)) {
            List<ImageEvent> images = new ArrayList<>();
            for (SNSEvent.SNSRecord record : SnsEnvelope.from(event).getRecords()) {
                JsonNode message = Json.readTree(record.getSNS().getMessage());
                if (!looksLikeImage(message)) {
                    throw new InvalidEventException("the SNS message is not an Image Builder image notification "
                            + "(no 'arn' and 'state'); topic " + record.getSNS().getTopicArn());
                }
                images.add(new ImageEvent(fromImageJson(message), false, null, SNS));
            }
            return images;
        }
        if (EventBridgeEvent.looksLike(event)) {
            return List.of(fromEventBridge(EventBridgeEvent.from(event)));
        }
        if (looksLikeImage(event)) {
            return List.of(new ImageEvent(fromImageJson(event), false, null, DIRECT));
        }
        throw new InvalidEventException("not an image notification: expected an SNS event carrying Image Builder's "
                + "image JSON, an EventBridge '" + STATE_CHANGE + "' event, or the image JSON itself");
    }

    private static boolean looksLikeImage(JsonNode node) {
        return node != null && node.isObject() && node.hasNonNull("arn") && node.path("state").isObject();
    }

    private static ImageEvent fromEventBridge(EventBridgeEvent event) {
        if (!"aws.imagebuilder".equals(event.source()) || !STATE_CHANGE.equals(event.detailType())) {
            return ImageEvent.skip("event '" + event.detailType() + "' from " + event.source()
                    + " is not an image state change", EVENTBRIDGE);
        }
        String arn = event.resources().stream().filter(r -> r.contains(":image/")).findFirst()
                .orElseThrow(() -> new InvalidEventException("the image state change names no image ARN in resources[]"));
        JsonNode state = event.detail().path("state");
        String status = Json.text(state, "status");
        if (status == null) {
            throw new InvalidEventException("the image state change has no detail.state.status");
        }
        BuiltImage image = new BuiltImage(arn, BuiltImage.nameFromArn(arn), BuiltImage.versionFromArn(arn), status,
                Json.text(state, "reason"), List.of());
        return new ImageEvent(image, true, null, EVENTBRIDGE);
    }

    /** Image Builder's image JSON (the SNS message body, and GetImage's shape in JSON). */
    static BuiltImage fromImageJson(JsonNode node) {
        String arn = Json.requiredText(node, "arn", "the image notification");
        String status = Json.text(node.path("state"), "status");
        if (status == null) {
            throw new InvalidEventException("the image notification has no state.status");
        }
        String name = Json.text(node, "name") != null ? Json.text(node, "name") : BuiltImage.nameFromArn(arn);
        String version = BuiltImage.versionFromArn(arn);
        if (version == null && Json.text(node, "version") != null) {
            version = Json.text(node, "version") + (Json.text(node, "buildVersion") != null ? "/" + Json.text(node, "buildVersion") : "");
        }
        return new BuiltImage(arn, name, version, status, Json.text(node.path("state"), "reason"),
                amis(node.path("outputResources").path("amis")), Json.text(node, "sourcePipelineArn"));
    }

    private static List<ImageReleased.Ami> amis(JsonNode amis) {
        List<ImageReleased.Ami> result = new ArrayList<>();
        if (amis.isArray()) {
            for (JsonNode ami : amis) {
                String region = Json.text(ami, "region");
                String imageId = Json.text(ami, "image");
                if (region == null || imageId == null || !imageId.matches("ami-[0-9a-f]{8,17}")) {
                    Log.warn("ignoring an AMI entry without a region or an AMI id", "region", region, "image", imageId);
                    continue;
                }
                result.add(new ImageReleased.Ami(region, imageId, Json.text(ami, "name"), Json.text(ami, "accountId")));
            }
        }
        return result;
    }
}
