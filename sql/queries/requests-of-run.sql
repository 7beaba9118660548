-- Every request one run sent and what became of it. The run is the job execution id that the run's summary,
-- `bulkreg report` and run-summary.sql show.
-- psql -v run=7 -f requests-of-run.sql
SELECT request_id, device_count, sent_at, answered_at, outcome, http_status, detail
FROM registration_request
WHERE job_execution_id = :run
ORDER BY sent_at, request_id;
