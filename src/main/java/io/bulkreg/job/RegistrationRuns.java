package io.bulkreg.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** Starts and restarts the registration job, after recovering executions a dead process left running. */
@Component
public class RegistrationRuns {

    private final Job job;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final StaleExecutions staleExecutions;

    public RegistrationRuns(Job registerDevicesJob, JobOperator jobOperator, JobRepository jobRepository,
            StaleExecutions staleExecutions) {
        this.job = registerDevicesJob;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.staleExecutions = staleExecutions;
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
                .addLong(JobParameterNames.REQUESTED_AT, System.currentTimeMillis());
        if (inbox != null) {
            parameters.addString(JobParameterNames.INBOX, inbox.toAbsolutePath().normalize().toString());
        }
        if (lot != null) {
            parameters.addString(JobParameterNames.LOT, lot);
        }
        JobExecution execution = jobOperator.start(job, parameters.toJobParameters());
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
        JobExecution execution = jobOperator.start(job, previous.getJobParameters());
        return new RunResult(execution, recovered);
    }

    /** The newest execution that failed or was stopped, after recovering abandoned ones. */
    public Optional<Long> lastFailed() {
        staleExecutions.recover(RegistrationJobConfig.JOB_NAME);
        for (JobInstance instance : jobRepository.getJobInstances(RegistrationJobConfig.JOB_NAME, 0, 100)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)) {
                return Optional.of(last.getId());
            }
        }
        return Optional.empty();
    }
}
