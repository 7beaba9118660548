package io.bulkreg.registration;

import java.time.Duration;

/**
 * Where the dispatchers report the time they held a request back, for the run's meters. An interface here, implemented
 * by the command line's meters, so that registration knows nothing of metrics (the packages' direction stays cli to
 * registration). Called from any dispatcher thread: implementations are thread-safe.
 */
@FunctionalInterface
public interface SendWaits {

    /** Why a request waited. */
    enum Cause {
        /** For a token of {@code bulkreg.mcs.max-requests-per-second}. */
        RATE_LIMIT,
        /** After a 429: its Retry-After, else the backoff. */
        THROTTLED,
        /** After an answer that did not take the request (503, unreachable): its Retry-After, else the backoff. */
        NOT_TAKEN
    }

    void waited(Cause cause, Duration duration);

    /** Nobody listens (specifications of the dispatcher alone). */
    SendWaits NONE = (cause, duration) -> { };
}
