package io.bulkreg.results;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What one job execution did, from the tables (the write-ahead log {@code registration_request} and the skips it
 * recorded), so the figures are right however many requests ran at once and whichever process reads them.
 */
@Component
public class RunFigures {

    /**
     * @param requests         requests this execution sent
     * @param registered       devices it registered
     * @param rejected         devices the platform refused
     * @param inDoubt          devices of its requests that ended in doubt
     * @param recoveredInDoubt devices an abandoned run had left in flight, flagged in doubt by this one
     */
    public record Figures(long requests, long registered, long rejected, long inDoubt, long recoveredInDoubt) {
    }

    private final JdbcClient jdbc;

    public RunFigures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Figures of(long jobExecutionId) {
        // A single-device refusal is the platform rejecting a device; a refusal of several is split, not a rejection.
        return jdbc.sql("SELECT COUNT(*), "
                + "COALESCE(SUM(CASE WHEN outcome = 'REGISTERED' THEN device_count ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN outcome = 'REJECTED' AND device_count = 1 THEN 1 ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN outcome = 'IN_DOUBT' THEN device_count ELSE 0 END), 0), "
                + "(SELECT COUNT(*) FROM registration_skip s LEFT JOIN registration_request r ON r.request_id = s.request_id "
                + "WHERE s.job_execution_id = :execution AND s.kind = 'IN_DOUBT' "
                + "AND (r.job_execution_id IS NULL OR r.job_execution_id <> :execution)) "
                + "FROM registration_request WHERE job_execution_id = :execution")
                .param("execution", jobExecutionId)
                .query((rs, n) -> new Figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .single();
    }
}
