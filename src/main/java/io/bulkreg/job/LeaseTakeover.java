package io.bulkreg.job;

import io.bulkreg.device.NewTransaction;
import java.sql.Timestamp;
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
        String stale = staleBefore == null ? "" : " AND heartbeat_at < :staleBefore";
        return newTransaction.commit(() -> {
            var lockable = jdbc.sql("SELECT job_execution_id FROM job_lease WHERE job_execution_id = :id" + stale
                    + " FOR UPDATE SKIP LOCKED")
                    .param("id", executionId);
            if (staleBefore != null) {
                lockable.param("staleBefore", staleBefore);
            }
            if (lockable.query(Long.class).list().isEmpty()) {
                var present = jdbc.sql("SELECT COUNT(*) FROM job_lease WHERE job_execution_id = :id" + stale)
                        .param("id", executionId);
                if (staleBefore != null) {
                    present.param("staleBefore", staleBefore);
                }
                return present.query(Long.class).single() > 0 ? Result.LOCKED_BY_HOLDER : Result.NOT_STALE;
            }
            jdbc.sql("DELETE FROM job_lease WHERE job_execution_id = :id").param("id", executionId).update();
            return Result.TAKEN;
        });
    }
}
