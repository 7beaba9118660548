-- Views for the people who query (sql/queries/ builds on them). Portable SQL: the same on H2 and PostgreSQL.
-- Their column names are part of the query contract in sql/README.md: keep them stable.

-- One row per device: where it stands and, for a device not registered, the platform's or the job's last
-- word on it. device_key is left out on purpose: it is a secret (credentials-of-lot.sql reads the table).
CREATE VIEW registration_result AS
SELECT d.id               AS registration_id,
       d.lot_id,
       d.prod_id,
       d.serial,
       d.name,
       d.is_test,
       d.status,
       d.device_id,
       d.registered_at,
       d.job_execution_id,
       d.request_id,
       d.source,
       s.kind              AS skip_kind,
       s.http_status,
       s.error_code,
       s.error_description,
       s.resolution
FROM device_registration d
LEFT JOIN (SELECT registration_id, MAX(id) AS skip_id
           FROM registration_skip
           WHERE registration_id IS NOT NULL
           GROUP BY registration_id) last_skip
       ON last_skip.registration_id = d.id
-- A device registered after a resolved doubt keeps that skip as history; here it shows no error.
LEFT JOIN registration_skip s
       ON s.id = last_skip.skip_id AND d.status IN ('REJECTED', 'IN_DOUBT');

-- What went wrong, per lot: every registration_skip grouped by kind and the platform's status and code, with
-- how often, an example (text and file:line) and when it was first and last seen.
CREATE VIEW registration_error_summary AS
SELECT lot_id,
       kind,
       http_status,
       error_code,
       COUNT(*)                                                            AS occurrences,
       SUM(CASE WHEN kind = 'IN_DOUBT' AND resolution IS NULL THEN 1 ELSE 0 END) AS unresolved,
       MIN(error_description)                                              AS example_description,
       MIN(source)                                                         AS example_source,
       MIN(created_at)                                                     AS first_seen,
       MAX(created_at)                                                     AS last_seen
FROM registration_skip
GROUP BY lot_id, kind, http_status, error_code;
