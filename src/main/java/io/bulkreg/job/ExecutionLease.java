package io.bulkreg.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Says, while a job execution runs, which process runs it and that it is alive (job_lease). A killed
 * process leaves its lease behind with a dead pid and an old heartbeat: that is how the next run knows the
 * execution is abandoned rather than running (see StaleExecutions). The row names its holder by the process's random
 * instance id ({@link WorkerInstance}); claims and stores check that id in SQL, so a run whose lease was taken over
 * (frozen past stale-after, then woken up) claims nothing more even before its heartbeat notices.
 */
@Component
public class ExecutionLease implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ExecutionLease.class);

    private final JdbcClient jdbc;
    private final LeaseProperties properties;
    private final WorkerInstance worker;
    private ScheduledExecutorService heartbeat;
    private long executionId;
    private volatile boolean held;

    /** False once another run recovered this execution as abandoned: nothing more may be sent. */
    public boolean isHeld() {
        return held;
    }

    public ExecutionLease(JdbcClient jdbc, LeaseProperties properties, WorkerInstance worker) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.worker = worker;
    }

    /** The id this process's lease rows carry: what claims and stores check. */
    public String instanceId() {
        return worker.id();
    }

    @Override
    public synchronized void beforeJob(JobExecution execution) {
        long id = execution.getId();
        // The database's clock, not this host's: leases of several hosts are compared by one clock.
        jdbc.sql("INSERT INTO job_lease (job_execution_id, host, pid, heartbeat_at, instance_id, pid_namespace) "
                + "VALUES (:id, :host, :pid, CURRENT_TIMESTAMP, :instance, :namespace)")
                .param("id", id)
                .param("host", host())
                .param("pid", ProcessHandle.current().pid())
                .param("instance", worker.id())
                .param("namespace", worker.pidNamespace())
                .update();
        held = true;
        executionId = id;
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-heartbeat-" + id);
            t.setDaemon(true);
            return t;
        });
        long period = properties.heartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(() -> beat(id), period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterJob(JobExecution execution) {
        runEnded();
    }

    /**
     * Stops the heartbeat and gives the lease up; nothing when none is held. Also called by {@link RegistrationRuns}
     * once the job has returned or thrown, because Batch skips afterJob when its own last update fails.
     */
    synchronized void runEnded() {
        if (heartbeat == null) {
            return;   // never taken, or already given up
        }
        heartbeat.shutdownNow();
        heartbeat = null;
        held = false;
        // Only our own row: a lease another run took over is not ours to delete.
        jdbc.sql("DELETE FROM job_lease WHERE job_execution_id = :id AND instance_id = :instance")
                .param("id", executionId)
                .param("instance", worker.id())
                .update();
    }

    private void beat(long id) {
        try {
            int renewed = jdbc.sql("UPDATE job_lease SET heartbeat_at = CURRENT_TIMESTAMP WHERE job_execution_id = :id "
                    + "AND instance_id = :instance")
                    .param("id", id)
                    .param("instance", worker.id())
                    .update();
            if (renewed == 0 && held) {
                held = false;
                log.error("The lease of job execution {} was taken: another run judged this one dead (no heartbeat for "
                        + "{}). It stops before its next request.", id, properties.staleAfter());
            }
        } catch (RuntimeException e) {
            // A missed beat only makes the lease look older; the run itself goes on.
            log.warn("Could not renew the lease of job execution {}: {}", id, e.getMessage());
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
