package io.bulkreg.cli;

import io.bulkreg.lot.LotInbox;
import io.bulkreg.lot.LotProperties;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which lot files to import and which lot to register: shared by `register` and `rehearse`, so both read alike. */
public class LotSelection {

    /** The sample lots: the inbox of the demo only, so that no other run sends them by accident. */
    static final Path DEMO_INBOX = LotInbox.DEMO;

    @Option(names = "--file", paramLabel = "FILE", description = "A lot file (CSV) to import first. Repeatable. "
            + "Default: every *.csv in bulkreg.lots.inbox.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--lot", paramLabel = "LOT", description = "Only this lot's pending devices; no inbox is imported.")
    String lot;

    /** The first named file that does not exist, if any. */
    Optional<Path> missingFile() {
        return files.stream().filter(f -> !Files.isRegularFile(f)).findFirst();
    }

    /** Without files and lot, a run takes the inbox. */
    boolean usesInbox() {
        return files.isEmpty() && lot == null;
    }

    /**
     * The folder whose lot files this run imports, or null. A configured inbox must be a readable folder; without one,
     * the demo takes the sample lots and any other run imports nothing (upstream systems may insert rows instead).
     *
     * @throws ConfigurationProblem when the configured inbox is not a readable folder
     */
    Path inbox(LotProperties lots, boolean demo, PrintWriter out) {
        if (!usesInbox()) {
            return null;
        }
        Path configured = lots.inbox();
        if (configured != null) {
            String problem = !Files.exists(configured) ? "does not exist"
                    : !Files.isDirectory(configured) ? "is not a folder"
                    : !Files.isReadable(configured) || !Files.isExecutable(configured) ? "cannot be read" : null;
            if (problem != null) {
                throw new ConfigurationProblem("The lot inbox " + configured.toAbsolutePath() + " (BULKREG_LOTS_INBOX, "
                        + "bulkreg.lots.inbox) " + problem + ": create it, mount it, or correct the setting. Nothing was "
                        + "imported or sent.");
            }
            return configured;
        }
        if (demo) {
            if (!Files.isDirectory(DEMO_INBOX)) {
                out.println("Demo: there is no " + DEMO_INBOX + " folder here, so no sample lot (set BULKREG_LOTS_INBOX "
                        + "for your own).");
                return null;
            }
            out.println("Demo: taking the sample lots of " + DEMO_INBOX + " (set BULKREG_LOTS_INBOX for your own).");
            return DEMO_INBOX;
        }
        out.println("No lot inbox configured (BULKREG_LOTS_INBOX): no lot file is taken; only the devices waiting in the "
                + "database are.");
        return null;
    }
}
