package io.bulkreg.cli;

/** Process exit codes, for cron and Kubernetes to alert on. */
public final class ExitCodes {

    /** The run completed: every device it handled is registered or rejected (rejections are in the report). */
    public static final int OK = 0;
    /** The run failed (platform down, token refused, ...): restart it, or let the next run continue. */
    public static final int FAILED = 1;
    /** Wrong command line or configuration. */
    public static final int USAGE = 2;
    /** The run completed, but devices are in doubt: an operator must resolve them (see devices-in-doubt.sql). */
    public static final int ATTENTION = 3;

    /** The run completed, but it refused a lot file: a person must look at it (see refused_lot_file). */
    public static final int FILES_REFUSED = 4;

    private ExitCodes() {
    }
}
