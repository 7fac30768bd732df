package io.amirollout.verifier;

import java.time.Duration;

/** Waits between two rounds of checks; tests pass one that advances a simulated clock instead. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration);

    static Sleeper real() {
        return d -> {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next round of checks", e);
            }
        };
    }
}
