package io.amirollout.invoker;

/**
 * One image notice from the event.
 *
 * @param image        the image as far as the notice describes it
 * @param needsLookup  true when the notice carries no AMI ids (the EventBridge state change), so
 *                     the image must be read with GetImage before fanning out
 * @param skipReason   set when the event is not an image notice this function acts on
 * @param shape        which input shape it came from
 */
public record ImageEvent(BuiltImage image, boolean needsLookup, String skipReason, String shape) {

    static ImageEvent skip(String reason, String shape) {
        return new ImageEvent(null, false, reason, shape);
    }
}
