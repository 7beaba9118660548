package io.bulkreg.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The platform's rate limit as the sandbox plays it: at most {@code max} requests taken in any second (a sliding
 * window over the requests it took; throttled ones do not count, or a throttled client could never get in).
 */
final class RateWindow {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int max;
    private final Deque<Long> taken = new ArrayDeque<>();

    RateWindow(int max) {
        this.max = max;
    }

    /** @return empty when the request is taken, else the Retry-After in whole seconds */
    synchronized OptionalInt admit(long nowNanos) {
        while (!taken.isEmpty() && nowNanos - taken.peekFirst() >= SECOND) {
            taken.pollFirst();
        }
        if (taken.size() >= max) {
            long wait = taken.peekFirst() + SECOND - nowNanos;
            return OptionalInt.of((int) Math.max(1, (wait + SECOND - 1) / SECOND));
        }
        taken.addLast(nowNanos);
        return OptionalInt.empty();
    }
}
