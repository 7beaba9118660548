-- The credentials of one lot, to flash onto the devices. deviceKeys are secrets: mind where this goes.
-- Replace the lot id below (psql: \set lot 'LOT-2026-11-A' and use :'lot').
SELECT prod_id, serial, name, device_id, device_key, registered_at
FROM device_registration
WHERE lot_id = 'LOT-2026-11-A' AND status = 'REGISTERED'
ORDER BY id;
