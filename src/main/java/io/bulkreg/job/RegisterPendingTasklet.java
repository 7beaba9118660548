package io.bulkreg.job;

import io.bulkreg.registration.PendingDevices;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import io.bulkreg.registration.RequestDispatcher;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * One partition of the registration step: each call claims the next devices waiting that no other worker holds and
 * sends them as one request, again and again for up to {@link #PROGRESS_EVERY}, until nothing is left to claim. No
 * reader of its own: a reader paging PENDING rows would offer every worker on the database the same rows; the claim
 * itself (FOR UPDATE SKIP LOCKED) is what shares them. Each request's state changes commit in transactions of their
 * own (DeviceRegistrations), whatever becomes of the step's.
 *
 * <p>Spring Batch writes the step's progress to its repository after each call, a commit of its own, and learns there
 * that the job is stopping: once per request, that was a third of the commits a request cost. A call now sends
 * requests for up to {@link #PROGRESS_EVERY} and returns at once when the run is asked to stop (SIGTERM, `stop`), so
 * that Spring Batch stops the step after the request in hand as before. Its counters: read, the devices a request
 * settled; write, those stored with their keys; write skips, those refused by the platform or flagged in doubt (the
 * job's own skip table says which and why). Devices rejected by the rules before any request are not counted here.
 *
 * <p>While more requests are to follow in this call, each store claims the next request in its own commit (see
 * {@link RequestDispatcher#dispatchNext(PendingDevices, int, BooleanSupplier)}): one commit a request where there were
 * two. A request claimed ahead is sent before the call ends, even past {@link #PROGRESS_EVERY}, so that none is held
 * between calls (Spring Batch may learn of a stop there and not call again); one held when the run is asked to stop,
 * or when the call fails, is given back, its devices PENDING again.
 */
class RegisterPendingTasklet implements Tasklet {

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    /** Between calls that find the run asked to stop and the step not stopped yet. */
    static final Duration STOPPING_CALLS_APART = Duration.ofMillis(50);

    private final RequestDispatcher dispatcher;
    private final PendingDevices pending;
    private final int devicesPerRequest;
    private final BooleanSupplier stopping;

    /** @param stopping whether the run was asked to stop (the step then stops at the end of this call) */
    RegisterPendingTasklet(RequestDispatcher dispatcher, PendingDevices pending, int devicesPerRequest,
            BooleanSupplier stopping) {
        this.dispatcher = dispatcher;
        this.pending = pending;
        this.devicesPerRequest = devicesPerRequest;
        this.stopping = stopping;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        long until = System.nanoTime() + PROGRESS_EVERY.toNanos();
        try {
            if (stopAsked(contribution)) {
                // Nothing more is sent once a stop is asked; Spring Batch stops the step when it writes the progress
                // and finds the job stopping. The short wait bounds the calls while that write is still to come.
                pauseBeforeStopping();
                return RepeatStatus.CONTINUABLE;
            }
            do {
                if (!dispatcher.dispatchNext(pending, devicesPerRequest,
                        () -> System.nanoTime() < until && !stopAsked(contribution))) {
                    return RepeatStatus.FINISHED;
                }
            } while ((dispatcher.hasClaimedAhead() || System.nanoTime() < until) && !stopAsked(contribution));
            return RepeatStatus.CONTINUABLE;
        } finally {
            // Held here only when the run is stopping or the call failed: nothing may stay IN_FLIGHT unsent.
            dispatcher.giveBackClaimedAhead("not sent: the run stopped before its turn");
            count(dispatcher.takeTally(), contribution);
        }
    }

    private static void pauseBeforeStopping() {
        try {
            Thread.sleep(STOPPING_CALLS_APART.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This process's stop flag, or a stop Spring Batch already knows of (set on the step or job in memory). */
    private boolean stopAsked(StepContribution contribution) {
        var step = contribution.getStepExecution();
        return stopping.getAsBoolean() || step.isTerminateOnly() || step.getJobExecution().isStopping();
    }

    /** The step's counters: read, the devices settled; write, those stored with their keys; write skips, the rest. */
    private static void count(RequestDispatcher.Tally tally, StepContribution contribution) {
        for (long i = 0; i < tally.settled(); i++) {
            contribution.incrementReadCount();
        }
        contribution.incrementWriteCount(tally.stored());
        contribution.incrementWriteSkipCount(tally.refused() + tally.inDoubt());
    }
}
