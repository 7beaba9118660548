package io.bulkreg.cli;

import io.bulkreg.registration.InDoubtResolution;
import io.bulkreg.registration.KeptAnswers;
import io.bulkreg.registration.Resolution;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resolve-in-doubt", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  java -jar bulkreg.jar resolve-in-doubt --lot LOT-2026-11-A --resend"},
        description = "Decide about a lot's devices in doubt (the platform may hold them without their key here).")
public class ResolveInDoubtCommand implements Callable<Integer> {

    static class Decision {
        @Option(names = "--resend", required = true, description = "Send them again with the next run. A device the "
                + "platform already holds may then be registered twice (or refused as a duplicate serial).")
        boolean resend;

        @Option(names = "--reject", required = true, description = "Give them up: REJECTED, never sent again.")
        boolean reject;
    }

    @Option(names = "--lot", required = true, paramLabel = "LOT")
    String lot;

    @Option(names = "--test-devices-only", description = "Only the lot's test devices (their duplicates are harmless).")
    boolean testDevicesOnly;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Decision decision;

    @Spec
    CommandSpec spec;

    private final InDoubtResolution resolution;
    private final KnownLots knownLots;
    private final KeptAnswers keptAnswers;

    public ResolveInDoubtCommand(InDoubtResolution resolution, KnownLots knownLots, KeptAnswers keptAnswers) {
        this.resolution = resolution;
        this.knownLots = knownLots;
        this.keptAnswers = keptAnswers;
    }

    @Override
    public Integer call() {
        if (!knownLots.checked(lot, spec.commandLine().getErr())) {
            return ExitCodes.USAGE;
        }
        long unreconciled = keptAnswers.unsettledForLot(lot);
        if (unreconciled > 0) {
            // A warning, not a refusal: an answer the platform cannot settle must not block the decision for ever.
            spec.commandLine().getOut().printf("Warning: %d answer(s) kept for devices in doubt of lot %s are not "
                    + "reconciled yet; they may carry those devices' keys: run `reconcile` first (docs/operations.md)%n",
                    unreconciled, lot);
        }
        Resolution chosen = decision.resend ? Resolution.RESENT : Resolution.REJECTED;
        int n = resolution.resolve(lot, chosen, testDevicesOnly);
        spec.commandLine().getOut().printf("%d devices in doubt of lot %s %s%n", n, lot,
                chosen == Resolution.RESENT ? "will be sent again by the next `register`" : "are now REJECTED");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
