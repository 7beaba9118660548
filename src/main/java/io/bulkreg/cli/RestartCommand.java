package io.bulkreg.cli;

import io.bulkreg.job.JobParameterNames;
import io.bulkreg.job.RegistrationRuns;
import org.springframework.batch.core.job.JobExecution;
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
        description = "Continue a failed or stopped run: devices that already have credentials are never sent again. "
                + "Lot files archived or moved since it began are not needed: what they held is in the table.",
        footer = {"", "Examples:", "  java -jar bulkreg.jar restart --last-failed", "  java -jar bulkreg.jar restart 42"})
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
    private final BeforeSending beforeSending;
    private final WatchedRun watchedRun;

    public RestartCommand(RegistrationRuns runs, BeforeSending beforeSending, WatchedRun watchedRun) {
        this.runs = runs;
        this.beforeSending = beforeSending;
        this.watchedRun = watchedRun;
    }

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Optional<Long> id = target.lastFailed ? runs.lastFailed() : Optional.of(target.executionId);
        if (id.isEmpty()) {
            out.println("No failed run to restart.");
            return ExitCodes.OK;
        }
        RegistrationRuns.RestartTarget found = runs.restartTarget(id.get());
        if (found instanceof RegistrationRuns.RestartTarget.NotRestartable no) {
            boolean nothingToDo = no.why().contains("there is nothing to continue");
            (nothingToDo ? out : spec.commandLine().getErr()).println(no.why());
            return nothingToDo ? ExitCodes.OK : ExitCodes.USAGE;
        }
        JobExecution previous = ((RegistrationRuns.RestartTarget.Restartable) found).execution();
        beforeSending.check(platformOptions, out);
        String lot = previous.getJobParameters().getString(JobParameterNames.LOT);
        out.println("Continuing job execution " + previous.getId() + " (" + previous.getStatus()
                + (lot == null ? ", all lots" : ", lot " + lot)
                + (previous.getStartTime() == null ? "" : ", begun " + previous.getStartTime().withNano(0).toString().replace('T', ' '))
                + "): devices that already have credentials are not sent again.");
        return watchedRun.run(lot, () -> runs.restart(previous.getId()), out);
    }
}
