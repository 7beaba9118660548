package io.bulkreg.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of one run, for a person: an HTML page (self-contained: inline CSS and SVG, nothing fetched) and the same
 * figures as JSON, under {@code bulkreg.reports.dir}. Per-lot counts, the platform's errors grouped by code with
 * examples, the devices in doubt and what to do about them, devices per second over the run. No credential, no key.
 */
@Component
public class RunReport {

    private static final int EXAMPLES = 3;
    /** Groups told apart by their description alone, per kind (and HTTP status); the rest share one. */
    public static final int DESCRIBED_GROUPS_PER_KIND = 20;
    private static final String OTHERS = "\u0000others";

    private final JdbcClient jdbc;
    private final LotReport lots;
    private final RunFigures figures;
    private final ReportsProperties properties;

    public RunReport(JdbcClient jdbc, LotReport lots, RunFigures figures, ReportsProperties properties) {
        this.jdbc = jdbc;
        this.lots = lots;
        this.figures = figures;
        this.properties = properties;
    }

    public record ErrorGroup(String kind, Integer httpStatus, Integer errorCode, String description, long devices,
            List<String> examples) {
    }

    public record InDoubt(String lot, long devices, String whatToDo) {
    }

    public record Second(long second, long devices) {
    }

    /**
     * @param refusedFiles lot files this run refused whole (not lot files: nothing of them imported)
     * @param unreadableFiles lot files this run could not read, and why
     * @param waitingFiles inbox files this run did not take yet, and why
     * @param storedFromRescue keys this run stored from rescue files: an earlier run's, whose database refused them
     */
    public record Report(long executionId, String status, String started, String ended, double durationSeconds,
            double devicesPerSecond, RunFigures.Figures figures, List<LotStatus> lots, List<ErrorGroup> errors,
            List<InDoubt> inDoubt, List<Second> devicesPerSecondOverTime, List<String> refusedFiles,
            List<String> unreadableFiles, List<String> waitingFiles, long storedFromRescue) {
    }

    /**
     * What only the run's own steps recorded (their execution contexts, which this package does not read); what its
     * requests did is in the tables.
     */
    public record StepRecords(List<String> refusedFiles, List<String> unreadableFiles, List<String> waitingFiles,
            long storedFromRescue) {
    }

    /** Writes run-ID.html and run-ID.json; returns the HTML's path. */
    public Path write(long executionId, String lot, StepRecords steps) throws IOException {
        Report report = of(executionId, lot, steps);
        Path dir = properties.dir();
        Files.createDirectories(dir);
        Path html = dir.resolve("run-" + executionId + ".html");
        Files.writeString(dir.resolve("run-" + executionId + ".json"),
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(html, RunReportHtml.render(report), StandardCharsets.UTF_8);
        return html.toAbsolutePath().normalize();
    }

    public Report of(long executionId, String lot, StepRecords steps) {
        record Times(String status, Timestamp start, Timestamp end) {
        }
        Times t = jdbc.sql("SELECT STATUS, START_TIME, END_TIME FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = :id")
                .param("id", executionId)
                .query((rs, n) -> new Times(rs.getString(1), rs.getTimestamp(2), rs.getTimestamp(3)))
                .single();
        RunFigures.Figures f = figures.of(executionId);
        double seconds = t.start() == null ? 0
                : Math.max(1, (t.end() == null ? System.currentTimeMillis() : t.end().getTime()) - t.start().getTime()) / 1000.0;
        long devices = f.settled();
        List<LotStatus> lotsOfRun = lots.lots(lot);   // as the run's summary shows them
        return new Report(executionId, t.status(), text(t.start()), text(t.end()), seconds,
                seconds == 0 ? 0 : devices / seconds, f, lotsOfRun, errors(executionId), inDoubt(lotsOfRun),
                perSecond(executionId), steps.refusedFiles(), steps.unreadableFiles(), steps.waitingFiles(),
                steps.storedFromRescue());
    }

    private List<ErrorGroup> errors(long executionId) {
        Map<List<Object>, ErrorGroup> groups = new LinkedHashMap<>();
        Map<String, Integer> describedGroups = new HashMap<>();
        jdbc.sql("SELECT kind, http_status, error_code, error_description, COALESCE(source, lot_id) "
                        + "FROM registration_skip WHERE job_execution_id = :id ORDER BY kind, error_code, id")
                .param("id", executionId)
                .query(rs -> {
                    Integer status = (Integer) rs.getObject(2);
                    Integer code = (Integer) rs.getObject(3);
                    String kind = rs.getString(1);
                    String description = rs.getString(4);
                    // Without a code, the description tells errors apart; but input and validation descriptions name
                    // their line or value, so a lot of 50,000 bad lines made as many groups: after the first few of a
                    // kind, the others share one (their lines are in registration_skip).
                    List<Object> key = Arrays.asList(kind, status, code, code == null ? description : null);
                    if (code == null && !groups.containsKey(key)) {
                        int described = describedGroups.merge(kind + "/" + status, 1, Integer::sum);
                        if (described > DESCRIBED_GROUPS_PER_KIND) {
                            key = Arrays.asList(kind, status, null, OTHERS);
                            description = "other " + kind + " errors (each line in registration_skip)";
                        }
                    }
                    ErrorGroup g = groups.get(key);
                    List<String> examples = g == null ? new ArrayList<>() : new ArrayList<>(g.examples());
                    if (examples.size() < EXAMPLES && rs.getString(5) != null) {
                        examples.add(rs.getString(5));
                    }
                    groups.put(key, new ErrorGroup(kind, status, code, g == null ? description : g.description(),
                            g == null ? 1 : g.devices() + 1, examples));
                });
        return groups.values().stream().sorted((a, b) -> Long.compare(b.devices(), a.devices())).toList();
    }

    private static List<InDoubt> inDoubt(List<LotStatus> lots) {
        return lots.stream().filter(l -> l.inDoubt() > 0)
                .map(l -> new InDoubt(l.lotId(), l.inDoubt(), "The platform may hold them without their key here. Look "
                        + "them up (sql/queries/devices-in-doubt.sql), then `bulkreg resolve-in-doubt --lot " + l.lotId()
                        + " --resend` (the next run sends them; one the platform holds is refused as a duplicate serial) "
                        + "or `--reject` (given up)."))
                .toList();
    }

    /** Devices answered in each second of the run, from the write-ahead log's answer times. */
    private List<Second> perSecond(long executionId) {
        // As RunFigures counts: a refusal of several devices is split, not a rejection of them all.
        List<long[]> answers = jdbc.sql("SELECT answered_at, CASE WHEN outcome = 'REGISTERED' THEN device_count ELSE 1 END "
                        + "FROM registration_request WHERE job_execution_id = :id AND answered_at IS NOT NULL "
                        + "AND (outcome = 'REGISTERED' OR (outcome = 'REJECTED' AND device_count = 1)) ORDER BY answered_at")
                .param("id", executionId)
                .query((rs, n) -> new long[] {rs.getTimestamp(1).getTime(), rs.getLong(2)})
                .list();
        if (answers.isEmpty()) {
            return List.of();
        }
        long first = answers.get(0)[0];
        long last = answers.get(answers.size() - 1)[0];
        long[] buckets = new long[(int) ((last - first) / 1000) + 1];
        for (long[] a : answers) {
            buckets[(int) ((a[0] - first) / 1000)] += a[1];
        }
        List<Second> out = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            out.add(new Second(i, buckets[i]));
        }
        return out;
    }

    private static String text(Timestamp t) {
        return t == null ? null : t.toLocalDateTime().withNano(0).toString().replace('T', ' ');
    }

    static String seconds(double s) {
        Duration d = Duration.ofMillis(Math.round(s * 1000));
        return d.toSeconds() < 60 ? String.format(Locale.ROOT, "%.1f s", s)
                : String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    static Instant now() {
        return Instant.now();
    }
}
