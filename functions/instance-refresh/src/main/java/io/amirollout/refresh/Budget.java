package io.amirollout.refresh;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The invocation's time left, so that many groups do not run into the Lambda timeout: before each group the
 * service checks it, and groups it cannot reach any more are recorded for the next tick instead (never dropped).
 *
 * @param remaining time left in the invocation (Lambda's Context#getRemainingTimeInMillis)
 * @param reserve   what one more group may need at worst, plus the result and notices
 */
public record Budget(Supplier<Duration> remaining, Duration reserve) {

    public static final Budget UNLIMITED = new Budget(() -> Duration.ofDays(1), Duration.ZERO);
    /** One group takes about 25 AWS calls; at a slow 400 ms each that is 10 s, twice over for safety. */
    public static final Duration DEFAULT_RESERVE = Duration.ofSeconds(20);

    public static Budget lambda(com.amazonaws.services.lambda.runtime.Context context) {
        return context == null ? UNLIMITED
                : new Budget(() -> Duration.ofMillis(context.getRemainingTimeInMillis()), DEFAULT_RESERVE);
    }

    boolean exhausted() {
        return remaining.get().compareTo(reserve) < 0;
    }
}
