package io.bulkreg.job;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * SIGTERM (a Kubernetes pod being stopped, a cron job timed out) stops the run after the request in hand, instead
 * of mid-request: the step ends at its next chunk boundary, the execution is STOPPED and restartable, and no
 * device is left in flight. Spring's own shutdown hook is off (application.yml) so that the database stays open
 * until the job has stopped. A second signal, or the end of the grace period, ends the process anyway; the
 * next run then recovers it like a crash.
 */
@Component
public class GracefulStop implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final JobOperator jobOperator;
    private final LeaseProperties properties;
    private volatile Thread hook;
    private volatile CountDownLatch ended;

    public GracefulStop(JobOperator jobOperator, LeaseProperties properties) {
        this.jobOperator = jobOperator;
        this.properties = properties;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        CountDownLatch latch = new CountDownLatch(1);
        ended = latch;
        hook = new Thread(() -> stop(execution, latch), "graceful-stop-" + execution.getId());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void afterJob(JobExecution execution) {
        CountDownLatch latch = ended;
        if (latch != null) {
            latch.countDown();
        }
        Thread registered = hook;
        if (registered == null) {
            return;   // beforeJob never ran (an earlier listener failed): nothing to undo, and nothing to hide
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
            jobOperator.stop(execution);
            if (latch.await(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Job execution {} stopped; continue it with `restart {}`", execution.getId(), execution.getId());
            } else {
                log.error("Job execution {} did not stop within {}; the next run recovers it", execution.getId(),
                        properties.shutdownGrace());
            }
        } catch (Exception e) {
            log.error("Could not stop job execution {}: {}", execution.getId(), e.getMessage());
        }
    }
}
