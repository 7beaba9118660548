package io.bulkreg.cli;

import io.bulkreg.results.LotReport;
import io.bulkreg.results.ReportFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Per lot: total, registered, rejected, in doubt, pending, and input lines refused.")
public class ReportCommand implements Callable<Integer> {

    @Option(names = "--lot", paramLabel = "LOT")
    String lot;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).",
            converter = FormatConverter.class)
    ReportFormat format;

    @Spec
    CommandSpec spec;

    private final LotReport report;

    public ReportCommand(LotReport report) {
        this.report = report;
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(format.render(report.lots(lot)));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static class FormatConverter implements picocli.CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            return ReportFormat.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
