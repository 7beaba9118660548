package io.bulkreg.job;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether SIGTERM's grace covers a request in hand: one the platform answers at the last moment of the read timeout
 * must still be stored before the process ends, or the keys of that answer are lost (a deviceKey is issued once). The
 * read timeout bounds the wait for the answer and each pause within it, not a body that trickles in for longer, nor a
 * store that waits for a database connection: the margin covers a store as it normally goes.
 */
public final class ShutdownGrace {

    /** An answer's store (its commit, or a rescue file) after it arrived, at most: the grace keeps this beyond the read timeout. */
    public static final Duration STORE_MARGIN = Duration.ofSeconds(5);

    private ShutdownGrace() {
    }

    /** Why the grace is too short for {@code readTimeout}, if it is. */
    public static Optional<String> problem(Duration shutdownGrace, Duration readTimeout) {
        if (shutdownGrace.compareTo(readTimeout.plus(STORE_MARGIN)) >= 0) {
            return Optional.empty();
        }
        return Optional.of("bulkreg.lease.shutdown-grace (BULKREG_LEASE_SHUTDOWNGRACE, " + seconds(shutdownGrace)
                + ") must be at least bulkreg.mcs.read-timeout (BULKREG_MCS_READTIMEOUT, " + seconds(readTimeout) + ") plus "
                + seconds(STORE_MARGIN) + ": on SIGTERM the process would end while a request may still be answered, and "
                + "the keys of that answer would be lost. Raise the grace (and the pod's terminationGracePeriodSeconds or "
                + "systemd's TimeoutStopSec above it) or lower the read timeout. Nothing was imported or sent.");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
