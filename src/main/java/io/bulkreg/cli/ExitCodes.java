package io.bulkreg.cli;

/** Process exit codes, for cron and Kubernetes to alert on. */
public final class ExitCodes {

    /**
     * The run completed: every device it handled is registered or rejected. Devices the platform rejected in this run
     * are not a code of their own: a rejection is the platform's final answer about the data (a bad serial, a
     * duplicate), a rerun sends nothing again and cannot change it, and the job did all it could. They are in the
     * summary, the run report (grouped by error code, with file:line) and the metric bulkreg_devices_rejected, which
     * is where an alert on them belongs (a threshold), not in a failed nightly job.
     */
    public static final int OK = 0;
    /** The run failed (platform down, token refused, ...): restart it, or let the next run continue. */
    public static final int FAILED = 1;
    /** Wrong command line or configuration. */
    public static final int USAGE = 2;
    /** The run completed, but devices are in doubt: an operator must resolve them (see devices-in-doubt.sql). */
    public static final int ATTENTION = 3;

    /** The run completed, but it refused a lot file: a person must look at it (see refused_lot_file). */
    public static final int FILES_REFUSED = 4;

    /**
     * The run was stopped on request (SIGTERM, or `bulkreg stop`) after the requests in hand: STOPPED, restartable;
     * `restart EXECUTION_ID` (or the next run) continues it. Not a failure: nothing went wrong.
     */
    public static final int STOPPED = 5;

    private ExitCodes() {
    }
}
