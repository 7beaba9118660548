package io.bulkreg.cli;

import io.bulkreg.results.CredentialExport;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            export.write(lot, f, spec.commandLine().getOut());
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
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8))) {
                written = export.write(lot, f, out);
            }
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().printf("%d credentials of lot %s written to %s%s%n", written.credentials(), lot, output,
                    issuers(written));
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
