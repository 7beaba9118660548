package io.bulkreg.cli;

import io.bulkreg.registration.CredentialRescue;
import io.bulkreg.registration.InDoubtResolution;
import io.bulkreg.registration.InFlightRecovery;
import io.bulkreg.registration.RequestId;
import io.bulkreg.registration.KeptAnswers;
import io.bulkreg.registration.Resolution;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
    private final InFlightRecovery recovery;
    private final CredentialRescue rescue;
    private final KeptAnswers keptAnswers;

    public ResolveInDoubtCommand(InDoubtResolution resolution, KnownLots knownLots, InFlightRecovery recovery,
            CredentialRescue rescue, KeptAnswers keptAnswers) {
        this.resolution = resolution;
        this.knownLots = knownLots;
        this.recovery = recovery;
        this.rescue = rescue;
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
        PrintWriter out = spec.commandLine().getOut();
        // Keys in a rescue file settle their devices' doubt: store them first, as a run does. A device whose keys are
        // still in a file is neither resent (it would be registered twice) nor given up (the rescue could no longer be
        // stored on it).
        int stored = recovery.storeRescued();
        if (stored > 0) {
            out.printf("Stored %d rescued credentials first (their devices are REGISTERED now)%n", stored);
        }
        List<CredentialRescue.Rescued> waiting = rescue.pending().stream()
                .filter(r -> resolution.inDoubtWithKeysWaiting(lot, Set.of(r.requestId())) > 0).toList();
        Set<RequestId> keysWaiting = waiting.stream().map(CredentialRescue.Rescued::requestId).collect(Collectors.toSet());
        int keptBack = resolution.inDoubtWithKeysWaiting(lot, keysWaiting);
        int n = resolution.resolve(lot, chosen, testDevicesOnly, keysWaiting);
        out.printf("%d devices in doubt of lot %s %s%n", n, lot,
                chosen == Resolution.RESENT ? "will be sent again by the next `register`" : "are now REJECTED");
        out.flush();
        if (keptBack == 0) {
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("%d devices in doubt of lot %s were left as they are: their keys wait in a rescue file that could not "
                + "be stored (%s). Bring the database back or fix what refused them (see the log), then run `register`, "
                + "which stores them first; see docs/operations.md%n", keptBack, lot,
                waiting.stream().map(r -> r.file().toString()).sorted().collect(Collectors.joining(", ")));
        err.flush();
        return ExitCodes.ATTENTION;
    }
}
