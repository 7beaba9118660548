package io.bulkreg.cli;

import io.bulkreg.job.RegistrationRuns;
import io.bulkreg.job.RunResult;
import io.bulkreg.lot.LotProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "register", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  java -jar bulkreg.jar register", "  java -jar bulkreg.jar register --file /srv/lots/LOT-2026-11-A.csv"},
        description = "Import lot files, then register the pending devices (of one lot, or all).")
public class RegisterCommand implements Callable<Integer> {

    @Mixin
    LotSelection selection;

    @Mixin
    PlatformOptions platformOptions;

    @Spec
    CommandSpec spec;

    private final RegistrationRuns runs;
    private final RunPrinter printer;
    private final LotProperties lots;
    private final PlatformChoice platforms;
    private final BeforeSending beforeSending;
    private final RunWatch watch;
    private final RunMeters meters;
    private final RunReports reports;

    public RegisterCommand(RegistrationRuns runs, RunPrinter printer, LotProperties lots, PlatformChoice platforms,
            BeforeSending beforeSending, RunWatch watch, RunMeters meters, RunReports reports) {
        this.beforeSending = beforeSending;
        this.reports = reports;
        this.watch = watch;
        this.meters = meters;
        this.runs = runs;
        this.printer = printer;
        this.lots = lots;
        this.platforms = platforms;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (selection.missingFile().isPresent()) {
            spec.commandLine().getErr().println("No such lot file: " + selection.missingFile().get());
            return ExitCodes.USAGE;
        }
        Path inbox = selection.inbox(lots, platforms.demo(), out);
        beforeSending.check(platformOptions, out);
        RunResult run;
        try (AutoCloseable watching = watch.start(selection.lot)) {
            run = runs.register(selection.files, inbox, selection.lot);
        }
        meters.record(run.execution().getId());
        int exit = printer.print(run, selection.lot, out);
        reports.printPath(run.execution().getId(), selection.lot, out);
        return exit;
    }
}
