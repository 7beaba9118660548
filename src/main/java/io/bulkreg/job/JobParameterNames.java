package io.bulkreg.job;

/** The registration job's parameters. None of them is a secret: job parameters are stored in the database. */
public final class JobParameterNames {

    /** Lot files to import first, separated by {@link #FILE_SEPARATOR}. */
    public static final String FILES = "files";
    public static final String FILE_SEPARATOR = "\n";
    /** Register only this lot's pending devices; absent: every lot. */
    public static final String LOT = "lot";
    /** Makes every `register` a new job instance: each night is its own run. */
    public static final String REQUESTED_AT = "requestedAt";

    private JobParameterNames() {
    }
}
