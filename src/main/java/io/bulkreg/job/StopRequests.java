package io.bulkreg.job;

import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requests to stop a running execution, written by `bulkreg stop` in any process or on any host and read by the
 * process that runs the execution (table stop_request): Spring Batch's own stop only reaches the same JVM.
 */
@Component
public class StopRequests {

    private final JdbcClient jdbc;

    public StopRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if a stop was already requested for this execution */
    public boolean request(long jobExecutionId) {
        try {
            jdbc.sql("INSERT INTO stop_request (job_execution_id, requested_by) VALUES (:id, :by)")
                    .param("id", jobExecutionId)
                    .param("by", ExecutionLease.host() + " pid " + ProcessHandle.current().pid())
                    .update();
            return true;
        } catch (DuplicateKeyException already) {
            return false;
        }
    }

    /** Who asked, if someone asked this execution to stop. */
    public Optional<String> requestedBy(long jobExecutionId) {
        return jdbc.sql("SELECT requested_by FROM stop_request WHERE job_execution_id = :id")
                .param("id", jobExecutionId)
                .query(String.class)
                .optional();
    }

    void clear(long jobExecutionId) {
        jdbc.sql("DELETE FROM stop_request WHERE job_execution_id = :id").param("id", jobExecutionId).update();
    }
}
