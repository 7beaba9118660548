package io.bulkreg.cli;

import io.bulkreg.job.RegistrationRuns;
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
    private final LotProperties lots;
    private final PlatformChoice platforms;
    private final BeforeSending beforeSending;
    private final WatchedRun watchedRun;

    public RegisterCommand(RegistrationRuns runs, LotProperties lots, PlatformChoice platforms, BeforeSending beforeSending,
            WatchedRun watchedRun) {
        this.runs = runs;
        this.lots = lots;
        this.platforms = platforms;
        this.beforeSending = beforeSending;
        this.watchedRun = watchedRun;
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
        return watchedRun.run(selection.lot, () -> runs.register(selection.files, inbox, selection.lot), out);
    }
}
