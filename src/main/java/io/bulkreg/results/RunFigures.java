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
     * @param rejected         devices the platform refused for their content
     * @param heldByPlatform   devices sent again after a doubt that the platform said it already holds: registered
     *                         there (by the request in doubt), their keys not here; status REJECTED, a HELD_BY_PLATFORM
     *                         skip each, and not a refusal of the device
     * @param inDoubt          devices of its requests that ended in doubt
     * @param recoveredInDoubt devices an abandoned run had left in flight, flagged in doubt by this one
     */
    public record Figures(long requests, long registered, long rejected, long heldByPlatform, long inDoubt,
            long recoveredInDoubt) {

        /** The devices this execution's requests settled, one way or another. */
        public long settled() {
            return registered + rejected + heldByPlatform + inDoubt;
        }
    }

    private final JdbcClient jdbc;

    public RunFigures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Figures of(long jobExecutionId) {
        // A single-device refusal is the platform rejecting a device, unless it said it holds the device already (a
        // resend after a doubt: a HELD_BY_PLATFORM skip under that request); a refusal of several is split.
        return jdbc.sql("SELECT COUNT(*), "
                + "COALESCE(SUM(CASE WHEN q.outcome = 'REGISTERED' THEN q.device_count ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN q.outcome = 'REJECTED' AND q.device_count = 1 AND h.request_id IS NULL "
                + "THEN 1 ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN q.outcome = 'REJECTED' AND q.device_count = 1 AND h.request_id IS NOT NULL "
                + "THEN 1 ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN q.outcome = 'IN_DOUBT' THEN q.device_count ELSE 0 END), 0), "
                + "(SELECT COUNT(*) FROM registration_skip s LEFT JOIN registration_request r ON r.request_id = s.request_id "
                + "WHERE s.job_execution_id = :execution AND s.kind = 'IN_DOUBT' "
                + "AND (r.job_execution_id IS NULL OR r.job_execution_id <> :execution)) "
                + "FROM registration_request q LEFT JOIN (SELECT DISTINCT request_id FROM registration_skip "
                + "WHERE job_execution_id = :execution AND kind = 'HELD_BY_PLATFORM') h ON h.request_id = q.request_id "
                + "WHERE q.job_execution_id = :execution")
                .param("execution", jobExecutionId)
                .query((rs, n) -> new Figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6)))
                .single();
    }
}
