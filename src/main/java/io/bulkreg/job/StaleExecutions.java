package io.bulkreg.job;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds job executions still marked running whose process is gone (killed, OOM, node lost) and marks them
 * FAILED, so that they can be restarted and do not block the next nightly run forever.
 */
@Component
public class StaleExecutions {

    private static final Logger log = LoggerFactory.getLogger(StaleExecutions.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final JdbcClient jdbc;
    private final LeaseProperties properties;
    private final WorkerInstance worker;
    private final LeaseTakeover takeover;

    public StaleExecutions(JobRepository jobRepository, JobOperator jobOperator, JdbcClient jdbc, LeaseProperties properties,
            WorkerInstance worker, LeaseTakeover takeover) {
        this.takeover = takeover;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.jdbc = jdbc;
        this.properties = properties;
        this.worker = worker;
    }

    private record Lease(String host, long pid, Instant heartbeatAt, String instanceId, String pidNamespace) {
    }

    /**
     * Why an execution is judged abandoned; {@code staleBefore}, when the heartbeat judged it, is the beat the lease
     * must still be older than to be taken over.
     */
    private record Abandoned(String why, boolean hasLease, Timestamp staleBefore) {
    }

    /** @return what was recovered, one line each, for the operator */
    public List<String> recover(String jobName) {
        List<String> recovered = new ArrayList<>();
        for (JobExecution execution : jobRepository.findRunningJobExecutions(jobName)) {
            recoverIfAbandoned(execution).ifPresent(recovered::add);
        }
        return recovered;
    }

    /** @return the operator's line when this call recovered {@code execution} (read before, maybe by another worker) */
    Optional<String> recoverIfAbandoned(JobExecution execution) {
        Optional<Abandoned> abandoned = whyAbandoned(execution);
        if (abandoned.isEmpty()) {
            return Optional.empty();
        }
        String leftAs = execution.getStatus().name();
        // Lease first: a crash between the two steps then leaves a lease-less STARTED execution, which the next
        // run recovers again; the other order could leave a FAILED one whose lease hides its in-flight rows.
        // Conditional: a holder that beat its heartbeat meanwhile, or another worker recovering it at the same
        // time, leaves nothing to take here.
        if (abandoned.get().hasLease()) {
            LeaseTakeover.Result taken = takeover.take(execution.getId(), abandoned.get().staleBefore());
            if (taken == LeaseTakeover.Result.LOCKED_BY_HOLDER) {
                log.warn("Job execution {} looks abandoned ({}), but an open transaction of its holder still locks "
                        + "its lease: not recovered this time (a later run will; a session left open by a lost "
                        + "node ends with PostgreSQL's idle_in_transaction_session_timeout or TCP keepalive)",
                        execution.getId(), abandoned.get().why());
            }
            if (taken != LeaseTakeover.Result.TAKEN) {
                return Optional.empty();
            }
        }
        try {
            jobOperator.recover(execution);
        } catch (OptimisticLockingFailureException raced) {
            // A lease-less execution has no lease to take first: two workers starting at once may both judge it
            // abandoned, and Spring Batch's version checks (a commit per step execution, then the job's) let only one
            // of them mark it. The other leaves it to that one, whether it has finished or not: not recovering is the
            // safe side, and the next run finds it again if the other worker died meanwhile.
            log.info("Job execution {} is being recovered by another worker ({}): left to it", execution.getId(),
                    raced.getMessage());
            return Optional.empty();
        }
        String line = "Recovered job execution " + execution.getId() + " left " + leftAs + " ("
                + abandoned.get().why() + "): marked FAILED; its devices in flight become IN_DOUBT, the rest is continued";
        log.warn(line);
        return Optional.of(line);
    }

    private Optional<Abandoned> whyAbandoned(JobExecution execution) {
        Optional<Lease> lease = jdbc.sql("SELECT host, pid, heartbeat_at, instance_id, pid_namespace FROM job_lease "
                        + "WHERE job_execution_id = :id")
                .param("id", execution.getId())
                .query((rs, n) -> new Lease(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getString(5)))
                .optional();
        Instant now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(Timestamp.class).single().toInstant();
        if (lease.isEmpty()) {
            LocalDateTime created = execution.getCreateTime();
            Instant createdAt = created == null ? Instant.EPOCH : created.atZone(ZoneId.systemDefault()).toInstant();
            return Duration.between(createdAt, now).compareTo(properties.staleAfter()) > 0
                    ? Optional.of(new Abandoned("no process has held it since " + created, false, null))
                    : Optional.empty();
        }
        Lease l = lease.get();
        String holder = "process " + l.pid() + " on " + l.host()
                + (l.instanceId() == null ? "" : " (instance " + l.instanceId() + ")");
        // A pid means something here only in the same pid namespace of the same boot: two containers sharing a host
        // name each have their own pid 7. Elsewhere only the heartbeat can tell.
        boolean pidVisibleHere = l.host().equals(ExecutionLease.host()) && worker.pidNamespace() != null
                && worker.pidNamespace().equals(l.pidNamespace());
        if (pidVisibleHere && !ProcessHandle.of(l.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.of(new Abandoned(holder + " is gone", true, null));
        }
        if (Duration.between(l.heartbeatAt(), now).compareTo(properties.staleAfter()) > 0) {
            return Optional.of(new Abandoned("no heartbeat from " + holder + " since " + l.heartbeatAt(), true,
                    Timestamp.from(now.minus(properties.staleAfter()))));
        }
        return Optional.empty();
    }
}
