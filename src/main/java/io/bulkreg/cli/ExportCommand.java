package io.bulkreg.cli;

import io.bulkreg.results.CredentialExport;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  java -jar bulkreg.jar export --lot LOT-2026-11-A --output LOT-2026-11-A-credentials.csv"},
        description = "Write the credentials of a lot (deviceKeys decrypted) to a file readable by its owner only, or stdout.")
public class ExportCommand implements Callable<Integer> {

    @Option(names = "--lot", required = true, paramLabel = "LOT")
    String lot;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Default: standard output.")
    Path output;

    @Spec
    CommandSpec spec;

    private final CredentialExport export;
    private final KnownLots knownLots;

    public ExportCommand(CredentialExport export, KnownLots knownLots) {
        this.export = export;
        this.knownLots = knownLots;
    }

    private static String issuers(CredentialExport.Written written) {
        String recorded = written.platforms().isEmpty() ? "" : ", issued by " + String.join(" and ", written.platforms());
        return written.unrecorded() == 0 ? recorded
                : recorded + (recorded.isEmpty() ? ", " : "; ") + written.unrecorded() + " by a platform not on record "
                        + "(registered before bulkreg recorded it)";
    }

    @Override
    public Integer call() throws Exception {
        CredentialExport.Format f = CredentialExport.Format.valueOf(format.toUpperCase(Locale.ROOT));
        if (!knownLots.checked(lot, spec.commandLine().getErr())) {
            return ExitCodes.USAGE;
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            export.write(lot, f, out);
            // PrintWriter and PrintStream keep write errors to themselves (a closed pipe, a full disk); picocli's writer
            // sits on System.out, whose flag is the one that learns of them.
            if (out.checkError() || System.out.checkError()) {
                spec.commandLine().getErr().println("bulkreg: the credentials could not all be written to standard "
                        + "output (closed early, or its file system refused them)");
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
        if (Files.exists(output)) {
            spec.commandLine().getErr().println("bulkreg: " + output + " exists: not overwritten");
            return ExitCodes.USAGE;
        }
        // deviceKeys: written to an owner-only file beside the target, moved into place only when complete.
        Path parent = output.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(parent, ".export-", ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            CredentialExport.Written written;
            try (FileChannel file = FileChannel.open(partial, StandardOpenOption.WRITE);
                    PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(file),
                            StandardCharsets.UTF_8))) {
                written = export.write(lot, f, out);
                // A PrintWriter keeps write errors to itself: a full disk would leave a short file, moved into place.
                if (out.checkError()) {
                    spec.commandLine().getErr().println("bulkreg: the credentials could not all be written beside "
                            + output + " (its file system refused them: full, or an I/O error); nothing was written to "
                            + output);
                    return ExitCodes.FAILED;
                }
                file.force(true);   // on disk before the file takes its name: the flashing station never reads a short one
            }
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel folder = FileChannel.open(parent, StandardOpenOption.READ)) {
                folder.force(true);   // the new name on disk too
            }
            spec.commandLine().getOut().printf("%d credentials of lot %s written to %s%s%n", written.credentials(), lot, output,
                    issuers(written));
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
