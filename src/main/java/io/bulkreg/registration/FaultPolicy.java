package io.bulkreg.registration;

import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RawAnswer;
import io.bulkreg.mcs.RegistrationOutcome.InDoubt;
import io.bulkreg.mcs.RegistrationOutcome.NotTaken;
import io.bulkreg.mcs.RegistrationOutcome.Registered;
import io.bulkreg.mcs.RegistrationOutcome.Rejected;
import io.bulkreg.mcs.RegistrationOutcome.Unauthorized;
import io.bulkreg.mcs.RegistrationOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that decides what the job does: about each answer (store, retry, split, reject, hold in doubt, stop),
 * before each request (stop when the run's lease was taken) and when the database refuses an answer's credentials
 * (retry the store, then rescue them to a file and stop). docs/reliability.md states the same table for operators.
 * Stateless, like Spring Batch's SkipPolicy: the circuit breakers' counts come in as a {@link Streak} and the new
 * counts go out with the decision, so one policy serves any number of dispatchers.
 */
public final class FaultPolicy {

    /** What to do with the devices of a request the platform answered (or did not). A closed set. */
    public sealed interface Decision {
        /** Store the credentials. */
        record Store(List<Credential> credentials) implements Decision {
        }

        /** The platform did not take it: release the devices, wait, then send the same devices again. */
        record Retry(Duration delay, String reason) implements Decision {
        }

        /**
         * The platform asked us to slow down (429): release the devices, lower the requests in flight, wait, send the
         * same devices again. Does not spend the attempts of {@link Retry}.
         */
        record Throttled(Duration delay, String reason) implements Decision {
        }

        /** Refused for its content and carrying several devices: find the culprits by halves. */
        record Split(McsError error) implements Decision {
        }

        /** Refused for its content, one device: skip that device with the platform's error; then stop if told why. */
        record Reject(McsError error, Optional<String> stopRun) implements Decision {
        }

        /**
         * A device that was in doubt and resent, refused alone as already registered: the expected answer (the platform
         * holds it, its key is not here). Recorded as such, never sent again, and no sign of a configuration problem.
         */
        record HeldByPlatform(McsError error) implements Decision {
        }

        /**
         * The platform may hold them: flag in doubt, never resend automatically, keep the answer when there is one
         * (it may carry their keys, for {@code reconcile}); then stop if told why.
         */
        record HoldInDoubt(String reason, Integer httpStatus, Optional<String> stopRun, RawAnswer answer)
                implements Decision {
            /** Nothing of the answer to keep. */
            public HoldInDoubt(String reason, Integer httpStatus, Optional<String> stopRun) {
                this(reason, httpStatus, stopRun, null);
            }
        }

        /** Stop the run; the devices of this request go back to PENDING. Restartable. */
        record FailRun(String message, Integer httpStatus) implements Decision {
        }
    }

    /** What to do when the database refused to store the credentials of an answer. A closed set. */
    public sealed interface StoreFailure {
        /** Try the commit again after this pause. */
        record RetryStore(Duration delay) implements StoreFailure {
        }

        /** Save the credentials to a rescue file for the next run, then stop: the database is not usable. */
        record Rescue(RequestId request, String cause) implements StoreFailure {
            public String stopRun(Path file) {
                return "the database refused the credentials of request " + request + " (" + cause + "); they are saved "
                        + "in " + file + " and the next run stores them";
            }
        }
    }

    /** Consecutive devices refused and requests in doubt, as the circuit breakers count them. */
    public record Streak(int rejected, int inDoubt) {
        public static final Streak NONE = new Streak(0, 0);
    }

    /** A decision and the breakers' counts after it. */
    public record Verdict(Decision decision, Streak streak) {
    }

    /** 4xx answers that say the request is wrong in form or address (not found, method, size, media type). */
    static final Set<Integer> NOT_ABOUT_THE_DEVICES = Set.of(404, 405, 406, 413, 414, 415);

    private static final Duration STORE_RETRY_STEP = Duration.ofMillis(500);
    private static final int THROTTLED = 429;

    private final FaultProperties properties;

    public FaultPolicy(FaultProperties properties) {
        this.properties = properties;
    }

    /** How many times these devices were sent and not taken: throttled (429), or otherwise (503, unreachable). */
    public record Attempts(int notTaken, int throttled) {
        public static final Attempts FIRST = new Attempts(0, 0);

        public Attempts afterRetry() {
            return new Attempts(notTaken + 1, throttled);
        }

        public Attempts afterThrottled() {
            return new Attempts(notTaken, throttled + 1);
        }
    }

    /**
     * Before each request: a run whose lease another run took (it was judged dead) sends nothing more, and when
     * another dispatcher of the run stopped it, this one stops too, for the same reason.
     */
    public Optional<String> stopBeforeSending(boolean leaseHeld, Optional<String> runStopped) {
        if (!leaseHeld) {
            return Optional.of("another run recovered this one as abandoned (no heartbeat for longer than "
                    + "bulkreg.lease.stale-after): stopping before the next request");
        }
        return runStopped;
    }

    /**
     * @param attempt 1 for the first sending of these devices, 2 for the first retry, ... (429s not counted)
     * @param streak  the breakers' counts before this answer
     */
    public Verdict decide(RegistrationOutcome outcome, int deviceCount, int attempt, Streak streak) {
        return decide(outcome, deviceCount, new Attempts(attempt - 1, 0), streak);
    }

    /**
     * @param before how often these devices were sent and not taken before this answer
     * @param streak the breakers' counts before this answer
     */
    public Verdict decide(RegistrationOutcome outcome, int deviceCount, Attempts before, Streak streak) {
        return decide(outcome, deviceCount, before, streak, false);
    }

    /**
     * @param before           how often these devices were sent and not taken before this answer
     * @param streak           the breakers' counts before this answer
     * @param resentAfterDoubt a one-device request whose device was in doubt and an operator resent
     *                         ({@code resolve-in-doubt --resend}): the platform may well hold it already
     */
    public Verdict decide(RegistrationOutcome outcome, int deviceCount, Attempts before, Streak streak,
            boolean resentAfterDoubt) {
        int attempt = before.notTaken() + 1;
        // Java 17: no pattern matching for switch yet, so an instanceof chain over the sealed outcome.
        if (outcome instanceof Registered r) {
            return new Verdict(new Decision.Store(r.credentials()), Streak.NONE);
        }
        if (outcome instanceof Unauthorized u) {
            return new Verdict(new Decision.FailRun("the platform refused the token (" + u.error().summary()
                    + "): check BULKREG_MCS_TOKEN / BULKREG_MCS_TOKEN_FILE and the token's rights on the product; "
                    + "nothing was skipped, the next run continues", u.error().httpStatus()), streak);
        }
        if (outcome instanceof NotTaken n && isThrottling(n)) {
            int throttled = before.throttled() + 1;
            return new Verdict(throttled >= properties.maxThrottledAttempts()
                    ? new Decision.FailRun("the platform throttled the request " + throttled + " times (" + n.reason()
                            + "); nothing was skipped, restart the run later or lower bulkreg.concurrency / set "
                            + "bulkreg.mcs.max-requests-per-second", THROTTLED)
                    : new Decision.Throttled(backoff(throttled, n.retryAfter()), n.reason()), streak);
        }
        if (outcome instanceof NotTaken n) {
            Integer status = n.error() == null ? null : n.error().httpStatus();
            return new Verdict(attempt >= properties.maxAttempts()
                    ? new Decision.FailRun("the platform did not take the request after " + attempt + " attempts ("
                            + n.reason() + "); nothing was skipped, restart the run when the platform is back", status)
                    : new Decision.Retry(backoff(attempt, n.retryAfter()), n.reason()), streak);
        }
        if (outcome instanceof Rejected r) {
            return rejected(r.error(), deviceCount, streak, resentAfterDoubt);
        }
        if (outcome instanceof InDoubt d) {
            // A rejection is an answer too, so only consecutive requests without any answer count.
            Streak next = new Streak(streak.rejected(), streak.inDoubt() + 1);
            Optional<String> stop = next.inDoubt() < properties.inDoubtCircuitBreaker() ? Optional.empty()
                    : Optional.of(next.inDoubt() + " requests in a row ended in doubt (last: " + d.reason() + "): the run "
                            + "stops instead of flagging more devices; check the platform, then restart");
            return new Verdict(new Decision.HoldInDoubt(d.reason(), d.httpStatus(), stop, d.answer()), next);
        }
        throw new IllegalArgumentException("no decision for the outcome " + outcome);
    }

    /** 429: the platform is there and answering, it only asks for fewer requests. */
    private static boolean isThrottling(NotTaken n) {
        return n.error() != null && n.error().httpStatus() == THROTTLED;
    }

    private Verdict rejected(McsError error, int deviceCount, Streak streak, boolean resentAfterDoubt) {
        if (NOT_ABOUT_THE_DEVICES.contains(error.httpStatus()) || isRedirect(error.httpStatus())) {
            // Splitting would reject every device of the lot for a wrong URL or an oversized request.
            return new Verdict(new Decision.FailRun("the platform answered " + error.summary() + ", which is not about "
                    + "the devices: check bulkreg.mcs.base-url (the job posts to /mcs/v2/devices; a redirect means another "
                    + "address, e.g. http instead of https) and, for 413, lower "
                    + "bulkreg.mcs.devices-per-request; nothing was skipped", error.httpStatus()), streak);
        }
        if (deviceCount > 1) {
            return new Verdict(new Decision.Split(error), new Streak(streak.rejected(), 0));
        }
        if (resentAfterDoubt && error.code() != null && properties.alreadyRegisteredCodes().contains(error.code())) {
            // Outside the rejection breaker's count (neither counted nor reset): resending a crash's devices in doubt
            // meets this answer once per device the platform holds, up to partitions x devices-per-request of them.
            return new Verdict(new Decision.HeldByPlatform(error), new Streak(streak.rejected(), 0));
        }
        Streak next = new Streak(streak.rejected() + 1, 0);
        Optional<String> stop = next.rejected() < properties.rejectionCircuitBreaker() ? Optional.empty()
                : Optional.of(next.rejected() + " devices in a row were refused by the platform (last: " + error.summary()
                        + "): the run stops, as this looks like a configuration problem (product id, registration "
                        + "criteria) rather than bad devices; the rest stays PENDING");
        return new Verdict(new Decision.Reject(error, stop), next);
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status < 400;
    }

    /**
     * The platform has issued these keys once: retry the commit, and if the database still refuses after
     * {@code bulkreg.faults.store-attempts}, rescue them to a file.
     *
     * @param attempt the store attempt that failed, from 1
     */
    public StoreFailure afterStoreFailure(RequestId request, int attempt, RuntimeException failure) {
        return attempt < properties.storeAttempts() ? new StoreFailure.RetryStore(STORE_RETRY_STEP.multipliedBy(attempt))
                : new StoreFailure.Rescue(request, failure.getMessage());
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
