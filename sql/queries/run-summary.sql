-- What one run did: per lot, the devices it handled last and where they stand, with the run's status and times.
-- A device handled again by a later run counts for that later run. requests-of-run.sql lists the requests.
-- held_by_platform: devices the platform already held when resent after a doubt (REJECTED, their keys not here).
-- psql -v run=7 -f run-summary.sql
SELECT e.job_execution_id AS run, e.status AS run_status, e.start_time, e.end_time,
       r.lot_id,
       COUNT(r.registration_id)                                 AS devices,
       SUM(CASE WHEN r.status = 'REGISTERED' THEN 1 ELSE 0 END) AS registered,
       SUM(CASE WHEN r.status = 'REJECTED' AND COALESCE(r.skip_kind, '') <> 'HELD_BY_PLATFORM' THEN 1 ELSE 0 END) AS rejected,
       SUM(CASE WHEN r.status = 'REJECTED' AND r.skip_kind = 'HELD_BY_PLATFORM' THEN 1 ELSE 0 END)  AS held_by_platform,
       SUM(CASE WHEN r.status = 'IN_DOUBT'   THEN 1 ELSE 0 END) AS in_doubt,
       SUM(CASE WHEN r.status = 'IN_FLIGHT'  THEN 1 ELSE 0 END) AS in_flight
FROM batch_job_execution e
JOIN registration_result r ON r.job_execution_id = e.job_execution_id
WHERE e.job_execution_id = :run
GROUP BY e.job_execution_id, e.status, e.start_time, e.end_time, r.lot_id
ORDER BY r.lot_id;
