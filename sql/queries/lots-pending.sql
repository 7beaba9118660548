-- Lots with work left: devices waiting to be sent (PENDING, or resent after a resolved doubt), sent by a run
-- that has not finished (IN_FLIGHT), or waiting for an operator (IN_DOUBT). Every lot; no parameter.
-- psql -f lots-pending.sql
SELECT lot_id,
       SUM(CASE WHEN status = 'PENDING'   THEN 1 ELSE 0 END) AS pending,
       SUM(CASE WHEN status = 'IN_FLIGHT' THEN 1 ELSE 0 END) AS in_flight,
       SUM(CASE WHEN status = 'IN_DOUBT'  THEN 1 ELSE 0 END) AS in_doubt,
       COUNT(*)                                              AS total,
       MIN(created_at)                                       AS oldest
FROM device_registration
GROUP BY lot_id
HAVING SUM(CASE WHEN status IN ('PENDING', 'IN_FLIGHT', 'IN_DOUBT') THEN 1 ELSE 0 END) > 0
ORDER BY MIN(created_at), lot_id;
