package io.bulkreg.job;

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

    public StaleExecutions(JobRepository jobRepository, JobOperator jobOperator, JdbcClient jdbc, LeaseProperties properties) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    private record Lease(String host, long pid, Instant heartbeatAt) {
    }

    /** @return what was recovered, one line each, for the operator */
    public List<String> recover(String jobName) {
        List<String> recovered = new ArrayList<>();
        for (JobExecution execution : jobRepository.findRunningJobExecutions(jobName)) {
            Optional<String> why = whyAbandoned(execution);
            if (why.isEmpty()) {
                continue;
            }
            String leftAs = execution.getStatus().name();
            // Lease first: a crash between the two steps then leaves a lease-less STARTED execution, which the next
            // run recovers again; the other order could leave a FAILED one whose lease hides its in-flight rows.
            jdbc.sql("DELETE FROM job_lease WHERE job_execution_id = :id").param("id", execution.getId()).update();
            jobOperator.recover(execution);
            String line = "Recovered job execution " + execution.getId() + " left " + leftAs + " ("
                    + why.get() + "): marked FAILED; its devices in flight become IN_DOUBT, the rest is continued";
            log.warn(line);
            recovered.add(line);
        }
        return recovered;
    }

    private Optional<String> whyAbandoned(JobExecution execution) {
        Optional<Lease> lease = jdbc.sql("SELECT host, pid, heartbeat_at FROM job_lease WHERE job_execution_id = :id")
                .param("id", execution.getId())
                .query((rs, n) -> new Lease(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                .optional();
        Instant now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(java.sql.Timestamp.class).single().toInstant();
        if (lease.isEmpty()) {
            LocalDateTime created = execution.getCreateTime();
            Instant createdAt = created == null ? Instant.EPOCH : created.atZone(ZoneId.systemDefault()).toInstant();
            return Duration.between(createdAt, now).compareTo(properties.staleAfter()) > 0
                    ? Optional.of("no process has held it since " + created)
                    : Optional.empty();
        }
        Lease l = lease.get();
        if (l.host().equals(ExecutionLease.host()) && ProcessHandle.of(l.pid()).map(ProcessHandle::isAlive).orElse(false) == false) {
            return Optional.of("process " + l.pid() + " on " + l.host() + " is gone");
        }
        if (Duration.between(l.heartbeatAt(), now).compareTo(properties.staleAfter()) > 0) {
            return Optional.of("no heartbeat from process " + l.pid() + " on " + l.host() + " since " + l.heartbeatAt());
        }
        return Optional.empty();
    }
}
