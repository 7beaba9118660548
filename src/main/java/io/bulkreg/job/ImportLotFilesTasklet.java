package io.bulkreg.job;

import io.bulkreg.lot.ImportResult;
import io.bulkreg.lot.LotImporter;
import io.bulkreg.lot.LotInbox;
import io.bulkreg.lot.LotProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The import step: the files named for the run, then the complete files of its inbox, each imported in a
 * transaction of its own (a second import of the same content adds nothing). Read count: files; write count: devices.
 */
@Component
class ImportLotFilesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportLotFilesTasklet.class);

    private final LotImporter importer;
    private final LotProperties lots;
    private final JdbcClient jdbc;

    ImportLotFilesTasklet(LotImporter importer, LotProperties lots, JdbcClient jdbc) {
        this.importer = importer;
        this.lots = lots;
        this.jdbc = jdbc;
    }

    /** Whether an execution of this job instance, other than {@code exceptExecution}, imported lot files. */
    static boolean instanceImported(JdbcClient jdbc, long jobInstanceId, long exceptExecution) {
        return jdbc.sql("SELECT COUNT(*) FROM lot_import i JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = i.job_execution_id "
                        + "WHERE e.JOB_INSTANCE_ID = :instance AND e.JOB_EXECUTION_ID <> :except")
                .param("instance", jobInstanceId)
                .param("except", exceptExecution)
                .query(Long.class).single() > 0;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        var stepExecution = contribution.getStepExecution();
        JobParameters parameters = stepExecution.getJobParameters();
        List<Path> files = new ArrayList<>(LotFileList.decode(parameters.getString(JobParameterNames.FILES)));
        String inbox = parameters.getString(JobParameterNames.INBOX);
        List<Path> fromInbox = List.of();
        if (inbox != null) {
            LotInbox.Listing listing = LotInbox.completeFiles(Path.of(inbox), lots.settleTime(), Instant.now());
            listing.waiting().forEach(log::info);
            fromInbox = listing.complete();
            files.addAll(fromInbox);
        }
        boolean restartOfAnImport = instanceImported(jdbc, stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                stepExecution.getJobExecutionId());
        for (Path file : files) {
            if (restartOfAnImport && !fromInbox.contains(file) && !Files.exists(file)) {
                // A restart of a run that imported its files: archived or moved since, what they held is in the table.
                log.info("{}: no longer there (archived or moved since the run began); what it held was imported then "
                        + "and is continued from the table", file);
                contribution.incrementReadCount();
                continue;
            }
            ImportResult result = importer.importFile(file, stepExecution.getJobExecutionId());
            contribution.incrementReadCount();
            if (result.outcome() == ImportResult.Outcome.IMPORTED) {
                contribution.incrementWriteCount(result.devicesImported());
            }
            if (lots.archive() != null && fromInbox.contains(file) && result.outcome() != ImportResult.Outcome.REFUSED) {
                archive(file, lots.archive());
            }
        }
        return RepeatStatus.FINISHED;
    }

    /** After its import committed: a file that cannot be moved is still imported, and the next run moves it. */
    private static void archive(Path file, Path archive) {
        try {
            log.info("{}: moved to {}", file, LotInbox.archive(file, archive, Instant.now()));
        } catch (IOException | RuntimeException e) {
            log.warn("{}: imported, but could not be moved to the archive {}: {}", file, archive, e.toString());
        }
    }
}
