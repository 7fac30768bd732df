package io.amirollout.invoker;

import io.amirollout.shared.ImageReleased;
import software.amazon.awssdk.services.imagebuilder.ImagebuilderClient;
import software.amazon.awssdk.services.imagebuilder.model.Image;

import java.util.List;

/** Reads an image with GetImage: the EventBridge state change carries no AMI ids. */
final class ImageLookup {

    private final ImagebuilderClient imagebuilder;

    ImageLookup(ImagebuilderClient imagebuilder) {
        this.imagebuilder = imagebuilder;
    }

    BuiltImage get(String imageBuildVersionArn) {
        Image image = imagebuilder.getImage(r -> r.imageBuildVersionArn(imageBuildVersionArn)).image();
        List<ImageReleased.Ami> amis = image.outputResources() == null ? List.of()
                : image.outputResources().amis().stream()
                .filter(a -> a.region() != null && a.image() != null)
                .map(a -> new ImageReleased.Ami(a.region(), a.image(), a.name(), a.accountId()))
                .toList();
        String arn = image.arn() != null ? image.arn() : imageBuildVersionArn;
        String version = BuiltImage.versionFromArn(arn) != null ? BuiltImage.versionFromArn(arn) : image.version();
        return new BuiltImage(arn, image.name() != null ? image.name() : BuiltImage.nameFromArn(arn), version,
                image.state() == null ? null : image.state().statusAsString(),
                image.state() == null ? null : image.state().reason(), amis, image.sourcePipelineArn());
    }
}
