package io.bulkreg.job;

import io.bulkreg.device.NewTransaction;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Takes the lease of an execution judged abandoned (deletes its job_lease row), without ever waiting on its holder. A
 * holder that is in the middle of a claim or a store keeps its lease row locked until that transaction ends (FOR KEY
 * SHARE on PostgreSQL); a holder on a lost node or frozen in that transaction would keep it for as long as the
 * database keeps the session. Waiting there would hang every later run before its first step: the row is skipped
 * instead, and the execution recovered by a later run.
 */
@Component
class LeaseTakeover {

    enum Result {
        /** The lease row is deleted: the execution is this run's to recover. */
        TAKEN,
        /** Its holder renewed it meanwhile, or another run took it first: nothing to recover. */
        NOT_STALE,
        /** An open transaction of its holder locks the row: not recovered this time. */
        LOCKED_BY_HOLDER
    }

    private final JdbcClient jdbc;
    private final NewTransaction newTransaction;

    LeaseTakeover(JdbcClient jdbc, NewTransaction newTransaction) {
        this.jdbc = jdbc;
        this.newTransaction = newTransaction;
    }

    /** @param staleBefore the beat the lease must still be older than, or null when its holder is known to be gone */
    Result take(long executionId, Timestamp staleBefore) {
        return newTransaction.commit(() -> {
            if (leaseRows("job_execution_id", " FOR UPDATE SKIP LOCKED", executionId, staleBefore).isEmpty()) {
                return leaseRows("COUNT(*)", "", executionId, staleBefore).get(0) > 0 ? Result.LOCKED_BY_HOLDER
                        : Result.NOT_STALE;
            }
            jdbc.sql("DELETE FROM job_lease WHERE job_execution_id = :id").param("id", executionId).update();
            return Result.TAKEN;
        });
    }

    /** {@code SELECT what} of the execution's lease row, if it is (still) older than {@code staleBefore}. */
    private List<Long> leaseRows(String what, String lock, long executionId, Timestamp staleBefore) {
        var select = jdbc.sql("SELECT " + what + " FROM job_lease WHERE job_execution_id = :id"
                        + (staleBefore == null ? "" : " AND heartbeat_at < :staleBefore") + lock)
                .param("id", executionId);
        if (staleBefore != null) {
            select.param("staleBefore", staleBefore);
        }
        return select.query(Long.class).list();
    }
}
