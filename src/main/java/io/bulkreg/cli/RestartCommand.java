package io.bulkreg.cli;

import io.bulkreg.job.RegistrationRuns;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Continue a failed run: devices that already have credentials are never sent again.")
public class RestartCommand implements Callable<Integer> {

    static class Target {
        @Parameters(paramLabel = "EXECUTION_ID", description = "The job execution to restart.")
        Long executionId;

        @Option(names = "--last-failed", description = "Restart the newest failed or stopped execution.")
        boolean lastFailed;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Mixin
    PlatformOptions platformOptions;

    @Spec
    CommandSpec spec;

    private final RegistrationRuns runs;
    private final RunPrinter printer;
    private final BeforeSending beforeSending;

    public RestartCommand(RegistrationRuns runs, RunPrinter printer, BeforeSending beforeSending) {
        this.runs = runs;
        this.printer = printer;
        this.beforeSending = beforeSending;
    }

    @Override
    public Integer call() throws Exception {
        Optional<Long> id = target.lastFailed ? runs.lastFailed() : Optional.of(target.executionId);
        if (id.isEmpty()) {
            spec.commandLine().getOut().println("No failed run to restart.");
            return ExitCodes.OK;
        }
        beforeSending.check(platformOptions, spec.commandLine().getOut());
        return printer.print(runs.restart(id.get()), null, spec.commandLine().getOut());
    }
}
