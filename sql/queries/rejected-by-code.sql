-- The devices of one lot that were not registered (REJECTED), grouped by the platform's error code, most
-- frequent code first; a device the job refused before sending has skip_kind VALIDATION and no code.
-- psql -v lot=LOT-2026-11-A -f rejected-by-code.sql
SELECT r.error_code, r.http_status, r.skip_kind, c.devices AS devices_with_code,
       r.registration_id, r.prod_id, r.serial, r.name, r.source, r.error_description
FROM registration_result r
JOIN (SELECT skip_kind, http_status, error_code, COUNT(*) AS devices
      FROM registration_result
      WHERE lot_id = :'lot' AND status = 'REJECTED'
      GROUP BY skip_kind, http_status, error_code) c
  ON  COALESCE(c.skip_kind, '') = COALESCE(r.skip_kind, '')
  AND COALESCE(c.http_status, -1) = COALESCE(r.http_status, -1)
  AND COALESCE(c.error_code, -1) = COALESCE(r.error_code, -1)
WHERE r.lot_id = :'lot' AND r.status = 'REJECTED'
ORDER BY c.devices DESC, r.error_code NULLS LAST, r.registration_id;
