package io.bulkreg.cli;

import io.bulkreg.results.LotReport;
import io.bulkreg.results.ReportFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  java -jar bulkreg.jar report", "  java -jar bulkreg.jar report --lot LOT-2026-11-A --format json"},
        description = "Per lot: total, registered, rejected, in doubt, pending, and input lines refused; then the "
                + "lot files refused whole.")
public class ReportCommand implements Callable<Integer> {

    @Option(names = "--lot", paramLabel = "LOT")
    String lot;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).",
            converter = ReportFormatConverter.class)
    ReportFormat format;

    @Option(names = "--refused-files", description = "The lot files refused whole that still need a person, instead "
            + "of the lots.")
    boolean refusedFiles;

    @Spec
    CommandSpec spec;

    private final LotReport report;
    private final KnownLots knownLots;

    public ReportCommand(LotReport report, KnownLots knownLots) {
        this.report = report;
        this.knownLots = knownLots;
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (!knownLots.checked(lot, spec.commandLine().getErr())) {
            return ExitCodes.USAGE;
        }
        if (refusedFiles) {
            out.print(format.renderRefusedFiles(report.refusedFiles()));
            out.flush();
            return ExitCodes.OK;
        }
        out.print(format.render(report.lots(lot)));
        var refused = report.refusedFiles();
        if (format == ReportFormat.TABLE && lot == null && !refused.isEmpty()) {
            // Apart from the lots: a refused file is no lot. Tools read them with --refused-files.
            out.println();
            out.print(format.renderRefusedFiles(refused));
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static final class ReportFormatConverter extends FormatConverter<ReportFormat> {
        ReportFormatConverter() {
            super(ReportFormat.class);
        }
    }
}
