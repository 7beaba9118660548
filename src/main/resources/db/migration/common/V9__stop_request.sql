-- `bulkreg stop EXECUTION_ID`, from any process or host: the process running that execution polls this table and
-- stops after the requests in hand (STOPPED, restartable), as on SIGTERM. The row goes when the execution ends.
CREATE TABLE stop_request (
    job_execution_id BIGINT       NOT NULL PRIMARY KEY,
    requested_at     TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL,
    requested_by     VARCHAR(255) NOT NULL
);
