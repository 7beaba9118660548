package io.bulkreg.cli;

import io.bulkreg.mcs.McsClient;
import io.bulkreg.registration.AnswerReconciliation;
import io.bulkreg.registration.AnswerReconciliation.Reconciled;
import io.bulkreg.registration.KeptAnswers;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.ObjectProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  java -jar bulkreg.jar reconcile --dry-run", "  java -jar bulkreg.jar reconcile"},
        description = "Settle devices in doubt from the answers kept for them (a 200 with fewer credentials than devices, "
                + "an entry without deviceId, a 201): reads the ids an answer carried from the platform, matches each "
                + "device found to a device of the request by product and serial (name for devices without serial), "
                + "stores the matched keys and leaves the rest in doubt. Prints counts, never keys.")
public class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Match and count only: store nothing, settle nothing.")
    boolean dryRun;

    @Mixin
    PlatformOptions platformOptions;

    @Spec
    CommandSpec spec;

    private final AnswerReconciliation reconciliation;
    private final KeptAnswers keptAnswers;
    private final PlatformChoice platforms;
    private final ObjectProvider<McsClient> client;

    public ReconcileCommand(AnswerReconciliation reconciliation, KeptAnswers keptAnswers, PlatformChoice platforms,
            ObjectProvider<McsClient> client) {
        this.reconciliation = reconciliation;
        this.keptAnswers = keptAnswers;
        this.platforms = platforms;
        this.client = client;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (keptAnswers.unsettled().isEmpty()) {
            out.println("No kept answer waits to be reconciled.");
            out.flush();
            return ExitCodes.OK;
        }
        platforms.choose(platformOptions.sandbox, platformOptions.allowPlatformChange);
        out.println(platforms.describe());
        List<Reconciled> done = reconciliation.reconcile(client.getObject(), dryRun);
        int stored = 0;
        int inDoubt = 0;
        boolean failed = false;
        for (Reconciled r : done) {
            if (r.failure() != null) {
                failed = true;
                out.printf("Request %s (HTTP %d, %d devices in doubt): not reconciled, %s%n", r.requestId(),
                        r.httpStatus(), r.inDoubtBefore(), r.failure());
            } else {
                out.printf("Request %s (HTTP %d): %d devices in doubt; the answer carried %d entries (%d without id or "
                        + "key); the platform knew %d; %d matched, %d %s; %d left in doubt%s%n", r.requestId(),
                        r.httpStatus(), r.inDoubtBefore(), r.entries(), r.unusable(), r.found(), r.matched(),
                        dryRun ? r.matched() : r.stored(), dryRun ? "would be stored" : "stored", r.stillInDoubt(),
                        r.settled() ? "; settled" : "");
            }
            stored += r.stored();
            inDoubt += r.stillInDoubt();
        }
        out.printf("%d kept answer(s): %d devices %s, %d left in doubt%s.%n", done.size(),
                dryRun ? done.stream().mapToInt(Reconciled::matched).sum() : stored,
                dryRun ? "would be stored (dry run: nothing changed)" : "stored", inDoubt,
                inDoubt > 0 ? " (resolve-in-doubt decides about them)" : "");
        out.flush();
        if (failed) {
            return ExitCodes.FAILED;
        }
        return inDoubt > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
    }
}
