package io.bulkreg.results;

import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Per-lot counts from the results tables (the same figures as sql/queries/results-per-lot.sql). */
@Component
public class LotReport {

    private final JdbcClient jdbc;
    private final NewTransaction transaction;

    public LotReport(JdbcClient jdbc, NewTransaction transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** One skip, as the run summary lists it. */
    public record SkipLine(String kind, String where, Integer httpStatus, Integer errorCode, String description) {
        @Override
        public String toString() {
            // Only the platform's refusals carry its status and code; other descriptions already say what happened.
            String platform = "API".equals(kind) && httpStatus != null
                    ? "HTTP " + httpStatus + (errorCode == null ? "" : " code " + errorCode) + ": " : "";
            return String.format("%-10s %s: %s%s", kind, where, platform, description);
        }
    }

    private static final String SKIP_LINE = "SELECT kind, source, registration_id, lot_id, http_status, error_code, "
            + "error_description FROM registration_skip ";

    /** The skips one job execution recorded, oldest first, at most {@code limit}. */
    public List<SkipLine> skipsOf(long jobExecutionId, int limit) {
        // LIMIT in the statement: a stream cut short here was never closed (its connection held), and PostgreSQL's
        // driver read every skip of the run to give the first few.
        return jdbc.sql(SKIP_LINE + "WHERE job_execution_id = :execution ORDER BY id LIMIT :limit")
                .param("execution", jobExecutionId)
                .param("limit", limit)
                .query(LotReport::skipLine).list();
    }

    /**
     * The skips of no run recorded after row {@code afterId}, oldest first: a rehearsal reads its own before rolling
     * back (its import records them without a run), not those a run commits meanwhile.
     */
    public List<SkipLine> skipsAfter(long afterId) {
        return jdbc.sql(SKIP_LINE + "WHERE id > :after AND job_execution_id IS NULL ORDER BY id")
                .param("after", afterId).query(LotReport::skipLine).list();
    }

    public long lastSkipId() {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM registration_skip").query(Long.class).single();
    }

    private static SkipLine skipLine(ResultSet rs, int n) throws SQLException {
        return new SkipLine(rs.getString(1),
                rs.getString(2) != null ? rs.getString(2) : "row " + rs.getLong(3) + " of lot " + rs.getString(4),
                (Integer) rs.getObject(5, Integer.class), (Integer) rs.getObject(6, Integer.class), rs.getString(7));
    }

    public long skipCountOf(long jobExecutionId) {
        return jdbc.sql("SELECT COUNT(*) FROM registration_skip WHERE job_execution_id = :execution")
                .param("execution", jobExecutionId).query(Long.class).single();
    }

    /** A lot file refused whole, as recorded once per content in refused_lot_file. */
    public record RefusedFile(String file, String reason, String firstRefusedAt, String lastRefusedAt) {
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }

    private static final String REFUSED_FILE = "SELECT file_name, reason, first_refused_at, last_refused_at "
            + "FROM refused_lot_file r ";

    /**
     * Refused files that still need a person: left out once the same content, or a later file of the same
     * name, was imported.
     */
    public List<RefusedFile> refusedFiles() {
        return jdbc.sql(REFUSED_FILE + "WHERE NOT EXISTS (SELECT 1 FROM lot_file f WHERE f.sha256 = r.sha256 "
                + "OR (f.file_name = r.file_name AND f.imported_at > r.last_refused_at)) ORDER BY id")
                .query(LotReport::refusedFile).list();
    }

    private static RefusedFile refusedFile(ResultSet rs, int n) throws SQLException {
        return new RefusedFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    /**
     * Devices REJECTED whose last skip says the platform already holds them (as sql/queries/results-per-lot.sql counts
     * them through the registration_result view; the job reads the tables, not the operators' views): the rest of
     * REJECTED stays rejected (by the platform, by the job's rules, by an operator). A separate statement from the
     * status counts, in the same snapshot.
     */
    private static final String HELD_BY_PLATFORM = "SELECT d.lot_id, COUNT(*) FROM device_registration d "
            + "JOIN registration_skip s ON s.registration_id = d.id AND s.kind = 'HELD_BY_PLATFORM' "
            + "WHERE d.status = 'REJECTED' "
            + "AND s.id = (SELECT MAX(l.id) FROM registration_skip l WHERE l.registration_id = d.id)";

    /**
     * Per lot. Input errors are the lines not taken that no later import took (table lot_input_error): a correction
     * file that resends only the fixed line leaves the other errors counted, and a cumulative file that repeats a
     * bad line counts it once. Lots last imported before lot_input_error existed count the errors of their latest
     * import; lots imported before lot_import existed keep the count of all their input skips. All from one
     * snapshot: a run storing meanwhile cannot count a device in two columns, or in none.
     */
    public List<LotStatus> lots(String lot) {
        return transaction.snapshot(() -> lotsNow(lot));
    }

    private List<LotStatus> lotsNow(String lot) {
        Map<String, long[]> byLot = new TreeMap<>();
        String lotFilter = lot == null ? "" : " WHERE lot_id = :lot";
        var devices = jdbc.sql("SELECT lot_id, status, COUNT(*) FROM device_registration" + lotFilter + " GROUP BY lot_id, status");
        var inputs = jdbc.sql("SELECT lot_id, COUNT(*) FROM registration_skip s WHERE registration_id IS NULL"
                + (lot == null ? "" : " AND lot_id = :lot")
                + " AND NOT EXISTS (SELECT 1 FROM lot_import i WHERE i.lot_id = s.lot_id) GROUP BY lot_id");
        var latestImports = jdbc.sql("SELECT i.lot_id, SUM(i.lines_skipped) FROM lot_import i WHERE i.job_execution_id = "
                + "(SELECT MAX(l.job_execution_id) FROM lot_import l WHERE l.lot_id = i.lot_id)"
                + " AND NOT EXISTS (SELECT 1 FROM lot_import t WHERE t.lot_id = i.lot_id AND t.errors_tracked = TRUE)"
                + (lot == null ? "" : " AND i.lot_id = :lot") + " GROUP BY i.lot_id");
        var openErrors = jdbc.sql("SELECT lot_id, COUNT(*) FROM lot_input_error WHERE resolved_at IS NULL"
                + (lot == null ? "" : " AND lot_id = :lot") + " GROUP BY lot_id");
        var held = jdbc.sql(HELD_BY_PLATFORM + (lot == null ? "" : " AND d.lot_id = :lot") + " GROUP BY d.lot_id");
        if (lot != null) {
            devices = devices.param("lot", lot);
            inputs = inputs.param("lot", lot);
            latestImports = latestImports.param("lot", lot);
            openErrors = openErrors.param("lot", lot);
            held = held.param("lot", lot);
        }
        Map<String, Long> heldByLot = new TreeMap<>();
        held.query(rs -> {
            heldByLot.put(rs.getString(1), rs.getLong(2));
        });
        Map<String, SortedSet<String>> platforms = new TreeMap<>();
        var sentTo = jdbc.sql("SELECT DISTINCT d.lot_id, r.platform FROM device_registration d JOIN registration_request r "
                + "ON r.request_id = d.request_id WHERE r.platform IS NOT NULL" + (lot == null ? "" : " AND d.lot_id = :lot"));
        if (lot != null) {
            sentTo = sentTo.param("lot", lot);
        }
        sentTo.query(rs -> {
            platforms.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
        });
        devices.query(rs -> {
            long[] c = byLot.computeIfAbsent(rs.getString(1), k -> new long[DeviceStatus.values().length + 1]);
            c[DeviceStatus.valueOf(rs.getString(2)).ordinal()] += rs.getLong(3);
        });
        RowCallbackHandler addInputErrors = rs -> {
            String id = rs.getString(1) == null || rs.getString(1).isEmpty() ? "(unknown)" : rs.getString(1);
            long errors = rs.getLong(2);
            long[] c = byLot.get(id);
            if (c == null && errors == 0) {
                return;   // a lot all of whose lines are already there is no lot of its own here
            }
            byLot.computeIfAbsent(id, k -> new long[DeviceStatus.values().length + 1])[DeviceStatus.values().length] += errors;
        };
        inputs.query(addInputErrors);
        latestImports.query(addInputErrors);
        openErrors.query(addInputErrors);
        return byLot.entrySet().stream().map(e -> {
            long[] c = e.getValue();
            long total = 0;
            for (DeviceStatus s : DeviceStatus.values()) {
                total += c[s.ordinal()];
            }
            long heldByPlatform = heldByLot.getOrDefault(e.getKey(), 0L);
            return new LotStatus(e.getKey(), total, c[DeviceStatus.REGISTERED.ordinal()],
                    c[DeviceStatus.REJECTED.ordinal()] - heldByPlatform, heldByPlatform,
                    c[DeviceStatus.IN_DOUBT.ordinal()], c[DeviceStatus.PENDING.ordinal()],
                    c[DeviceStatus.IN_FLIGHT.ordinal()], c[DeviceStatus.values().length],
                    String.join(", ", platforms.getOrDefault(e.getKey(), new TreeSet<>())));
        }).toList();
    }
}
