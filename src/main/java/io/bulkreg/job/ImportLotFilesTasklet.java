package io.bulkreg.job;

import io.bulkreg.lot.ImportResult;
import io.bulkreg.lot.LotImporter;
import io.bulkreg.lot.LotInbox;
import io.bulkreg.lot.LotProperties;
import io.bulkreg.lot.RefusedLotFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * transaction of its own (a second import of the same content adds nothing). Files not taken yet (still arriving,
 * changed while read) are left for the next run and named in the step's context. Read count: files; write count:
 * devices.
 */
@Component
class ImportLotFilesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ImportLotFilesTasklet.class);

    private final LotImporter importer;
    private final RefusedLotFiles refusedFiles;
    private final LotProperties lots;
    private final JdbcClient jdbc;

    ImportLotFilesTasklet(LotImporter importer, RefusedLotFiles refusedFiles, LotProperties lots, JdbcClient jdbc) {
        this.importer = importer;
        this.refusedFiles = refusedFiles;
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
        List<String> waiting = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        // This run's own: refused_lot_file names the last run that refused a file, and workers sharing an inbox each do.
        List<String> refused = new ArrayList<>();
        String inbox = parameters.getString(JobParameterNames.INBOX);
        LotInbox.Listing listing = null;
        if (inbox != null) {
            refusedFiles.forgetGone(Path.of(inbox));
            listing = LotInbox.take(Path.of(inbox), lots);
            waiting.addAll(listing.waiting());
            files.addAll(listing.complete());
        }
        boolean restartOfAnImport = instanceImported(jdbc, stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                stepExecution.getJobExecutionId());
        for (Path file : files) {
            boolean fromInbox = listing != null && listing.complete().contains(file);
            if (restartOfAnImport && !fromInbox && !Files.exists(file)) {
                // A restart of a run that imported its files: archived or moved since, what they held is in the table.
                log.info("{}: no longer there (archived or moved since the run began); what it held was imported then "
                        + "and is continued from the table", file);
                contribution.incrementReadCount();
                continue;
            }
            Optional<String> changed = fromInbox ? listing.changedSinceListed(file) : Optional.empty();
            if (changed.isPresent()) {
                waiting.add(changed.get());
                continue;
            }
            ImportResult result;
            try {
                result = importer.importFile(file, stepExecution.getJobExecutionId());
            } catch (UncheckedIOException e) {
                // One file the job cannot read stops neither the other files nor the registration. Gone since it was
                // listed (another worker imported and archived it): the next run looks again. Unreadable (no read
                // permission, an I/O error): a person must look, so the run says so and does not end 0.
                if (e.getCause() instanceof NoSuchFileException) {
                    log.info("{}: gone since it was listed (another worker may have imported and archived it)", file);
                    waiting.add(file + ": not taken yet: gone since it was listed (another worker may have imported "
                            + "and archived it)");
                } else {
                    log.error("{}: cannot be read ({}): not imported", file, e.getCause().toString());
                    unreadable.add(file + ": cannot be read (" + e.getCause() + "): nothing of it was imported; give "
                            + "the job read access or remove it");
                }
                continue;
            }
            contribution.incrementReadCount();
            if (result.outcome() == ImportResult.Outcome.IMPORTED) {
                contribution.incrementWriteCount(result.devicesImported());
            } else if (result.outcome() == ImportResult.Outcome.NOT_TAKEN_YET) {
                waiting.add(result.toString());
            } else if (result.outcome() == ImportResult.Outcome.REFUSED) {
                refused.add(result.file() + ": " + result.message());
            }
            if (fromInbox && (result.outcome() == ImportResult.Outcome.IMPORTED
                    || result.outcome() == ImportResult.Outcome.ALREADY_IMPORTED)) {
                imported(file, listing, lots.archive());
            }
        }
        waiting.forEach(log::info);
        stepExecution.getExecutionContext().putString(RegistrationJobConfig.WAITING_FILES, String.join("\n", waiting));
        stepExecution.getExecutionContext().putString(RegistrationJobConfig.UNREADABLE_FILES,
                String.join("\n", unreadable));
        stepExecution.getExecutionContext().putString(RegistrationJobConfig.REFUSED_FILES, String.join("\n", refused));
        return RepeatStatus.FINISHED;
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
}
