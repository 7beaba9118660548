package io.bulkreg.results;

import io.bulkreg.device.CsvField;
import java.util.List;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** How `report` prints lots: an aligned table for people, CSV or JSON for tools. */
public enum ReportFormat {
    TABLE {
        @Override
        public String render(List<LotStatus> lots) {
            StringBuilder out = new StringBuilder(String.format("%-24s %8s %10s %8s %16s %8s %8s %9s %12s  %s%n", "lot",
                    "total", "registered", "rejected", "held_by_platform", "in_doubt", "pending", "in_flight", "input_errors",
                    "platform"));
            for (LotStatus l : lots) {
                out.append(String.format("%-24s %8d %10d %8d %16d %8d %8d %9d %12d  %s%n", l.lotId(), l.total(),
                        l.registered(), l.rejected(), l.heldByPlatform(), l.inDoubt(), l.pending(), l.inFlight(),
                        l.inputErrors(), l.platform()).stripTrailing())
                        .append(System.lineSeparator());
            }
            return out.toString();
        }

        @Override
        public String renderRefusedFiles(List<LotReport.RefusedFile> files) {
            StringBuilder out = new StringBuilder("Refused files (not lots: nothing of them was imported)\n");
            for (LotReport.RefusedFile f : files) {
                out.append(String.format("  %s%n    %s (first refused %s, last %s)%n", f.file(), f.reason(),
                        f.firstRefusedAt(), f.lastRefusedAt()));
            }
            return out.toString();
        }
    },
    CSV {
        @Override
        public String render(List<LotStatus> lots) {
            StringBuilder out = new StringBuilder(
                    "lot,total,registered,rejected,held_by_platform,in_doubt,pending,in_flight,input_errors,platform\n");
            for (LotStatus l : lots) {
                out.append(CsvField.of(l.lotId()));
                for (long n : new long[] {l.total(), l.registered(), l.rejected(), l.heldByPlatform(), l.inDoubt(),
                        l.pending(), l.inFlight(), l.inputErrors()}) {
                    out.append(',').append(n);
                }
                out.append(',').append(CsvField.of(l.platform())).append('\n');
            }
            return out.toString();
        }

        @Override
        public String renderRefusedFiles(List<LotReport.RefusedFile> files) {
            StringBuilder out = new StringBuilder("file,reason,first_refused_at,last_refused_at\n");
            for (LotReport.RefusedFile f : files) {
                out.append(CsvField.of(f.file())).append(',').append(CsvField.of(f.reason())).append(',').append(f.firstRefusedAt())
                        .append(',').append(f.lastRefusedAt()).append('\n');
            }
            return out.toString();
        }
    },
    JSON {
        @Override
        public String render(List<LotStatus> lots) {
            return Json.PRETTY.writeValueAsString(lots) + "\n";
        }

        @Override
        public String renderRefusedFiles(List<LotReport.RefusedFile> files) {
            return Json.PRETTY.writeValueAsString(files) + "\n";
        }
    };

    public abstract String render(List<LotStatus> lots);

    public abstract String renderRefusedFiles(List<LotReport.RefusedFile> files);

    /** Built once: a JsonMapper is costly to build and safe to share. */
    private static final class Json {
        static final ObjectWriter PRETTY = JsonMapper.builder().build().writerWithDefaultPrettyPrinter();
    }
}
