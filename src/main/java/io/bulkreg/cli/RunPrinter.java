package io.bulkreg.cli;

import io.bulkreg.job.RunResult;
import io.bulkreg.results.LotReport;
import io.bulkreg.results.ReportFormat;
import io.bulkreg.results.RunFigures;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Prints what a run did and where to look, and turns it into an exit code. */
@Component
public class RunPrinter {

    private static final Logger log = LoggerFactory.getLogger(RunPrinter.class);

    private static final int SKIPS_SHOWN = 20;

    private final LotReport report;
    private final RunFigures figures;
    private final PlatformChoice platforms;

    public RunPrinter(LotReport report, RunFigures figures, PlatformChoice platforms) {
        this.report = report;
        this.figures = figures;
        this.platforms = platforms;
    }

    public int print(RunResult run, String lot, PrintWriter out) {
        run.recovered().forEach(out::println);
        RunFigures.Figures c = figures.of(run.execution().getId());
        out.printf("%nJob execution %d: %s%n", run.execution().getId(), run.execution().getStatus());
        out.printf("This run: %d registered, %d rejected by the platform, %d in doubt, %d requests sent%n",
                c.registered(), c.rejected(), c.inDoubt(), c.requests());
        if (c.heldByPlatform() > 0) {
            out.printf("  and %d already held by the platform: sent again after a doubt, the platform says it registered "
                    + "them before; their keys are not here (registration_skip kind HELD_BY_PLATFORM)%n",
                    c.heldByPlatform());
        }
        if (run.storedFromRescue() > 0) {
            out.printf("  and %d keys stored from rescue files: issued to an earlier run, whose database refused them "
                    + "(counted under that run's requests)%n", run.storedFromRescue());
        }
        out.println(durationAndRate(run.execution(), c.settled()));
        long skipped = report.skipCountOf(run.execution().getId());
        if (skipped > 0) {
            out.printf("Not registered in this run (%d, table registration_skip):%n", skipped);
            report.skipsOf(run.execution().getId(), SKIPS_SHOWN).forEach(s -> out.println("  " + s));
            if (skipped > SKIPS_SHOWN) {
                out.printf("  ... and %d more: sql/queries/skips-by-error-code.sql%n", skipped - SKIPS_SHOWN);
            }
        }
        if (c.recoveredInDoubt() > 0) {
            out.printf("%d devices left in flight by an abandoned run are now IN_DOUBT (sql/queries/devices-in-doubt.sql, "
                    + "resolve-in-doubt)%n", c.recoveredInDoubt());
        }
        boolean stopped = run.execution().getStatus() == BatchStatus.STOPPED;
        if (stopped) {
            out.println("The run was stopped on request (SIGTERM or `stop`) after the requests in hand: STOPPED, nothing in "
                    + "flight. Continue it with `restart " + run.execution().getId() + "` (or `restart --last-failed`), or "
                    + "let the next run pick it up.");
        } else if (!run.completed()) {
            run.unexpectedFailure().ifPresent(t -> log.error("The run failed unexpectedly", t));
            out.println("The run stopped: " + run.failure());
            out.println("Nothing already registered will be sent again. Continue with `restart "
                    + run.execution().getId() + "` (or `restart --last-failed`), or let the next run pick it up.");
        }
        out.println();
        var lots = report.lots(lot);
        out.print(ReportFormat.TABLE.render(lots));
        out.println();
        var waiting = run.waitingFiles();
        if (!waiting.isEmpty()) {
            out.printf("Files not taken yet (%d): the next run takes them once complete:%n", waiting.size());
            waiting.forEach(w -> out.println("  " + w));
            out.println();
        }
        var unreadable = run.unreadableFiles();
        if (!unreadable.isEmpty()) {
            out.printf("Files that cannot be read (%d):%n", unreadable.size());
            unreadable.forEach(u -> out.println("  " + u));
            out.println();
        }
        var refused = run.refusedFiles();
        if (!refused.isEmpty()) {
            out.printf("Refused files (%d, table refused_lot_file): nothing of them was imported; fix or remove them "
                    + "(a file refused before is not counted again):%n", refused.size());
            refused.forEach(r -> out.println("  " + r));
            out.println();
        }
        out.println("Credentials: table device_registration (status REGISTERED); skipped lines and devices: "
                + "table registration_skip; ready-made queries: sql/queries/.");
        if (platforms.chosen().isSandbox()) {
            out.println("These devices went to the built-in sandbox, nothing went to a real platform. Set "
                    + "BULKREG_MCS_BASE_URL and BULKREG_MCS_TOKEN (or BULKREG_MCS_TOKEN_FILE) to register for real.");
        }
        out.flush();
        if (stopped) {
            return ExitCodes.STOPPED;
        }
        if (!run.completed()) {
            return ExitCodes.FAILED;
        }
        // Devices in doubt need an operator whichever run flagged them: every run says so until they are resolved.
        if (lots.stream().anyMatch(l -> l.inDoubt() > 0)) {
            return ExitCodes.ATTENTION;
        }
        // A refused or unreadable file imported nothing: a person must look at it, while it is offered to a run.
        return refused.isEmpty() && unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.FILES_REFUSED;
    }

    /** "Duration 1m 05s, 12.3 devices/s": the run's own time, from its start to its end (or now, if still going). */
    static String durationAndRate(JobExecution execution, long devices) {
        LocalDateTime start = execution.getStartTime() != null ? execution.getStartTime() : execution.getCreateTime();
        LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
        if (start == null) {
            return "Duration: not started";
        }
        Duration took = Duration.between(start, end);
        double seconds = Math.max(took.toMillis(), 1) / 1000.0;
        return String.format(Locale.ROOT, "Duration %s, %.1f devices/s", human(took), devices / seconds);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
}
