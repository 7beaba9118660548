package io.bulkreg.registration;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.BlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a dispatcher needs before it sends a request, one instance per process: a place among the requests in flight
 * at the platform, from the POST to its answer (an AIMD limit, Netflix's concurrency-limits: halved when the platform answers 429, one more after
 * answers taken while at least half the limit is in use, between 1 and {@code concurrency}) and, when
 * {@code bulkreg.mcs.max-requests-per-second} is set, a token of a Bucket4j bucket that holds the process under that
 * rate. Thread-safe.
 */
public final class SendPermits {

    /** A request's place in flight, given back with what the platform made of the request. */
    public interface Permit {
        /** The platform answered (stored, refused): the limit may grow. */
        void answered();

        /** The platform asked us to slow down (429): the limit shrinks. */
        void throttled();

        /** Nothing learnt about the platform's capacity (not sent, unreachable, in doubt). */
        void unanswered();
    }

    /**
     * The platform counts arrivals, we can only space departures: jitter between the two (the network, thread
     * scheduling) must not push a full-speed run over the limit, so requests leave 15% further apart than the limit
     * (at 5%, ThrottlingSpec counted 21 and 22 arrivals in one second at a limit of 20 on an idle machine).
     */
    static final double SPACING_MARGIN = 1.15;
    private static final double BACKOFF_RATIO = 0.5;
    private static final Duration LEAST_WAIT = Duration.ofSeconds(1);
    private static final long MIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final int concurrency;
    private final BlockingLimiter<Void> inFlight;
    private final SimpleLimiter<Void> limiter;
    private final Bucket rate;
    private final Duration wait;

    /**
     * @param concurrency          the most requests in flight, and the limit to start from
     * @param maxRequestsPerSecond the platform's limit, or null for none
     * @param slowAnswer           an answer slower than this counts as a sign of overload (the read timeout)
     */
    public SendPermits(int concurrency, Integer maxRequestsPerSecond, Duration slowAnswer) {
        this.concurrency = concurrency;
        this.limiter = SimpleLimiter.newBuilder()
                .named("mcs")
                .limit(AIMDLimit.newBuilder()
                        .initialLimit(concurrency)
                        .minLimit(1)
                        .maxLimit(concurrency)
                        .backoffRatio(BACKOFF_RATIO)
                        .timeout(slowAnswer.toNanos(), TimeUnit.NANOSECONDS)
                        .build())
                .build();
        // Waits a little at a time, so that a dispatcher waiting for a place still sees a stop or a lost lease.
        this.inFlight = BlockingLimiter.wrap(limiter, LEAST_WAIT);
        if (maxRequestsPerSecond == null) {
            this.rate = null;
            this.wait = Duration.ZERO;
        } else {
            // Capacity 1: no burst, each request waits for its own token, spaced 1/rate (+ margin) apart.
            Duration spacing = Duration.ofNanos((long) (TimeUnit.SECONDS.toNanos(1) * SPACING_MARGIN / maxRequestsPerSecond));
            this.rate = Bucket.builder().addLimit(limit -> limit.capacity(1).refillGreedy(1, spacing)).build();
            this.wait = spacing;
        }
    }

    /** No rate limit; {@code concurrency} in flight. */
    public static SendPermits of(int concurrency) {
        return new SendPermits(concurrency, null, Duration.ofSeconds(30));
    }

    /**
     * Waits about a second at most for a place in flight.
     *
     * @return the permit, or empty when none came in time (the caller checks whether to stop, then asks again)
     */
    public Optional<Permit> tryAcquire() {
        return inFlight.acquire(null).map(PlacePermit::new);
    }

    /** A place in flight if one is free now, without waiting. */
    public Optional<Permit> tryAcquireNow() {
        return limiter.acquire(null).map(PlacePermit::new);
    }

    /** Whether every place is taken at this instant (a request that wants one now waits). */
    public boolean allTaken() {
        return limiter.getInflight() >= limiter.getLimit();
    }

    /**
     * Whether the platform takes requests at full speed: the limit is at {@code concurrency}, not lowered by a 429
     * since. Requests are claimed ahead of a place only then, so that a throttled run does not hold devices claimed
     * for places it no longer has.
     */
    public boolean atFullSpeed() {
        return limiter.getLimit() >= concurrency;
    }

    /**
     * With a rate limit, waits for the next token: called right before the POST leaves, after the claim's commit, so
     * that the time a commit takes does not bunch requests up. Tokens are not reserved ahead (no blocking consume):
     * after a pause of the whole process (a GC, a busy machine) only one request goes at once, not all that waited.
     *
     * @return how long it waited (zero: a token was there)
     */
    public Duration awaitTurn() throws InterruptedException {
        if (rate == null || rate.tryConsume(1)) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        do {
            long nanos = rate.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            TimeUnit.NANOSECONDS.sleep(Math.max(MIN_POLL_NANOS, Math.min(nanos, wait.toNanos())));
        } while (!rate.tryConsume(1));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The current limit of requests in flight. */
    public int limit() {
        return limiter.getLimit();
    }

    private record PlacePermit(Limiter.Listener listener) implements Permit {
        @Override
        public void answered() {
            listener.onSuccess();
        }

        @Override
        public void throttled() {
            listener.onDropped();
        }

        @Override
        public void unanswered() {
            listener.onIgnore();
        }
    }
}
