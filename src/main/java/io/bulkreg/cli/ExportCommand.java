package io.bulkreg.cli;

import io.bulkreg.results.CredentialExport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).",
            converter = ExportFormatConverter.class)
    CredentialExport.Format format;

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
        CredentialExport.Format f = format;
        if (!knownLots.checked(lot, spec.commandLine().getErr())) {
            return ExitCodes.USAGE;
        }
        return output == null ? toStandardOutput(f) : toFile(f);
    }

    private int toStandardOutput(CredentialExport.Format f) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            // PrintWriter and PrintStream keep write errors to themselves (a closed pipe, a full disk); picocli's writer
            // sits on System.out, whose flag is the one that learns of them.
            export.write(lot, f, out, () -> out.checkError() || System.out.checkError());
            return ExitCodes.OK;
        } catch (CredentialExport.OutputRefused e) {
            spec.commandLine().getErr().println("bulkreg: the credentials could not all be written to standard output "
                    + "(closed early, or its file system refused them); the export stopped after " + e.written());
            return ExitCodes.FAILED;
        }
    }

    private int toFile(CredentialExport.Format f) throws IOException {
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            return exists();
        }
        // deviceKeys: written to an owner-only file beside the target, given its name only when complete.
        Path parent = output.toAbsolutePath().getParent();
        Path partial;
        try {
            partial = Files.createTempFile(parent, ".export-", ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            // The exception names the temporary file, which the operator never asked for: say what is wrong with the folder.
            String why = !Files.isDirectory(parent) ? "no such folder"
                    : e instanceof FileSystemException refused && refused.getReason() != null ? refused.getReason()
                    : "permission denied";
            spec.commandLine().getErr().println("bulkreg: cannot write " + output + ": no file can be created in "
                    + parent + " (" + why + ")");
            return ExitCodes.FAILED;
        }
        try {
            CredentialExport.Written written;
            try (FileChannel file = FileChannel.open(partial, StandardOpenOption.WRITE);
                    PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(file),
                            StandardCharsets.UTF_8))) {
                written = export.write(lot, f, out);
                file.force(true);   // on disk before the file takes its name: the flashing station never reads a short one
            } catch (CredentialExport.OutputRefused e) {
                spec.commandLine().getErr().println("bulkreg: the credentials could not all be written beside " + output
                        + " (its file system refused them: full, or an I/O error; stopped after " + e.written()
                        + "); nothing was written to " + output);
                return ExitCodes.FAILED;
            }
            if (!publish(partial, output)) {
                return exists();
            }
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

    private int exists() {
        spec.commandLine().getErr().println("bulkreg: " + output + " exists: not overwritten");
        return ExitCodes.USAGE;
    }

    /**
     * Gives the complete file its name, never replacing a file: a hard link fails when the name exists, even one
     * created since the export started (a rename would replace it). Where the file system has no hard links (FAT on a
     * USB stick, some network shares), the rename is atomic but only the look at the start guards the name.
     *
     * @return false when a file of that name appeared meanwhile
     */
    static boolean publish(Path partial, Path output) throws IOException {
        try {
            Files.createLink(output, partial);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    static final class ExportFormatConverter extends FormatConverter<CredentialExport.Format> {
        ExportFormatConverter() {
            super(CredentialExport.Format.class);
        }
    }
}
