-- Every device of one lot, where it stands and, for one not registered, why (no deviceKey: see credentials-of-lot.sql).
-- psql -v lot=LOT-2026-11-A -f results-of-lot.sql
SELECT registration_id, prod_id, serial, name, is_test, status, device_id, registered_at,
       skip_kind, http_status, error_code, error_description, resolution, source
FROM registration_result
WHERE lot_id = :'lot'
ORDER BY registration_id;
