-- Where each lot stands: the device columns of `bulkreg report` (its input_errors column, the lines not taken, is
-- not here: lots-pending.sql and the skips of kind INPUT/VALIDATION say more).
SELECT lot_id,
       COUNT(*)                                               AS total,
       SUM(CASE WHEN status = 'REGISTERED' THEN 1 ELSE 0 END) AS registered,
       SUM(CASE WHEN status = 'REJECTED'   THEN 1 ELSE 0 END) AS rejected,
       SUM(CASE WHEN status = 'IN_DOUBT'   THEN 1 ELSE 0 END) AS in_doubt,
       SUM(CASE WHEN status = 'PENDING'    THEN 1 ELSE 0 END) AS pending,
       SUM(CASE WHEN status = 'IN_FLIGHT'  THEN 1 ELSE 0 END) AS in_flight
FROM device_registration
GROUP BY lot_id
ORDER BY lot_id;
