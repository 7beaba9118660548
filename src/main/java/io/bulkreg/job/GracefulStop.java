package io.bulkreg.job;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * SIGTERM (a Kubernetes pod being stopped, a cron job timed out) stops the run after the request in hand, instead
 * of mid-request: the step ends at its next chunk boundary, the execution is STOPPED and restartable, and no
 * device is left in flight. Spring's own shutdown hook is off (application.yml) so that the database stays open
 * until the job has stopped. A second signal, or the end of the grace period, ends the process anyway; the
 * next run then recovers it like a crash. The process then exits {@code STOPPED} (5), not 143: the hook halts with
 * the code the run ended with (ProcessExit).
 *
 * <p>`bulkreg stop EXECUTION_ID`, from any process or host, writes a stop_request row; this listener polls it at the
 * lease's heartbeat and stops the run the same way.
 */
@Component
public class GracefulStop implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final JobOperator jobOperator;
    /** After the run stopped, how long the hook waits for the command to print its summary and decide the code. */
    private static final Duration SUMMARY_WAIT = Duration.ofSeconds(15);

    private final LeaseProperties properties;
    private final StopRequests stopRequests;
    private volatile Thread hook;
    private volatile JobExecution current;
    private volatile CountDownLatch ended;
    private volatile ScheduledExecutorService poller;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public GracefulStop(JobOperator jobOperator, LeaseProperties properties, StopRequests stopRequests) {
        this.jobOperator = jobOperator;
        this.properties = properties;
        this.stopRequests = stopRequests;
    }

    /** Whether this process's run was asked to stop (SIGTERM or a stop request), so far. */
    boolean stopping() {
        return stopping.get();
    }

    @Override
    public void beforeJob(JobExecution execution) {
        CountDownLatch latch = new CountDownLatch(1);
        ended = latch;
        current = execution;
        stopping.set(false);
        hook = new Thread(() -> stop(execution, latch), "graceful-stop-" + execution.getId());
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stop-requests-" + execution.getId());
            t.setDaemon(true);
            return t;
        });
        poller = polling;
        long period = properties.heartbeat().toMillis();
        polling.scheduleWithFixedDelay(() -> pollStopRequest(execution), period, period, TimeUnit.MILLISECONDS);
    }

    private void pollStopRequest(JobExecution execution) {
        try {
            var by = stopRequests.requestedBy(execution.getId());
            if (by.isPresent() && stopping.compareAndSet(false, true)) {
                log.warn("Stop requested ({}): job execution {} stops after the requests in hand", by.get(), execution.getId());
                jobOperator.stop(execution);
            }
        } catch (Exception e) {
            log.warn("Could not read the stop requests of job execution {}: {}", execution.getId(), e.getMessage());
        }
    }

    /**
     * Ends what beforeJob started, if afterJob has not: called by {@link RegistrationRuns} once the job has returned
     * or thrown, because Batch skips afterJob when its own last update of the execution fails (the database gone).
     */
    void runEnded() {
        JobExecution execution = current;
        if (execution != null) {
            afterJob(execution);
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        current = null;
        CountDownLatch latch = ended;
        if (latch != null) {
            latch.countDown();
        }
        ScheduledExecutorService polling = poller;
        if (polling != null) {
            polling.shutdownNow();
            poller = null;
            try {
                stopRequests.clear(execution.getId());
            } catch (RuntimeException e) {
                log.warn("Could not clear the stop request of job execution {}: {}", execution.getId(), e.getMessage());
            }
            if (execution.getStatus() == BatchStatus.STOPPED) {
                log.warn("Job execution {} stopped; continue it with `restart {}`", execution.getId(), execution.getId());
            }
        }
        Thread registered = hook;
        hook = null;
        if (registered == null) {
            return;   // beforeJob never ran (an earlier listener failed), or afterJob already did: nothing to undo
        }
        try {
            Runtime.getRuntime().removeShutdownHook(registered);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it is waiting for exactly this moment.
        }
    }

    private void stop(JobExecution execution, CountDownLatch latch) {
        log.warn("Shutdown requested: job execution {} stops after the request in hand (at most {})", execution.getId(),
                properties.shutdownGrace());
        try {
            if (stopping.compareAndSet(false, true)) {
                jobOperator.stop(execution);
            }
            if (latch.await(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                // The JVM would end with 143 after this hook: end with the code the command decides instead. When the
                // context's close outlasts the wait (a Pushgateway that does not answer), the code the command decided
                // still ends the process: a stopped run exits 5, and Kubernetes does not retry it as a failure.
                Integer code = ProcessExit.awaitCode(SUMMARY_WAIT);
                if (code == null) {
                    code = ProcessExit.decidedCode();
                }
                if (code != null) {
                    Runtime.getRuntime().halt(code);
                }
            } else {
                log.error("Job execution {} did not stop within {}; the next run recovers it", execution.getId(),
                        properties.shutdownGrace());
            }
        } catch (Exception e) {
            log.error("Could not stop job execution {}: {}", execution.getId(), e.getMessage());
        }
    }
}
