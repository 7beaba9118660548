package io.bulkreg.job;

import io.bulkreg.lot.ImportResult;
import io.bulkreg.lot.LotImporter;
import io.bulkreg.lot.LotInbox;
import io.bulkreg.lot.LotProperties;
import io.bulkreg.lot.RefusedLotFiles;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.registration.CredentialRescue;
import io.bulkreg.registration.DeviceRegistrations;
import io.bulkreg.registration.DeviceRow;
import io.bulkreg.registration.DeviceStatus;
import io.bulkreg.registration.FaultPolicy;
import io.bulkreg.registration.FaultProperties;
import io.bulkreg.registration.InDoubtResolution;
import io.bulkreg.registration.InFlightRecovery;
import io.bulkreg.registration.RegistrationWriter;
import io.bulkreg.registration.RequestDispatcher;
import io.bulkreg.registration.RunCounters;
import io.bulkreg.registration.ValidatingProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The registration job: import lot files, recover what a crashed run left in flight, register what is
 * pending. Every step can run again: the import is idempotent by content, the recovery only touches
 * orphans, and the registration reads PENDING rows afresh (process-indicator pattern), so a restart or
 * the next night's run continues where the last one stopped without sending a device twice.
 */
@Configuration
public class RegistrationJobConfig {

    public static final String JOB_NAME = "registerDevices";

    /** Step execution context key: the inbox files not taken in this run and why, one a line. */
    public static final String WAITING_FILES = "bulkreg.waitingFiles";

    private static final Logger log = LoggerFactory.getLogger(RegistrationJobConfig.class);

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
    Step importLotFiles(JobRepository jobRepository, PlatformTransactionManager transactionManager, LotImporter importer,
            RefusedLotFiles refusedFiles, LotProperties lots) {
        return new StepBuilder("importLotFiles", jobRepository)
                .tasklet((contribution, context) -> {
                    var stepExecution = contribution.getStepExecution();
                    var parameters = stepExecution.getJobParameters();
                    List<Path> files = new ArrayList<>();
                    for (String file : parameters.getString(JobParameterNames.FILES, "").split(JobParameterNames.FILE_SEPARATOR)) {
                        if (!file.isBlank()) {
                            files.add(Path.of(file));
                        }
                    }
                    List<String> waiting = new ArrayList<>();
                    String inbox = parameters.getString(JobParameterNames.INBOX);
                    LotInbox.Listing listing = null;
                    if (inbox != null) {
                        refusedFiles.forgetGone(Path.of(inbox));
                        listing = LotInbox.take(Path.of(inbox), lots);
                        waiting.addAll(listing.waiting());
                        files.addAll(listing.complete());
                    }
                    for (Path file : files) {
                        boolean fromInbox = listing != null && listing.complete().contains(file);
                        Optional<String> changed = fromInbox ? listing.changedSinceListed(file) : Optional.empty();
                        if (changed.isPresent()) {
                            waiting.add(changed.get());
                            continue;
                        }
                        ImportResult result = importer.importFile(file, stepExecution.getJobExecutionId());
                        contribution.incrementReadCount();
                        switch (result.outcome()) {
                            case IMPORTED -> contribution.incrementWriteCount(result.devicesImported());
                            case NOT_TAKEN_YET -> waiting.add(result.toString());
                            default -> { }
                        }
                        if (fromInbox && (result.outcome() == ImportResult.Outcome.IMPORTED
                                || result.outcome() == ImportResult.Outcome.ALREADY_IMPORTED)) {
                            imported(file, listing, lots.archive());
                        }
                    }
                    waiting.forEach(log::info);
                    stepExecution.getExecutionContext().putString(WAITING_FILES, String.join("\n", waiting));
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /**
     * After its import committed: its marker goes (a rewrite of the file must announce itself anew), or the file
     * and its marker go to the archive. A file that changed since it was listed stays, for the next run; a file
     * that cannot be moved is still imported, and the next run moves it.
     */
    private static void imported(Path file, LotInbox.Listing listing, Path archive) {
        Optional<String> changed = listing.changedSinceListed(file);
        if (changed.isPresent()) {
            log.warn("{}: imported as it was listed, but it has changed since: left in the inbox for the next run", file);
            return;
        }
        try {
            if (archive != null) {
                log.info("{}: moved to {}", file, LotInbox.archive(file, archive, Instant.now()));
            } else {
                LotInbox.markerDone(file);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("{}: imported, but could not be moved to the archive {} or its marker removed: {}", file, archive,
                    e.toString());
        }
    }

    @Bean
    Step recoverInFlight(JobRepository jobRepository, PlatformTransactionManager transactionManager, InFlightRecovery recovery,
            InDoubtResolution resolution, FaultProperties faults, RunCounters counters, CredentialRescue rescue) {
        return new StepBuilder("recoverInFlight", jobRepository)
                .tasklet((contribution, context) -> {
                    rescue.ensureWritable();
                    // Rescued credentials first: their devices are IN_FLIGHT and must not be flagged in doubt.
                    contribution.incrementWriteCount(recovery.storeRescued());
                    int flagged = recovery.recover(contribution.getStepExecution().getJobExecutionId());
                    contribution.incrementWriteCount(flagged);
                    counters.recoveredInDoubt(flagged);
                    if (faults.resendInDoubtTestDevices()) {
                        contribution.incrementWriteCount(resolution.resendTestDevices());
                    }
                    return RepeatStatus.FINISHED;
                }, transactionManager)
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
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("pending", DeviceStatus.PENDING.name());
        String where = "status = :pending";
        if (lot != null && !lot.isBlank()) {
            where += " AND lot_id = :lot";
            parameters.put("lot", lot);
        }
        return new JdbcPagingItemReaderBuilder<DeviceRow>()
                .name("pendingDevices")
                .dataSource(dataSource)
                .selectClause("SELECT " + DeviceRow.COLUMNS)
                .fromClause("FROM device_registration")
                .whereClause(where)
                .parameterValues(parameters)
                .sortKeys(Map.of("id", Order.ASCENDING))
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
    RegistrationWriter registrationWriter(McsClient client, DeviceRegistrations registrations, FaultProperties faults,
            McsProperties mcs, RunCounters counters, CredentialRescue rescue, ExecutionLease lease,
            @Value("#{stepExecution.jobExecutionId}") Long jobExecutionId) {
        RequestDispatcher dispatcher = new RequestDispatcher(client, registrations, new FaultPolicy(faults),
                jobExecutionId, counters, rescue, faults.storeAttempts(), lease::isHeld);
        return new RegistrationWriter(dispatcher, mcs.effectiveDevicesPerRequest());
    }

    @Bean
    RunCounters runCounters() {
        return new RunCounters();
    }
}
