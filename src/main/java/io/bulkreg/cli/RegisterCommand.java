package io.bulkreg.cli;

import io.bulkreg.job.RegistrationRuns;
import io.bulkreg.lot.LotProperties;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.sandbox.McsSandbox;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.ObjectProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Import lot files, then register the pending devices (of one lot, or all).")
public class RegisterCommand implements Callable<Integer> {

    @Mixin
    LotSelection selection;

    @Spec
    CommandSpec spec;

    private final RegistrationRuns runs;
    private final RunPrinter printer;
    private final LotProperties lots;
    private final McsProperties mcs;
    private final ObjectProvider<McsSandbox> sandbox;

    public RegisterCommand(RegistrationRuns runs, RunPrinter printer, LotProperties lots, McsProperties mcs,
            ObjectProvider<McsSandbox> sandbox) {
        this.runs = runs;
        this.printer = printer;
        this.lots = lots;
        this.mcs = mcs;
        this.sandbox = sandbox;
    }

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (mcs.usesSandbox()) {
            out.println("No platform configured (bulkreg.mcs.base-url): using the built-in sandbox at "
                    + sandbox.getObject().baseUrl() + "; nothing goes to a real platform.");
        }
        if (selection.missingFile().isPresent()) {
            spec.commandLine().getErr().println("No such lot file: " + selection.missingFile().get());
            return ExitCodes.USAGE;
        }
        Path inbox = selection.usesInbox() ? lots.inbox() : null;
        return printer.print(runs.register(selection.files, inbox, selection.lot), selection.lot, out);
    }
}
