package io.bulkreg.cli;

import io.bulkreg.job.JobParameterNames;
import io.bulkreg.results.RunFigures;
import java.io.PrintWriter;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The running and the recent job executions with their figures, and the devices waiting in doubt. "
                + "Reads only; safe while a run goes on.",
        footer = {"", "Example:", "  java -jar bulkreg.jar status --limit 5"})
public class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--limit", defaultValue = "10", paramLabel = "N",
            description = "How many recent executions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    private final JdbcClient jdbc;
    private final RunFigures figures;

    public StatusCommand(JdbcClient jdbc, RunFigures figures) {
        this.jdbc = jdbc;
        this.figures = figures;
    }

    record Execution(long id, String status, LocalDateTime start, LocalDateTime end, String exitDescription,
            String lot, String host, Long pid, boolean stopRequested) {
    }

    private List<Execution> executions(String filterAndOrder) {
        return jdbc.sql("SELECT e.JOB_EXECUTION_ID, e.STATUS, e.START_TIME, e.END_TIME, e.EXIT_MESSAGE, "
                + "(SELECT p.PARAMETER_VALUE FROM BATCH_JOB_EXECUTION_PARAMS p WHERE p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID "
                + "AND p.PARAMETER_NAME = '" + JobParameterNames.LOT + "'), l.host, l.pid, "
                + "(SELECT COUNT(*) FROM stop_request s WHERE s.job_execution_id = e.JOB_EXECUTION_ID) "
                + "FROM BATCH_JOB_EXECUTION e LEFT JOIN job_lease l ON l.job_execution_id = e.JOB_EXECUTION_ID "
                + filterAndOrder)
                .query((rs, n) -> new Execution(rs.getLong(1), rs.getString(2), time(rs.getTimestamp(3)),
                        time(rs.getTimestamp(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8) == null ? null : rs.getLong(8), rs.getLong(9) > 0))
                .list();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Every running execution, however many have begun since: one left out could not be found to be stopped.
        List<Execution> running = executions("WHERE e.STATUS IN (" + Executions.RUNNING.stream().sorted()
                .map(status -> "'" + status + "'").collect(Collectors.joining(", ")) + ") ORDER BY e.JOB_EXECUTION_ID DESC");
        List<Execution> recent = executions("ORDER BY e.JOB_EXECUTION_ID DESC LIMIT " + Math.max(1, limit));
        out.println(running.isEmpty() ? "Running: none." : "Running:");
        running.forEach(e -> print(e, out));
        out.println(recent.isEmpty() ? "No job execution yet." : "Recent executions (newest first):");
        recent.stream().filter(e -> !Executions.RUNNING.contains(e.status())).forEach(e -> print(e, out));
        List<String> inDoubt = jdbc.sql("SELECT lot_id, COUNT(*) FROM device_registration WHERE status = 'IN_DOUBT' "
                        + "GROUP BY lot_id ORDER BY lot_id")
                .query((rs, n) -> rs.getString(1) + ": " + rs.getLong(2))
                .list();
        if (inDoubt.isEmpty()) {
            out.println("Devices in doubt: none.");
        } else {
            out.println("Devices in doubt (the platform may hold them without their key here; decide with "
                    + "`resolve-in-doubt --lot LOT --resend|--reject`, see sql/queries/devices-in-doubt.sql):");
            inDoubt.forEach(l -> out.println("  lot " + l));
        }
        long keptAnswers = jdbc.sql("SELECT COUNT(*) FROM kept_answer WHERE settled_at IS NULL").query(Long.class).single();
        if (keptAnswers > 0) {
            out.println("Answers kept for `reconcile` (they may carry the keys of devices in doubt): " + keptAnswers);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void print(Execution e, PrintWriter out) {
        RunFigures.Figures f = figures.of(e.id());
        long devices = f.settled();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  execution %d  %-9s", e.id(), e.status()));
        if (e.start() != null) {
            LocalDateTime end = e.end() != null ? e.end() : LocalDateTime.now();
            Duration took = Duration.between(e.start(), end);
            line.append(" started ").append(WHEN.format(e.start()));
            line.append(e.end() != null ? ", ended " + WHEN.format(e.end()) : "").append(" (").append(RunPrinter.human(took))
                    .append(String.format(Locale.ROOT, ", %.1f devices/s)", devices / Math.max(took.toMillis() / 1000.0, 0.001)));
        }
        line.append(e.lot() != null ? "  lot " + e.lot() : "  all lots");
        if (e.host() != null) {
            line.append("  on ").append(e.host()).append(" pid ").append(e.pid());
        }
        if (e.stopRequested()) {
            line.append("  [stop requested]");
        }
        out.println(line);
        out.printf("      %d registered, %d rejected, %s%d in doubt, %d requests%n", f.registered(), f.rejected(),
                f.heldByPlatform() > 0 ? f.heldByPlatform() + " already held by the platform, " : "", f.inDoubt(),
                f.requests());
        if ("FAILED".equals(e.status()) && e.exitDescription() != null && !e.exitDescription().isBlank()) {
            String why = e.exitDescription().lines().findFirst().orElse("");
            out.println("      failed: " + (why.length() > 200 ? why.substring(0, 200) + "..." : why)
                    + "  (continue: restart " + e.id() + ")");
        } else if ("STOPPED".equals(e.status())) {
            out.println("      stopped on request (continue: restart " + e.id() + ")");
        }
    }

    private static LocalDateTime time(Timestamp t) {
        return t == null ? null : t.toLocalDateTime();
    }
}
