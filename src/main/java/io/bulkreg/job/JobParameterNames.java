package io.bulkreg.job;

/** The registration job's parameters. None of them is a secret: job parameters are stored in the database. */
public final class JobParameterNames {

    /** Lot files to import first (see {@link LotFileList}). */
    public static final String FILES = "files";
    /** A folder whose *.csv files are imported first, listed when the import step runs. */
    public static final String INBOX = "inbox";
    /** Job parameter values hold at most 2500 characters (BATCH_JOB_EXECUTION_PARAMS). */
    public static final int MAX_VALUE_LENGTH = 2500;
    /** Register only this lot's pending devices; absent: every lot. */
    public static final String LOT = "lot";
    /** Makes every `register` a new job instance: each night is its own run. */
    public static final String REQUESTED_AT = "requestedAt";
    /**
     * The random instance id of the process that started the run (its lease's): workers started in the same
     * millisecond still get a job instance each.
     */
    public static final String WORKER = "worker";

    private JobParameterNames() {
    }
}
