package io.bulkreg.job;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.registration.DeviceRegistrations;
import io.bulkreg.registration.PendingDevices;
import io.bulkreg.registration.RegistrationWriter;
import io.bulkreg.registration.RegistrationWriters;
import io.bulkreg.registration.RequestDispatcher;
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

    @Bean
    Step registerPending(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<DeviceRow> pendingDevices, ValidatingProcessor validatingProcessor,
            RegistrationWriter registrationWriter, McsProperties mcs) {
        return new StepBuilder("registerPending", jobRepository)
                .<DeviceRow, DeviceRow>chunk(mcs.effectiveDevicesPerRequest())
                .transactionManager(transactionManager)
                .reader(pendingDevices)
                .processor(validatingProcessor)
                .writer(registrationWriter)
                .build();
    }

    /**
     * PENDING rows in id order. No saved state: rows that were handled are no longer PENDING, so starting
     * from the top is always right, and paging by id is unaffected by the status changes behind it.
     */
    @Bean
    @StepScope
    JdbcPagingItemReader<DeviceRow> pendingDevices(DataSource dataSource, McsProperties mcs,
            @Value("#{jobParameters['" + JobParameterNames.LOT + "']}") String lot) throws Exception {
        PendingDevices pending = PendingDevices.of(lot);
        return new JdbcPagingItemReaderBuilder<DeviceRow>()
                .name("pendingDevices")
                .dataSource(dataSource)
                .selectClause("SELECT " + DeviceRow.COLUMNS)
                .fromClause(PendingDevices.FROM)
                .whereClause(pending.whereClause())
                .parameterValues(pending.parameters())
                .sortKeys(Map.of(PendingDevices.ORDER_BY, Order.ASCENDING))
                .pageSize(mcs.effectiveDevicesPerRequest())
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
        return writers.forExecution(new RequestDispatcher.Execution(jobExecutionId, lease::isHeld));
    }
}
