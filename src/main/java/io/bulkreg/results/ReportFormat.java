package io.bulkreg.results;

import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** How `report` prints lots: an aligned table for people, CSV or JSON for tools. */
public enum ReportFormat {
    TABLE {
        @Override
        public String render(List<LotStatus> lots) {
            StringBuilder out = new StringBuilder(String.format("%-24s %8s %10s %8s %8s %8s %9s %12s  %s%n", "lot", "total",
                    "registered", "rejected", "in_doubt", "pending", "in_flight", "input_errors", "platform"));
            for (LotStatus l : lots) {
                out.append(String.format("%-24s %8d %10d %8d %8d %8d %9d %12d  %s%n", l.lotId(), l.total(), l.registered(),
                        l.rejected(), l.inDoubt(), l.pending(), l.inFlight(), l.inputErrors(), l.platform()).stripTrailing())
                        .append(System.lineSeparator());
            }
            return out.toString();
        }
    },
    CSV {
        @Override
        public String render(List<LotStatus> lots) {
            StringBuilder out = new StringBuilder("lot,total,registered,rejected,in_doubt,pending,in_flight,input_errors,platform\n");
            for (LotStatus l : lots) {
                out.append(csv(l.lotId())).append(',').append(l.total()).append(',').append(l.registered()).append(',')
                        .append(l.rejected()).append(',').append(l.inDoubt()).append(',').append(l.pending()).append(',')
                        .append(l.inFlight()).append(',').append(l.inputErrors()).append(',').append(csv(l.platform())).append('\n');
            }
            return out.toString();
        }
    },
    JSON {
        @Override
        public String render(List<LotStatus> lots) {
            return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(lots) + "\n";
        }
    };

    public abstract String render(List<LotStatus> lots);

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
