package io.bulkreg.job;

import io.bulkreg.registration.ConcurrencyProperties;
import io.bulkreg.registration.PendingDevices;
import io.bulkreg.registration.RegistrationWriters;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.support.SimplePartitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The registration job, as wiring: import lot files, recover what a crashed run left in flight, register what is
 * pending. Every step can run again: the import is idempotent by content, the recovery only touches orphans, and
 * the registration claims PENDING rows afresh (process-indicator pattern), so a restart or the next night's run
 * continues where the last one stopped without sending a device twice, and several processes on one database share
 * the pending devices.
 */
@Configuration
public class RegistrationJobConfig {

    public static final String JOB_NAME = "registerDevices";

    /** Step execution context key: the inbox files not taken in this run and why, one a line. */
    public static final String WAITING_FILES = "bulkreg.waitingFiles";
    /** The step execution context's key for the lot files the import step refused whole (not lot files), and why. */
    public static final String REFUSED_FILES = "bulkreg.refusedFiles";
    /** The step execution context's key for the lot files the import step could not read, and why. */
    public static final String UNREADABLE_FILES = "bulkreg.unreadableFiles";
    /** The step execution context's key for the keys the recovery step stored from rescue files (an earlier run's). */
    public static final String STORED_FROM_RESCUE = "bulkreg.storedFromRescue";

    @Bean
    Job registerDevicesJob(JobRepository jobRepository, Step importLotFiles, Step recoverInFlight, Step registerPending,
            ExecutionLease lease, GracefulStop gracefulStop) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(lease)
                .listener(gracefulStop)
                .start(importLotFiles)
                .next(recoverInFlight)
                .next(registerPending)
                .build();
    }

    @Bean
    Step importLotFiles(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ImportLotFilesTasklet tasklet) {
        return everyRun("importLotFiles", tasklet, jobRepository, transactionManager);
    }

    @Bean
    Step recoverInFlight(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RecoverInFlightTasklet tasklet) {
        return everyRun("recoverInFlight", tasklet, jobRepository, transactionManager);
    }

    /** A tasklet step that a restart runs again too: new files may have arrived, a dead run may have left work. */
    private static Step everyRun(String name, Tasklet tasklet, JobRepository jobRepository,
            PlatformTransactionManager transactionManager) {
        return new StepBuilder(name, jobRepository)
                .tasklet(tasklet, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /**
     * {@link ConcurrencyProperties#partitions()} partitions, each a step execution of its own sending one request at a
     * time while each keeps its write-ahead transactions to itself; {@code bulkreg.concurrency} of them have a request at
     * the platform at once, the others store their answers meanwhile (SendPermits). The partitions
     * have no shares: each claims the next devices nobody holds, as the partitions of other processes on the same
     * database do. Each stops after its request in hand when the job is stopped (RegisterPendingTasklet); a failed one leaves the
     * others' work as it is, and a restart runs them all again (allowStartIfComplete).
     */
    @Bean
    Step registerPending(JobRepository jobRepository, Step registerShare, ConcurrencyProperties concurrency,
            TaskExecutor registrationThreads) {
        return new StepBuilder("registerPending", jobRepository)
                .partitioner("registerShare", new SimplePartitioner())
                .step(registerShare)
                .gridSize(concurrency.partitions())
                .taskExecutor(registrationThreads)
                .build();
    }

    /**
     * A partition's step, without a database transaction of its own around each call: every state change of a request
     * commits in a transaction of its own (DeviceRegistrations), so a step transaction would only hold a second
     * connection per partition through the platform's answer, idle. The job repository commits the step's progress
     * in its own transactions.
     */
    @Bean
    Step registerShare(JobRepository jobRepository, RegisterPendingTasklet registerPendingTasklet) {
        return new StepBuilder("registerShare", jobRepository)
                .tasklet(registerPendingTasklet, new ResourcelessTransactionManager())
                .allowStartIfComplete(true)
                .build();
    }

    /** One thread per partition. */
    @Bean
    ThreadPoolTaskExecutor registrationThreads(ConcurrencyProperties concurrency) {
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setCorePoolSize(concurrency.partitions());
        threads.setMaxPoolSize(concurrency.partitions());
        threads.setThreadNamePrefix("register-");
        threads.setDaemon(true);
        return threads;
    }

    /** A partition's loop: claim the next pending devices of the lot (or of all lots), send, until none is left. */
    @Bean
    @StepScope
    RegisterPendingTasklet registerPendingTasklet(RegistrationWriters writers, ExecutionLease lease, GracefulStop stop,
            @Value("#{jobParameters['" + JobParameterNames.LOT + "']}") String lot,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId) {
        return new RegisterPendingTasklet(writers.forPartition(jobExecutionId, lease.instanceId(), lease::isHeld, stop::stopping),
                PendingDevices.of(lot), writers.devicesPerRequest(), stop::stopping);
    }
}
