package io.bulkreg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which lot files to import and which lot to register: shared by `register` and `rehearse`, so both read alike. */
public class LotSelection {

    @Option(names = "--file", paramLabel = "FILE", description = "A lot file (CSV) to import first. Repeatable. "
            + "Default: every *.csv in bulkreg.lots.inbox.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--lot", paramLabel = "LOT", description = "Only this lot's pending devices.")
    String lot;

    /** The first named file that does not exist, if any. */
    Optional<Path> missingFile() {
        return files.stream().filter(f -> !Files.isRegularFile(f)).findFirst();
    }

    /** Without files and lot, a run takes the inbox. */
    boolean usesInbox() {
        return files.isEmpty() && lot == null;
    }
}
