package io.amirollout.janitor;

import java.util.ArrayList;
import java.util.List;

/**
 * What is known about who uses an AMI: each entry a reason in words. {@code unknown} holds the sources
 * that could not be read ("unknown counts as in use").
 */
public record Usage(List<String> inUse, List<String> unknown) {

    public Usage {
        inUse = List.copyOf(inUse);
        unknown = List.copyOf(unknown);
    }

    static Usage none() {
        return new Usage(List.of(), List.of());
    }

    static Usage inUse(String... reasons) {
        return new Usage(List.of(reasons), List.of());
    }

    static Usage unknown(String... reasons) {
        return new Usage(List.of(), List.of(reasons));
    }

    Usage plus(Usage other) {
        List<String> used = new ArrayList<>(inUse);
        used.addAll(other.inUse);
        List<String> unsure = new ArrayList<>(unknown);
        unsure.addAll(other.unknown);
        return new Usage(used, unsure);
    }
}
