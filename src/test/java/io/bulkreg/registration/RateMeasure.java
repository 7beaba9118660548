package io.bulkreg.registration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Requests per second as a platform would count them: the most that fall in any one second (a sliding window). */
public final class RateMeasure {

    private RateMeasure() {
    }

    /** @param nanos System.nanoTime() of each request, any order */
    public static int mostInAnySecond(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        long second = TimeUnit.SECONDS.toNanos(1);
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= second) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }
}
