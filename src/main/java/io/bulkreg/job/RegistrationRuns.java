package io.bulkreg.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Starts and restarts the registration job, after recovering executions a dead process left running. */
@Component
public class RegistrationRuns {

    private static final Logger log = LoggerFactory.getLogger(RegistrationRuns.class);

    private final Job job;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final StaleExecutions staleExecutions;
    private final JdbcClient jdbc;
    private final WorkerInstance worker;
    private final ExecutionLease lease;
    private final GracefulStop gracefulStop;

    public RegistrationRuns(Job registerDevicesJob, JobOperator jobOperator, JobRepository jobRepository,
            StaleExecutions staleExecutions, JdbcClient jdbc, WorkerInstance worker, ExecutionLease lease,
            GracefulStop gracefulStop) {
        this.worker = worker;
        this.lease = lease;
        this.gracefulStop = gracefulStop;
        this.job = registerDevicesJob;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.staleExecutions = staleExecutions;
        this.jdbc = jdbc;
    }

    /** What `restart` would continue, said in one sentence when it cannot. */
    public sealed interface RestartTarget {
        record Restartable(JobExecution execution) implements RestartTarget {
        }

        record NotRestartable(String why) implements RestartTarget {
        }
    }

    /** Whether this execution can be continued, and if not, why, in one plain sentence. */
    public RestartTarget restartTarget(long executionId) {
        staleExecutions.recover(RegistrationJobConfig.JOB_NAME);
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(executionId);
        } catch (EmptyResultDataAccessException unknown) {
            execution = null;   // Batch 6's JDBC repository throws rather than return null
        }
        if (execution == null) {
            return new RestartTarget.NotRestartable("There is no job execution " + executionId + " (see status).");
        }
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        if (last != null && last.getId() != executionId) {
            return last.getStatus() == BatchStatus.COMPLETED
                    ? new RestartTarget.NotRestartable("Job execution " + executionId + " was continued by execution "
                            + last.getId() + ", which completed: there is nothing to continue.")
                    : restartable(last, "Job execution " + executionId + " was continued by execution " + last.getId());
        }
        return restartable(execution, null);
    }

    private RestartTarget restartable(JobExecution execution, String via) {
        String prefix = via == null ? "Job execution " + execution.getId() : via;
        return switch (execution.getStatus()) {
            case COMPLETED -> new RestartTarget.NotRestartable(prefix + " completed"
                    + (execution.getEndTime() == null ? "" : " at " + execution.getEndTime().withNano(0)).replace('T', ' ')
                    + ": there is nothing to continue.");
            case STARTING, STARTED, STOPPING -> new RestartTarget.NotRestartable(prefix + " is still running (`status`; "
                    + "`stop " + execution.getId() + "` ends it).");
            case ABANDONED -> new RestartTarget.NotRestartable(prefix + " was abandoned: it cannot be continued; the next "
                    + "`register` sends its pending devices.");
            default -> new RestartTarget.Restartable(execution);
        };
    }

    /**
     * @param files lot files to import first (a few, named on the command line)
     * @param inbox a folder whose *.csv files are imported first, or null
     */
    public RunResult register(List<Path> files, Path inbox, String lot) throws Exception {
        String fileList = LotFileList.encode(files);
        List<String> recovered = staleExecutions.recover(RegistrationJobConfig.JOB_NAME);
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(JobParameterNames.FILES, fileList)
                .addLong(JobParameterNames.REQUESTED_AT, System.currentTimeMillis())
                .addString(JobParameterNames.WORKER, worker.id());
        if (inbox != null) {
            parameters.addString(JobParameterNames.INBOX, inbox.toAbsolutePath().normalize().toString());
        }
        if (lot != null) {
            parameters.addString(JobParameterNames.LOT, lot);
        }
        JobExecution execution = run(parameters.toJobParameters());
        return new RunResult(execution, recovered);
    }

    public RunResult restart(long executionId) throws Exception {
        List<String> recovered = staleExecutions.recover(RegistrationJobConfig.JOB_NAME);
        JobExecution previous = jobRepository.getJobExecution(executionId);
        if (previous == null) {
            throw new IllegalArgumentException("no job execution " + executionId);
        }
        // Starting the job again with the instance's own parameters is a restart of that instance (Batch's
        // launcher semantics); JobOperator.restart(execution) would need a JobRegistry holding the job.
        JobExecution execution = run(previous.getJobParameters());
        return new RunResult(execution, recovered);
    }

    /**
     * Runs the job to its end. Batch calls the listeners' afterJob only after its own last update of the execution,
     * and skips them when that update fails (the database gone; start then throws): the lease's heartbeat and the
     * stop's shutdown hook would outlive the run, and at the process's exit the hook would try to stop the ended run.
     */
    private JobExecution run(JobParameters parameters) throws Exception {
        try {
            return jobOperator.start(job, parameters);
        } finally {
            gracefulStop.runEnded();
            try {
                lease.runEnded();
            } catch (RuntimeException e) {
                log.warn("Could not give up the lease of this run: {}", e.getMessage());
            }
        }
    }

    /** The newest execution that failed or was stopped, after recovering abandoned ones. */
    public Optional<Long> lastFailed() {
        staleExecutions.recover(RegistrationJobConfig.JOB_NAME);
        for (JobInstance instance : jobRepository.getJobInstances(RegistrationJobConfig.JOB_NAME, 0, 100)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)
                    && !nothingLeft(last)) {
                return Optional.of(last.getId());
            }
        }
        return Optional.empty();
    }

    /**
     * A failed execution whose lot (or, without a lot, whose database) has nothing left to send, and whose files were
     * imported: a later run finished its work, and continuing it would only repeat an empty run.
     */
    private boolean nothingLeft(JobExecution execution) {
        String lot = execution.getJobParameters().getString(JobParameterNames.LOT);
        long left = jdbc.sql("SELECT COUNT(*) FROM device_registration WHERE status IN ('PENDING', 'IN_FLIGHT')"
                        + (lot == null ? "" : " AND lot_id = :lot"))
                .paramSource(lot == null ? Map.of() : Map.of("lot", lot))
                .query(Long.class).single();
        if (left > 0) {
            return false;
        }
        if (LotFileList.decode(execution.getJobParameters().getString(JobParameterNames.FILES)).isEmpty()) {
            return true;
        }
        return ImportLotFilesTasklet.instanceImported(jdbc, execution.getJobInstance().getInstanceId(), -1);
    }
}
