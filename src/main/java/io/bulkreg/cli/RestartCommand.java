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
    private final PlatformChoice platforms;

    public RestartCommand(RegistrationRuns runs, RunPrinter printer, PlatformChoice platforms) {
        this.runs = runs;
        this.printer = printer;
        this.platforms = platforms;
    }

    @Override
    public Integer call() throws Exception {
        Optional<Long> id = target.lastFailed ? runs.lastFailed() : Optional.of(target.executionId);
        if (id.isEmpty()) {
            spec.commandLine().getOut().println("No failed run to restart.");
            return ExitCodes.OK;
        }
        platforms.choose(platformOptions.sandbox, platformOptions.allowPlatformChange);
        spec.commandLine().getOut().println(platforms.describe());
        return printer.print(runs.restart(id.get()), null, spec.commandLine().getOut());
    }
}
