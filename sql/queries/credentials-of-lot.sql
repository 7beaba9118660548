-- The credentials of one lot, to flash onto the devices. deviceKeys are secrets: mind where this goes
-- (keys stored encrypted, device_key_id not null, come out readable only through `bulkreg export`).
-- psql -v lot=LOT-2026-11-A -f credentials-of-lot.sql
SELECT prod_id, serial, name, device_id, device_key, device_key_id, registered_at
FROM device_registration
WHERE lot_id = :'lot' AND status = 'REGISTERED'
ORDER BY id;
