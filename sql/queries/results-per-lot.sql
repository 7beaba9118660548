-- Where each lot stands: the device columns of `bulkreg report` (its input_errors column, the lines not taken, is
-- not here: lots-pending.sql and the skips of kind INPUT/VALIDATION say more). held_by_platform: devices REJECTED
-- because the platform already holds them (resent after a doubt; registered there, their keys not here), counted apart
-- from those it refused, as `report` and the run's summary count them.
SELECT lot_id,
       COUNT(*)                                                                            AS total,
       SUM(CASE WHEN status = 'REGISTERED' THEN 1 ELSE 0 END)                              AS registered,
       SUM(CASE WHEN status = 'REJECTED' AND COALESCE(skip_kind, '') <> 'HELD_BY_PLATFORM' THEN 1 ELSE 0 END) AS rejected,
       SUM(CASE WHEN status = 'REJECTED' AND skip_kind = 'HELD_BY_PLATFORM' THEN 1 ELSE 0 END)  AS held_by_platform,
       SUM(CASE WHEN status = 'IN_DOUBT'   THEN 1 ELSE 0 END)                              AS in_doubt,
       SUM(CASE WHEN status = 'PENDING'    THEN 1 ELSE 0 END)                              AS pending,
       SUM(CASE WHEN status = 'IN_FLIGHT'  THEN 1 ELSE 0 END)                              AS in_flight
FROM registration_result
GROUP BY lot_id
ORDER BY lot_id;
