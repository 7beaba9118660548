package io.bulkreg.device;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes registration_skip rows in the caller's transaction. Callers commit skips together with the
 * status change they explain, never in a transaction that Spring Batch may roll back.
 */
@Component
public class SkipLog {

    private static final String INSERT = "INSERT INTO registration_skip (kind, lot_id, source, registration_id, request_id, "
            + "http_status, error_code, error_url, error_description, job_execution_id, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    public SkipLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(List<Skip> skips, Long jobExecutionId) {
        if (skips.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.batchUpdate(INSERT, skips, 500, (ps, s) -> {
            ps.setString(1, s.kind().name());
            ps.setString(2, truncate(s.lotId(), 100));
            ps.setString(3, truncate(s.source(), 1100));
            setLong(ps, 4, s.registrationId());
            ps.setString(5, s.requestId());
            setInt(ps, 6, s.httpStatus());
            setInt(ps, 7, s.errorCode());
            ps.setString(8, truncate(s.errorUrl(), 1000));
            ps.setString(9, truncate(s.errorDescription(), 4000));
            setLong(ps, 10, jobExecutionId);
            ps.setTimestamp(11, now);
        });
    }

    public void record(Skip skip, Long jobExecutionId) {
        record(List.of(skip), jobExecutionId);
    }

    /** A platform's error text or a file name can be longer than the column; the start says what matters. */
    public static String truncate(String s, int max) {
        if (s == null || s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
