-- Devices the platform may hold without the job holding their key: resolve them before the lot ships
-- (`bulkreg resolve-in-doubt --lot L --resend|--reject`). Every lot; no parameter.
-- psql -f devices-in-doubt.sql
SELECT r.lot_id, r.registration_id, r.prod_id, r.serial, r.name, r.is_test, r.request_id, q.sent_at,
       r.job_execution_id, r.http_status, r.error_description
FROM registration_result r
LEFT JOIN registration_request q ON q.request_id = r.request_id
WHERE r.status = 'IN_DOUBT'
ORDER BY r.lot_id, r.registration_id;
