package io.amirollout.shared.state;

/** Where a group's release came from. */
public enum ReleaseSource {
    /** An ImageReleased payload (cross-account-invoker, or a person sending one). */
    RELEASE,
    /** The scheduled tick found it by name (single-account "newest by name" mode only). */
    TICK,
    /** A person's manual request naming the group (and possibly the AMI). */
    MANUAL
}
