package io.amirollout.slack;

import java.time.Duration;

/** Waits between delivery attempts; injected so tests never wait in real time. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** The real one: {@link Thread#sleep(long)}. */
    static Sleeper threadSleep() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
