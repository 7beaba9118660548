package io.bulkreg.registration;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.DeviceRequest;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.registration.FaultPolicy.Decision;
import io.bulkreg.registration.FaultPolicy.StoreFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch of devices to the platform and carries out the fault policy's decisions: write ahead (IN_FLIGHT),
 * send, then commit what the answer means before anything else is sent. It decides nothing itself.
 */
public class RequestDispatcher {

    /** How the dispatcher waits between attempts: the thread sleeps, a specification records. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;

        /**
         * Waits, cut short when {@code stop} says so (looked up now and then: a backoff may last minutes, a SIGTERM's
         * grace seconds).
         *
         * @return whether {@code stop} cut the wait short
         */
        default boolean sleepUnless(Duration duration, BooleanSupplier stop) throws InterruptedException {
            sleep(duration);
            return stop.getAsBoolean();
        }

        Pause THREAD_SLEEP = new Pause() {
            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }

            @Override
            public boolean sleepUnless(Duration duration, BooleanSupplier stop) throws InterruptedException {
                long end = System.nanoTime() + duration.toNanos();
                while (!stop.getAsBoolean()) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), LOOK_UP_EVERY.toMillis())));
                }
                return true;
            }
        };
    }

    /** How often a backoff looks up whether the run stopped meanwhile. */
    static final Duration LOOK_UP_EVERY = Duration.ofMillis(200);
    /**
     * A claimed request that waited longer than this for its place looks its lease up in the database before it
     * leaves: a heartbeat's view may be a beat old, and a process frozen meanwhile (a long GC, a
     * suspended machine) may have lost its lease to another worker without knowing it. Shorter waits, the common case
     * at full speed, cost no look-up: the claim's own commit checked the lease moments before.
     */
    static final Duration LEASE_LOOKED_UP_AFTER = Duration.ofSeconds(1);

    /**
     * The job execution this dispatcher sends for, the instance id its lease row carries (checked by every claim and
     * store), whether its heartbeat still finds the lease (an early stop between claims), the stop shared by all
     * dispatchers of the execution (one per partition), and whether the process was asked to stop (SIGTERM, `stop`):
     * a backoff then ends early and gives its devices back, so that the run stops within its grace period.
     */
    public record Execution(long id, String instanceId, BooleanSupplier leaseHeld, RunStop runStop,
            BooleanSupplier stopAsked) {
        /** An execution with one dispatcher. */
        public Execution(long id, String instanceId, BooleanSupplier leaseHeld) {
            this(id, instanceId, leaseHeld, new RunStop());
        }

        /** An execution whose process is not asked to stop from outside. */
        public Execution(long id, String instanceId, BooleanSupplier leaseHeld, RunStop runStop) {
            this(id, instanceId, leaseHeld, runStop, () -> false);
        }

        LeaseHolder holder() {
            return new LeaseHolder(id, instanceId);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Between attempts to put issued keys anywhere durable, when both the database and the rescue folders refuse. */
    private static final Duration KEEP_TRYING = Duration.ofSeconds(10);

    private final McsClient client;
    private final DeviceRegistrations registrations;
    private final FaultPolicy policy;
    private final CredentialRescue rescue;
    private final Execution execution;
    private final Pause pause;
    private final SendPermits permits;
    private final SendWaits waits;
    /* This dispatcher's breaker counts: the policy is stateless, each partition's dispatcher counts its own. */
    private FaultPolicy.Streak streak = FaultPolicy.Streak.NONE;
    private long stored;
    private long refused;
    private long inDoubt;
    /**
     * The next request, claimed in the commit that stored the last one's keys and not yet sent; null when none. It
     * takes its place at the platform when it leaves: while this dispatcher stored, another may have held them all.
     */
    private ClaimedRequest claimedAhead;
    /** Answered requests whose devices this dispatcher holds to send again (a split's halves, a backoff's resend). */
    private final List<RequestId> heldForResend = new ArrayList<>();
    /** A request claimed in a store's commit that reported a failure, not given back yet; null when none. */
    private RequestId claimNotGivenBack;

    /** Where the next request comes from when a store may claim it ahead, and whether it still should. */
    private record Ahead(PendingDevices pending, int max, BooleanSupplier wanted) {
    }

    /**
     * What this dispatcher settled since the last tally, for its step's counters: devices stored with their keys,
     * refused by the platform (rejected, or held by it), flagged in doubt. Devices held for a resend (throttled, not
     * taken, a request split) or given back (a stop) are not counted until a request settles them.
     */
    public record Tally(long stored, long refused, long inDoubt) {
        public long settled() {
            return stored + refused + inDoubt;
        }
    }

    /**
     * A dispatcher with the process's permits (places in flight and, when configured, the rate limit) that reports to
     * {@code waits} the time it holds requests back (the rate limit, a Retry-After, a backoff).
     */
    public RequestDispatcher(McsClient client, DeviceRegistrations registrations, FaultPolicy policy,
            CredentialRescue rescue, Execution execution, Pause pause, SendPermits permits, SendWaits waits) {
        this.permits = permits;
        this.waits = waits;
        this.client = client;
        this.registrations = registrations;
        this.policy = policy;
        this.rescue = rescue;
        this.execution = execution;
        this.pause = pause;
    }

    /**
     * Claims the next devices waiting (at most {@code max}, those no other worker holds) and sends them as one
     * request, retried or split as the policy says.
     *
     * @return false when nothing was left to claim
     */
    public boolean dispatchNext(PendingDevices pending, int max) {
        return dispatchNext(pending, max, () -> false);
    }

    /**
     * As {@link #dispatchNext(PendingDevices, int)}, and when the request's keys are stored while {@code claimAhead}
     * says more requests will follow, the next devices are claimed in the same commit (one commit a request where
     * there were two); the next call sends them. A caller that stops calling gives them back:
     * {@link #giveBackClaimedAhead}.
     */
    public boolean dispatchNext(PendingDevices pending, int max, BooleanSupplier claimAhead) {
        Ahead ahead = new Ahead(pending, max, claimAhead);
        try {
            boolean sent;
            if (claimedAhead != null) {
                ClaimedRequest next = claimedAhead;
                sent = send(id -> {
                    claimedAhead = null;
                    return new Claim.Request(next);
                }, ahead, true);
            } else {
                sent = send(id -> registrations.claimNext(pending, max, id, execution.holder(), client.platform()), ahead,
                        false);
            }
            giveBackHeld();
            return sent;
        } catch (RuntimeException e) {
            giveBackClaimedAhead("not sent: " + e.getMessage());
            giveBackHeld();
            throw e;
        } finally {
            heldForResend.clear();
        }
    }

    /**
     * Devices held for a resend and not sent again (a stop cut a split or a backoff short, a failure) wait PENDING
     * again; after a dispatch that resent them all this changes no row. A failure here is logged (a later recovery
     * gives them back: their request was answered, the platform took none of them).
     */
    private void giveBackHeld() {
        if (heldForResend.isEmpty()) {
            return;
        }
        try {
            registrations.releaseHeld(heldForResend);
        } catch (RuntimeException e) {
            log.error("Devices held to be sent again under requests {} could not be given back ({}): the next "
                    + "recovery does", heldForResend, e.getMessage());
        }
    }

    /** Whether a request claimed ahead waits to be sent by the next call. */
    public boolean hasClaimedAhead() {
        return claimedAhead != null;
    }

    /**
     * Gives back the devices claimed ahead and not sent (they wait PENDING again, the request is logged as not taken),
     * so that a stop or the end of a partition leaves none of them in flight: a later recovery would flag them in
     * doubt although they never left. A failure here is logged, not thrown: those devices are then recovered as any
     * claimed before its POST.
     */
    public void giveBackClaimedAhead(String reason) {
        giveBackUnreleasedClaim();
        ClaimedRequest request = claimedAhead;
        if (request == null) {
            return;
        }
        claimedAhead = null;
        try {
            registrations.release(request, RequestOutcome.NOT_TAKEN, null, reason);
        } catch (RuntimeException e) {
            log.error("Request {} ({} devices) was claimed and not sent, and could not be given back ({}): the next "
                    + "recovery flags its devices IN_DOUBT", request.id(), request.size(), e.getMessage());
        }
    }

    /** The tally since the last call, then counting afresh. A dispatcher serves one thread: no synchronisation. */
    public Tally takeTally() {
        Tally tally = new Tally(stored, refused, inDoubt);
        stored = 0;
        refused = 0;
        inDoubt = 0;
        return tally;
    }

    /** Sends these devices (those still PENDING when claimed) as one request, retried or split as the policy says. */
    public void dispatch(List<DeviceRow> devices) {
        try {
            send(claimOf(devices, null), null, false);
            giveBackHeld();
        } catch (RuntimeException e) {
            giveBackHeld();
            throw e;
        } finally {
            heldForResend.clear();
        }
    }

    /** Claims these devices for a new request: those PENDING, and those held under {@code previous} by this worker. */
    private Function<RequestId, Claim> claimOf(List<DeviceRow> devices, RequestId previous) {
        return id -> registrations.claim(devices, id, execution.holder(), client.platform(), previous);
    }

    /**
     * A claim made now takes its place at the platform first, so that it never waits for one claimed; a request claimed
     * ahead (in the commit that stored the last answer) takes its place once claimed, as it leaves.
     *
     * @param firstClaimedAhead whether {@code firstClaim} hands over the request claimed ahead
     * @return false when the first claim found nothing left to claim
     */
    private boolean send(Function<RequestId, Claim> firstClaim, Ahead ahead, boolean firstClaimedAhead) {
        Function<RequestId, Claim> claim = firstClaim;
        boolean claimedAlready = firstClaimedAhead;
        FaultPolicy.Attempts attempts = FaultPolicy.Attempts.FIRST;
        while (true) {
            SendPermits.Permit permit = claimedAlready ? null : awaitPermit();
            claimedAlready = false;
            FaultPolicy.Verdict verdict;
            ClaimedRequest request;
            /* Claimed and not posted yet: given back if anything fails before the POST leaves. */
            ClaimedRequest unsent = null;
            try {
                checkBeforeSending();
                if (execution.stopAsked().getAsBoolean()) {
                    // Asked to stop (SIGTERM, `stop`) while waiting for a place: nothing more leaves; devices held
                    // for this resend, or claimed ahead, are given back when the dispatch or the call ends.
                    unanswered(permit);
                    return true;
                }
                Claim claimed = claim.apply(RequestId.random());
                if (claimed instanceof Claim.LeaseLost) {
                    stop(policy.stopBeforeSending(false, Optional.empty()).orElseThrow());
                }
                if (!(claimed instanceof Claim.Request r)) {
                    unanswered(permit);
                    return !(claimed instanceof Claim.NothingLeft);
                }
                request = r.request();
                unsent = request;
                if (permit == null) {
                    long waitBegan = System.nanoTime();
                    Optional<SendPermits.Permit> place = placeFor(request);
                    if (place.isEmpty()) {
                        return true;
                    }
                    permit = place.get();
                    leaseLookedUpAfterALongWait(Duration.ofNanos(System.nanoTime() - waitBegan));
                }
                // The rate limit's turn right before the POST (a commit between them would bunch departures past the
                // limit); a stop or a lost lease noticed during the wait sends nothing and gives the devices back.
                awaitTurn();
                if (releasedIfStoppedWhileWaiting(request)) {
                    permit.unanswered();
                    return true;
                }
                unsent = null;
                RegistrationOutcome outcome = client.register(request.devices().stream().map(RequestDispatcher::toRequest).toList());
                ProtocolPoint.ANSWER_READ.reached();
                verdict = policy.decide(outcome, request.size(), attempts, streak, resentAfterDoubt(request, outcome));
            } catch (RuntimeException e) {
                unanswered(permit);
                giveBackUnsent(unsent, e);
                throw e;
            }
            giveBack(permit, verdict.decision());
            streak = verdict.streak();
            if (!carryOut(verdict.decision(), request, ahead)) {
                return true;
            }
            attempts = verdict.decision() instanceof Decision.Throttled ? attempts.afterThrottled() : attempts.afterRetry();
            claim = claimOf(request.devices(), request.id());
        }
    }

    /**
     * A request claimed and not posted when something failed or stopped the run (an interrupt while it waited, a lost
     * lease, a look-up that failed): its devices wait PENDING again instead of staying IN_FLIGHT, which the next
     * recovery would flag in doubt although they never left. The one place that gives back a request on its way out
     * by an exception; best effort.
     */
    private void giveBackUnsent(ClaimedRequest unsent, RuntimeException failure) {
        if (unsent == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();   // a pool refuses an interrupted thread its connection
        try {
            registrations.release(unsent, RequestOutcome.NOT_TAKEN, null, "not sent: " + failure.getMessage());
        } catch (RuntimeException releaseFailed) {
            log.error("Request {} ({} devices) was claimed and not sent, and could not be given back ({}): the next "
                    + "recovery flags its devices IN_DOUBT", unsent.id(), unsent.size(), releaseFailed.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void unanswered(SendPermits.Permit permit) {
        if (permit != null) {
            permit.unanswered();
        }
    }

    /**
     * A place at the platform for a request claimed already: waits, looking up now and then whether the run stopped
     * or lost its lease (the devices are then given back unsent and the run stops) or the process was asked to stop
     * (given back; empty). An interrupt gives them back too.
     */
    private Optional<SendPermits.Permit> placeFor(ClaimedRequest request) {
        if (permits.allTaken()) {
            ProtocolPoint.CLAIMED_AHEAD_WAITING.reached();
        }
        while (true) {
            Optional<SendPermits.Permit> permit = permits.tryAcquire();
            if (permit.isPresent()) {
                return permit;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RunAbortedException("interrupted while waiting for a place");
            }
            if (releasedIfStoppedWhileWaiting(request)) {
                return Optional.empty();
            }
        }
    }

    /** Only a device refused alone is looked up: the policy asks about no other. */
    private boolean resentAfterDoubt(ClaimedRequest request, RegistrationOutcome outcome) {
        return request.size() == 1 && outcome instanceof RegistrationOutcome.Rejected
                && registrations.resentAfterDoubt(request.single().id());
    }

    /** A place in flight (and a rate token): waits, looking up now and then whether the run has stopped meanwhile. */
    private SendPermits.Permit awaitPermit() {
        while (true) {
            Optional<SendPermits.Permit> permit = permits.tryAcquire();
            if (permit.isPresent()) {
                return permit.get();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RunAbortedException("interrupted while waiting to send");
            }
            checkBeforeSending();
        }
    }

    /**
     * The rate limit's turn, after the claim: the devices wait IN_FLIGHT for at most about concurrency / rate
     * seconds; a crash meanwhile leaves them in doubt within the same bound as a request on the wire. An interrupt
     * gives them back unsent ({@link #giveBackUnsent}).
     */
    private void awaitTurn() {
        try {
            Duration waited = permits.awaitTurn();
            if (!waited.isZero()) {
                waits.waited(SendWaits.Cause.RATE_LIMIT, waited);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted while waiting for its rate-limit turn");
        }
    }

    /**
     * After a long wait for a place ({@link #LEASE_LOOKED_UP_AFTER}), the lease is looked up in the database, before
     * the rate-limit turn (a look-up after it would bunch departures): when another worker has taken it over, the
     * devices are given back unsent ({@link #giveBackUnsent}; a recovery may have flagged them meanwhile, those stay
     * as it left them) and the run stops.
     */
    private void leaseLookedUpAfterALongWait(Duration waited) {
        if (waited.compareTo(LEASE_LOOKED_UP_AFTER) > 0 && !registrations.leaseStillHeld(execution.holder())) {
            stop(policy.stopBeforeSending(false, Optional.empty()).orElseThrow());
        }
    }

    private void checkBeforeSending() {
        stopBeforeSending().ifPresent(this::stop);
    }

    /** Why nothing more may be sent now (the lease is lost, another partition stopped the run), if so. */
    private Optional<String> stopBeforeSending() {
        return policy.stopBeforeSending(execution.leaseHeld().getAsBoolean(), execution.runStop().reason());
    }

    /**
     * Gives the claimed devices back, unsent, when the run stopped or lost its lease (the run stops) or the process
     * was asked to stop (SIGTERM, `stop`: the call returns) while the request waited for its rate-limit turn.
     *
     * @return whether the devices were given back because the process was asked to stop
     */
    private boolean releasedIfStoppedWhileWaiting(ClaimedRequest request) {
        stopBeforeSending().ifPresent(this::stop);   // the request is given back on the way out (giveBackUnsent)
        if (execution.stopAsked().getAsBoolean()) {
            registrations.release(request, RequestOutcome.NOT_TAKEN, null, "not sent: the run was asked to stop");
            return true;
        }
        return false;
    }

    /** The platform did not take the request: its devices stay with this dispatcher for the resend. */
    private void hold(ClaimedRequest request, RequestOutcome outcome, Integer httpStatus, String detail) {
        registrations.holdForResend(request, outcome, httpStatus, detail);
        heldForResend.add(request.id());
    }

    /** Tells the limit of requests in flight what the platform made of the request, before any pause or commit. */
    private static void giveBack(SendPermits.Permit permit, Decision decision) {
        if (decision instanceof Decision.Throttled) {
            permit.throttled();
        } else if (decision instanceof Decision.Store || decision instanceof Decision.Split
                || decision instanceof Decision.Reject || decision instanceof Decision.HeldByPlatform) {
            permit.answered();
        } else {
            permit.unanswered();
        }
    }

    /** @return whether the same devices are to be sent again */
    private boolean carryOut(Decision decision, ClaimedRequest request, Ahead ahead) {
        if (decision instanceof Decision.Throttled throttled) {
            hold(request, RequestOutcome.NOT_TAKEN, 429, throttled.reason());
            log.warn("Request {} ({} devices) throttled: {}; {} requests in flight at most now, next attempt in {} ms",
                    request.id(), request.size(), throttled.reason(), permits.limit(), throttled.delay().toMillis());
            return backOff(request, throttled.delay(), SendWaits.Cause.THROTTLED);
        } else if (decision instanceof Decision.Store store) {
            storeOrRescue(request, store.credentials(), ahead);
        } else if (decision instanceof Decision.Retry retry) {
            hold(request, RequestOutcome.NOT_TAKEN, null, retry.reason());
            log.warn("Request {} ({} devices) not taken: {}; next attempt in {} ms", request.id(), request.size(),
                    retry.reason(), retry.delay().toMillis());
            return backOff(request, retry.delay(), SendWaits.Cause.NOT_TAKEN);
        } else if (decision instanceof Decision.Split split) {
            registrations.refusedWhole(request, split.error());
            heldForResend.add(request.id());
            log.info("Request {} ({} devices) refused ({}): splitting it to find the culprits", request.id(),
                    request.size(), split.error().summary());
            int half = request.size() / 2;
            sendHalf(request, request.devices().subList(0, half));
            sendHalf(request, request.devices().subList(half, request.size()));
        } else if (decision instanceof Decision.Reject reject) {
            registrations.rejected(request, reject.error());
            refused += request.size();
            log.info("Device {} ({}) refused by the platform: {}", request.single().id(), describe(request.single()),
                    reject.error().summary());
            reject.stopRun().ifPresent(this::stop);
        } else if (decision instanceof Decision.HeldByPlatform held) {
            registrations.heldByPlatform(request, held.error());
            refused += request.size();
            log.warn("Device {} ({}) was in doubt and resent; the platform says it already holds it ({}): recorded as "
                    + "HELD_BY_PLATFORM, its key is not here", request.single().id(), describe(request.single()),
                    held.error().summary());
        } else if (decision instanceof Decision.HoldInDoubt doubt) {
            holdInDoubt(request, doubt);
            inDoubt += request.size();
            log.error("Request {} ({} devices) ended in doubt: {}. They are flagged IN_DOUBT and will not be resent.",
                    request.id(), request.size(), doubt.reason());
            doubt.stopRun().ifPresent(this::stop);
        } else if (decision instanceof Decision.FailRun fail) {
            registrations.release(request, RequestOutcome.NOT_TAKEN, fail.httpStatus(), fail.message());
            stop(fail.message());
        } else {
            throw new IllegalStateException("the dispatcher cannot carry out " + decision);
        }
        return false;
    }

    /**
     * Sends one half of a request refused whole, unless the process was asked to stop (SIGTERM, `stop`): the devices
     * still held under the refused request are then given back when the dispatch ends, as after any request in hand.
     * The platform took none of them, so the next run sends them afresh.
     */
    private void sendHalf(ClaimedRequest whole, List<DeviceRow> half) {
        if (execution.stopAsked().getAsBoolean()) {
            log.warn("Request {} ({} devices) refused whole: {} of them not sent again, as the run was asked to stop; "
                    + "they wait for the next run", whole.id(), whole.size(), half.size());
            return;
        }
        send(claimOf(half, whole.id()), null, false);
    }

    /**
     * Flags the request's devices in doubt and keeps its answer in the same commit. An answer that cannot be sealed is
     * kept as received in an owner-only rescue file; one the database refuses goes to a rescue file too (the next run
     * keeps it in the database). The answer may carry keys issued once: while neither the database nor a rescue
     * folder takes it, the dispatcher keeps trying instead of dropping it, as for credentials.
     */
    private void holdInDoubt(ClaimedRequest request, Decision.HoldInDoubt doubt) {
        KeptAnswer kept = null;
        if (doubt.answer() != null) {
            try {
                kept = registrations.sealAnswer(request, doubt.answer());
            } catch (RuntimeException e) {
                log.error("Sealing the answer of request {} failed ({}): keeping it in a rescue file as received",
                        request.id(), e.toString());
                // Not into the database unsealed: with a key configured, nothing issued is kept there in clear.
                keepUntilDurable(KeptAnswers.asReceived(request.id(), doubt.answer()), null);
            }
        }
        try {
            registrations.inDoubt(request, doubt.httpStatus(), doubt.reason(), kept);
        } catch (RuntimeException e) {
            if (kept != null) {
                KeptAnswer answer = kept;
                keepUntilDurable(answer, () -> registrations.inDoubt(request, doubt.httpStatus(), doubt.reason(), answer));
            }
            throw e;
        }
        if (kept != null) {
            log.warn("The answer of request {} (HTTP {}) is kept sealed: `bulkreg reconcile` stores the keys it "
                    + "carried that match devices of the request", request.id(), kept.httpStatus());
        }
    }

    /**
     * Keeps an answer in a rescue file or, when no folder takes it, tries {@code intoDatabase} (null: no other way),
     * again and again until one of them holds it. An interrupt does not end this; it is kept for afterwards.
     */
    private void keepUntilDurable(KeptAnswer answer, Runnable intoDatabase) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int round = 1; ; round++) {
                try {
                    Path file = rescue.saveAnswer(answer);
                    log.error("The answer of request {} is kept in {}; the next run moves it to the database for "
                            + "`reconcile`", answer.requestId(), file);
                    return;
                } catch (RuntimeException e) {
                    log.error("The answer of request {} (HTTP {}) can be kept neither in the database nor in a rescue "
                            + "file ({}); the run keeps trying (round {}) and must not be ended: free the rescue folder "
                            + "or bring the database back", answer.requestId(), answer.httpStatus(), e.getMessage(), round);
                }
                if (intoDatabase != null) {
                    try {
                        intoDatabase.run();
                        log.warn("The answer of request {} was kept in the database after it came back",
                                answer.requestId());
                        return;
                    } catch (RuntimeException stillRefused) {
                        // the next round tries the folders first again
                    }
                }
                try {
                    pause.sleep(KEEP_TRYING);
                } catch (InterruptedException e) {
                    interrupted = true;   // the answer comes first
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stores an answer's credentials as the policy says: retried, else rescued to a file before the run stops. The
     * platform issued these keys once, so nothing that fails here may drop them: a seal that fails rescues them as
     * issued, an interrupt rescues them at once, and while neither the database nor a rescue file takes them the
     * dispatcher keeps trying instead of ending.
     */
    private void storeOrRescue(ClaimedRequest request, List<Credential> issued, Ahead ahead) {
        List<StoredCredential> credentials;
        try {
            credentials = registrations.seal(request, issued);
        } catch (RuntimeException e) {
            log.error("Sealing the credentials of request {} failed ({}): rescuing them as issued", request.id(), e.toString());
            stop(rescued(request, registrations.asIssued(request, issued), e));
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Boolean> storedAhead = attempt == 1 ? storeAndClaimAhead(request, credentials, ahead)
                        : Optional.empty();
                boolean held = storedAhead.isPresent() ? storedAhead.get()
                        : registrations.store(request, credentials, execution.holder());
                stored(request, held);
                return;
            } catch (RunAbortedException leaseLost) {
                throw leaseLost;
            } catch (RuntimeException e) {
                Optional<Boolean> landed = storedAfterAll(request, e);
                if (landed.isPresent()) {
                    stored(request, landed.get());
                    return;
                }
                log.warn("Storing the credentials of request {} failed (attempt {}): {}", request.id(), attempt,
                        e.getMessage());
                StoreFailure next = policy.afterStoreFailure(request.id(), attempt, e);
                if (next instanceof StoreFailure.RetryStore retry) {
                    if (!pauseUnlessInterrupted(retry.delay())) {
                        stop(rescued(request, credentials, e));
                    }
                } else if (next instanceof StoreFailure.Rescue) {
                    stop(rescued(request, credentials, e));
                } else {
                    throw new IllegalStateException("the dispatcher cannot carry out " + next, e);
                }
            }
        }
    }

    /** Counts the request's keys as stored; the run stops when its lease was taken over meanwhile. */
    private void stored(ClaimedRequest request, boolean leaseHeld) {
        stored += request.size();
        giveBackUnreleasedClaim();
        if (!leaseHeld) {
            log.error("Request {} ({} devices): this run's lease was taken over while the request was in flight; its "
                    + "keys are stored all the same, and the run stops", request.id(), request.size());
            stop(policy.stopBeforeSending(false, Optional.empty()).orElseThrow());
        }
    }

    /**
     * Whether a store that reported a failure landed all the same (a connection lost in COMMIT): the request is then
     * on record as answered and stored, and storing again would find its rows no longer in flight. A look-up that
     * fails says no: the policy's retries and the rescue file follow, which lose nothing either way.
     *
     * @return empty if not stored, else whether the lease was still held when it was
     */
    private Optional<Boolean> storedAfterAll(ClaimedRequest request, RuntimeException failure) {
        try {
            Optional<Boolean> landed = registrations.storedAlready(request.id());
            if (landed.isPresent()) {
                log.warn("Storing the credentials of request {} reported a failure ({}), yet they are stored: the "
                        + "commit landed", request.id(), failure.getMessage());
            }
            return landed;
        } catch (RuntimeException lookUpFailed) {
            log.debug("Whether request {} was stored could not be looked up: {}", request.id(), lookUpFailed.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A claim made with a store whose commit failed, and that could not be given back then, is given back once a
     * store has gone through (the database answers again): its devices never left, they must not wait in flight.
     */
    private void giveBackUnreleasedClaim() {
        RequestId unreleased = claimNotGivenBack;
        if (unreleased == null) {
            return;
        }
        if (releaseClaimOfFailedCommit(unreleased)) {
            claimNotGivenBack = null;
        }
    }

    private boolean releaseClaimOfFailedCommit(RequestId next) {
        try {
            registrations.release(next, RequestOutcome.NOT_TAKEN, null, "not sent: the commit that claimed it failed");
            return true;
        } catch (RuntimeException releaseFailed) {
            log.error("Request {}, claimed with the credentials of another request in a commit that failed, could not "
                    + "be given back ({}): if that commit landed, the next recovery flags its devices IN_DOUBT", next,
                    releaseFailed.getMessage());
            return false;
        }
    }

    /**
     * Stores the credentials and claims the next request in the same commit, when more requests are to follow, no
     * stop is known and the platform takes requests at full speed (no 429 since: a throttled run claims nothing ahead
     * of its places). The request claimed waits for its place when it leaves; a dispatcher holds at most this one, so
     * a crash in doubt holds no more devices than the partitions' requests.
     *
     * @return whether the lease was still held, or empty when nothing was stored this way (the caller stores alone);
     *         a failure here is not one of the store's attempts, and gives back whatever the next claim took
     */
    private Optional<Boolean> storeAndClaimAhead(ClaimedRequest request, List<StoredCredential> credentials, Ahead ahead) {
        if (ahead == null || !ahead.wanted().getAsBoolean()
                || stopBeforeSending().isPresent()) {
            return Optional.empty();
        }
        if (!permits.atFullSpeed()) {
            return Optional.empty();
        }
        RequestId nextId = RequestId.random();
        DeviceRegistrations.StoredAndClaimed done;
        try {
            done = registrations.storeAndClaimNext(request, credentials, execution.holder(), ahead.pending(), ahead.max(),
                    nextId, client.platform());
        } catch (RuntimeException e) {
            log.warn("Storing the credentials of request {} with the next claim failed ({}): storing them alone",
                    request.id(), e.getMessage());
            // The commit may have landed all the same (a connection lost in COMMIT): nothing claimed may stay unsent.
            if (!releaseClaimOfFailedCommit(nextId)) {
                claimNotGivenBack = nextId;   // tried again once a store goes through
            }
            return Optional.empty();
        }
        done.next().ifPresent(next -> claimedAhead = next);
        return Optional.of(done.leaseHeld());
    }

    /**
     * Writes the rescue file (or, if no folder takes it, keeps trying the database and the folders) and says why the
     * run stops. Returns only once the keys are durable somewhere.
     */
    private String rescued(ClaimedRequest request, List<StoredCredential> credentials, RuntimeException cause) {
        FaultPolicy.StoreFailure.Rescue rescue = new FaultPolicy.StoreFailure.Rescue(request.id(), cause.getMessage());
        // An interrupt (SIGTERM's stop, a shutting-down pool) must not end this: it is kept for after the keys are safe.
        boolean interrupted = Thread.interrupted();
        ProtocolPoint.BEFORE_RESCUE_WRITE.reached();
        try {
            return rescueUntilDurable(request, credentials, rescue);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String rescueUntilDurable(ClaimedRequest request, List<StoredCredential> credentials,
            FaultPolicy.StoreFailure.Rescue rescue) {
        for (int round = 1; ; round++) {
            try {
                String reason = rescue.stopRun(this.rescue.save(request.id(), credentials));
                // Said here, not only as the run's exit description: a database that refused the keys rarely takes
                // the run's end either, and the operator must learn where they are.
                log.error("{}", reason);
                return reason;
            } catch (RuntimeException rescueFailed) {
                log.error("The credentials of request {} can be neither stored nor rescued ({}); the run keeps trying "
                        + "(round {}) and must not be ended: free the rescue folder or bring the database back",
                        request.id(), rescueFailed.getMessage(), round);
            }
            try {
                registrations.store(request, credentials, execution.holder());
                return "the credentials of request " + request.id() + " were stored after the database came back; the "
                        + "run stops, as the database failed under it";
            } catch (RuntimeException stillRefused) {
                try {
                    pause.sleep(KEEP_TRYING);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    Thread.interrupted();   // noted by rescued(); the keys come first
                }
            }
        }
    }

    /** @return false when the thread was interrupted (the flag is set again for whoever owns it) */
    private boolean pauseUnlessInterrupted(Duration duration) {
        try {
            pause.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops this dispatcher and, before their next request, the others of the run. */
    private void stop(String reason) {
        execution.runStop().stopWith(reason);
        throw new RunAbortedException(reason);
    }

    /**
     * Waits before sending the held devices again; the time it took (cut short by a stop, too) goes to the meters. A
     * stop of the run or a lost lease ends the wait, and the next attempt's check stops the run (the devices are given
     * back on the way out); a stop asked of the process (SIGTERM, `stop`) ends it too and gives the devices back here,
     * so that the partition stops as after any request.
     *
     * @return whether to send the devices again
     */
    private boolean backOff(ClaimedRequest request, Duration duration, SendWaits.Cause cause) {
        long start = System.nanoTime();
        boolean cutShort;
        try {
            cutShort = pause.sleepUnless(duration, () -> execution.stopAsked().getAsBoolean()
                    || stopBeforeSending().isPresent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted while waiting to retry");
        } finally {
            waits.waited(cause, Duration.ofNanos(System.nanoTime() - start));
        }
        if (cutShort && execution.stopAsked().getAsBoolean()) {
            registrations.releaseHeld(List.of(request.id()));
            heldForResend.remove(request.id());
            log.warn("Request {} ({} devices) not sent again: the run was asked to stop during its backoff; its devices "
                    + "wait for the next run", request.id(), request.size());
            return false;
        }
        return true;
    }

    private static DeviceRequest toRequest(DeviceRow d) {
        return new DeviceRequest(d.prodId(), d.name(), d.isTest(), d.description(), d.serial());
    }

    private static String describe(DeviceRow d) {
        return d.source() != null ? d.source() : "lot " + d.lotId();
    }
}
