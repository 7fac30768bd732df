package io.amirollout.refresh;

/** What an invocation asks for one group; the decider turns it, with what was read, into a plan. */
sealed interface Intent {

    /**
     * An ImageReleased payload gave this region's AMI.
     *
     * @param image the AMI as DescribeImages (trusted owners) showed it once for every group, or null when not visible
     */
    record Release(String imageId, String correlationId, boolean quietMismatch,
                   software.amazon.awssdk.services.ec2.model.Image image) implements Intent {
    }

    /** A scheduled tick: resume what the state of record says is pending (or, in the single-account mode, the newest by name). */
    record Tick() implements Intent {
    }

    /** A person's request for one group: an AMI (possibly forced past a rejection), or the newest by name. */
    record Manual(String imageId, boolean force, boolean ignoreWindow) implements Intent {
    }

    default boolean tick() {
        return this instanceof Tick;
    }

    default boolean ignoreWindow() {
        return this instanceof Manual m && m.ignoreWindow();
    }

    default boolean forced() {
        return this instanceof Manual m && m.force();
    }
}
