package io.bulkreg.job;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.registration.ConcurrencyProperties;
import io.bulkreg.registration.DeviceRegistrations;
import io.bulkreg.registration.PendingDevices;
import io.bulkreg.registration.RegistrationWriter;
import io.bulkreg.registration.RegistrationWriters;
import io.bulkreg.registration.ValidatingProcessor;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The registration job, as wiring: import lot files, recover what a crashed run left in flight, register what is
 * pending. Every step can run again: the import is idempotent by content, the recovery only touches orphans, and
 * the registration reads PENDING rows afresh (process-indicator pattern), so a restart or the next night's run
 * continues where the last one stopped without sending a device twice.
 */
@Configuration
public class RegistrationJobConfig {

    public static final String JOB_NAME = "registerDevices";

    /** Step execution context key: the inbox files not taken in this run and why, one a line. */
    public static final String WAITING_FILES = "bulkreg.waitingFiles";

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
     * {@code bulkreg.concurrency} partitions, each a step execution of its own sending one request at a time, so that
     * as many requests are in flight at once while each keeps its write-ahead transactions to itself. Spring Batch
     * stops each at its next chunk (one request) when the job is stopped; a failed one leaves the others' work as it
     * is, and a restart runs them all again (allowStartIfComplete): each reads what is PENDING in its share.
     */
    @Bean
    Step registerPending(JobRepository jobRepository, Step registerShare, ConcurrencyProperties concurrency,
            TaskExecutor registrationThreads) {
        return new StepBuilder("registerPending", jobRepository)
                .partitioner("registerShare", new ModuloPartitioner())
                .step(registerShare)
                .gridSize(concurrency.concurrency())
                .taskExecutor(registrationThreads)
                .build();
    }

    @Bean
    Step registerShare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<DeviceRow> pendingDevices, ValidatingProcessor validatingProcessor,
            RegistrationWriter registrationWriter, McsProperties mcs) {
        return new StepBuilder("registerShare", jobRepository)
                .<DeviceRow, DeviceRow>chunk(mcs.effectiveDevicesPerRequest())
                .transactionManager(transactionManager)
                .reader(pendingDevices)
                .processor(validatingProcessor)
                .writer(registrationWriter)
                .allowStartIfComplete(true)
                .build();
    }

    /** One thread per partition. */
    @Bean
    ThreadPoolTaskExecutor registrationThreads(ConcurrencyProperties concurrency) {
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setCorePoolSize(concurrency.concurrency());
        threads.setMaxPoolSize(concurrency.concurrency());
        threads.setThreadNamePrefix("register-");
        threads.setDaemon(true);
        return threads;
    }

    /**
     * PENDING rows of this partition's share, in id order. No saved state: rows that were handled are no longer
     * PENDING, so starting from the top is always right, and paging by id is unaffected by the status changes behind
     * it.
     */
    @Bean
    @StepScope
    JdbcPagingItemReader<DeviceRow> pendingDevices(DataSource dataSource, McsProperties mcs,
            @Value("#{jobParameters['" + JobParameterNames.LOT + "']}") String lot,
            @Value("#{stepExecutionContext['" + ModuloPartitioner.INDEX + "']}") Integer shareIndex,
            @Value("#{stepExecutionContext['" + ModuloPartitioner.COUNT + "']}") Integer shareCount) throws Exception {
        PendingDevices pending = PendingDevices.of(lot).share(shareIndex, shareCount);
        return new JdbcPagingItemReaderBuilder<DeviceRow>()
                .name("pendingDevices")
                .dataSource(dataSource)
                .selectClause("SELECT " + DeviceRow.COLUMNS)
                .fromClause(PendingDevices.FROM)
                .whereClause(pending.whereClause())
                .parameterValues(pending.parameters())
                .sortKeys(Map.of(PendingDevices.ORDER_BY, Order.ASCENDING))
                .pageSize(mcs.effectiveDevicesPerRequest())
                // One round trip per page, not the driver's default (PostgreSQL: every row of the result at once).
                .fetchSize(mcs.effectiveDevicesPerRequest())
                .saveState(false)
                .rowMapper(DeviceRow::fromRow)
                .build();
    }

    @Bean
    @StepScope
    ValidatingProcessor validatingProcessor(DeviceRegistrations registrations,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId) {
        return new ValidatingProcessor(registrations, jobExecutionId);
    }

    @Bean
    @StepScope
    RegistrationWriter registrationWriter(RegistrationWriters writers, ExecutionLease lease,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId) {
        return writers.forPartition(jobExecutionId, lease::isHeld);
    }
}
