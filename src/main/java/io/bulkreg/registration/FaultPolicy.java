package io.bulkreg.registration;

import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.mcs.RegistrationOutcome.InDoubt;
import io.bulkreg.mcs.RegistrationOutcome.NotTaken;
import io.bulkreg.mcs.RegistrationOutcome.Registered;
import io.bulkreg.mcs.RegistrationOutcome.Rejected;
import io.bulkreg.mcs.RegistrationOutcome.Unauthorized;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that decides what the job does about each outcome of a request: store, retry, split,
 * skip, hold in doubt or stop the run. docs/reliability.md describes the same table for operators.
 * One instance serves one step execution: it carries the circuit breaker's count.
 */
public final class FaultPolicy {

    /** What to do next with a request's devices. */
    public sealed interface Decision {
        /** Store the credentials. */
        record Store(java.util.List<io.bulkreg.mcs.Credential> credentials) implements Decision {
        }

        /** The platform did not take it: wait, then send the same devices again. */
        record RetryAfter(Duration delay, String reason) implements Decision {
        }

        /** Refused for its content and carrying several devices: find the culprits by halves. */
        record Split(McsError error) implements Decision {
        }

        /**
         * Refused for its content, one device: skip that device with the platform's error. {@code tripsBreaker}: so
         * many devices in a row were refused that the cause is likely the configuration, not the devices: stop.
         */
        record Reject(McsError error, boolean tripsBreaker) implements Decision {
        }

        /** The platform may hold them: flag in doubt, never resend automatically. */
        record HoldInDoubt(String reason, Integer httpStatus, boolean tripsBreaker) implements Decision {
        }

        /** Stop the run; the devices of this request go back to PENDING. Restartable. */
        record FailRun(String message, Integer httpStatus) implements Decision {
        }
    }

    /** 4xx answers that say the request is wrong in form or address (not found, method, size, media type). */
    static final java.util.Set<Integer> NOT_ABOUT_THE_DEVICES = java.util.Set.of(404, 405, 406, 413, 414, 415);

    private final FaultProperties properties;
    private int consecutiveInDoubt;
    private int consecutiveRejected;

    public FaultPolicy(FaultProperties properties) {
        this.properties = properties;
    }

    /**
     * @param attempt 1 for the first sending of these devices, 2 for the first retry, ...
     */
    public Decision decide(RegistrationOutcome outcome, int deviceCount, int attempt) {
        // Java 17: no pattern matching for switch yet, so an instanceof chain over the sealed outcome.
        if (outcome instanceof Registered r) {
            consecutiveInDoubt = 0;
            consecutiveRejected = 0;
            return new Decision.Store(r.credentials());
        }
        if (outcome instanceof Unauthorized u) {
            return new Decision.FailRun("the platform refused the token (" + u.error().summary()
                    + "): check BULKREG_MCS_TOKEN / BULKREG_MCS_TOKEN_FILE and the token's rights on the product; "
                    + "nothing was skipped, the next run continues", u.error().httpStatus());
        }
        if (outcome instanceof NotTaken n) {
            Integer status = n.error() == null ? null : n.error().httpStatus();
            return attempt >= properties.maxAttempts()
                    ? new Decision.FailRun("the platform did not take the request after " + attempt + " attempts ("
                            + n.reason() + "); nothing was skipped, restart the run when the platform is back", status)
                    : new Decision.RetryAfter(backoff(attempt, n.retryAfter()), n.reason());
        }
        if (outcome instanceof Rejected r) {
            if (NOT_ABOUT_THE_DEVICES.contains(r.error().httpStatus())) {
                // Splitting would reject every device of the lot for a wrong URL or an oversized request.
                return new Decision.FailRun("the platform answered " + r.error().summary() + ", which is not about the "
                        + "devices: check bulkreg.mcs.base-url (the job posts to /mcs/v2/devices) and, for 413, lower "
                        + "bulkreg.mcs.devices-per-request; nothing was skipped", r.error().httpStatus());
            }
            if (deviceCount > 1) {
                return new Decision.Split(r.error());
            }
            consecutiveRejected++;
            return new Decision.Reject(r.error(), consecutiveRejected >= properties.rejectionCircuitBreaker());
        }
        InDoubt d = (InDoubt) outcome;
        consecutiveInDoubt++;
        return new Decision.HoldInDoubt(d.reason(), d.httpStatus(), consecutiveInDoubt >= properties.inDoubtCircuitBreaker());
    }

    /** Only a request that really got an answer resets the breaker; a rejection is an answer too. */
    public void answered() {
        consecutiveInDoubt = 0;
    }

    public int consecutiveRejected() {
        return consecutiveRejected;
    }

    public int consecutiveInDoubt() {
        return consecutiveInDoubt;
    }

    /**
     * Exponential backoff with full jitter, never shorter than the server's Retry-After (itself capped so
     * that one answer cannot park the run for hours).
     */
    Duration backoff(int attempt, Duration retryAfter) {
        long base = properties.initialBackoff().toMillis();
        long ceiling = Math.min(properties.maxBackoff().toMillis(), base * (1L << Math.min(attempt - 1, 20)));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        // Compare as durations first: a huge Retry-After would overflow toMillis().
        Duration capped = retryAfter == null ? Duration.ZERO
                : retryAfter.compareTo(properties.retryAfterCap()) > 0 ? properties.retryAfterCap() : retryAfter;
        long floor = Math.max(0, capped.toMillis());
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}
