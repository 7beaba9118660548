package io.bulkreg.cli;

import io.bulkreg.job.RunResult;
import java.io.PrintWriter;
import org.springframework.stereotype.Component;

/**
 * A registration run as the commands that start one ({@code register}, {@code restart}) carry it out: the progress line
 * while it runs, then its metrics, its summary and the path of its report; the summary decides the exit code.
 */
@Component
class WatchedRun {

    /** Starts the run and waits for its end. */
    @FunctionalInterface
    interface Start {
        RunResult run() throws Exception;
    }

    private final RunWatch watch;
    private final RunMeters meters;
    private final RunPrinter printer;
    private final RunReports reports;

    WatchedRun(RunWatch watch, RunMeters meters, RunPrinter printer, RunReports reports) {
        this.watch = watch;
        this.meters = meters;
        this.printer = printer;
        this.reports = reports;
    }

    /**
     * @param lot the lot the run is limited to, or null for all
     * @return the process's exit code
     */
    int run(String lot, Start start, PrintWriter out) throws Exception {
        RunResult run;
        try (AutoCloseable watching = watch.start(lot)) {
            run = start.run();
        }
        meters.record(run.execution().getId());
        int exit = printer.print(run, lot, out);
        reports.printPath(run, lot, out);
        return exit;
    }
}
