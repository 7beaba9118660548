-- Every request one run sent and what became of it (replace the execution id).
SELECT request_id, device_count, sent_at, answered_at, outcome, http_status, detail
FROM registration_request
WHERE job_execution_id = 1
ORDER BY sent_at;
