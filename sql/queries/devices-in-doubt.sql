-- Devices the platform may hold without the job holding their key: resolve them before the lot ships.
SELECT d.id, d.lot_id, d.prod_id, d.serial, d.name, d.request_id, r.sent_at, s.http_status, s.error_description
FROM device_registration d
LEFT JOIN registration_request r ON r.request_id = d.request_id
LEFT JOIN registration_skip s ON s.registration_id = d.id AND s.kind = 'IN_DOUBT'
WHERE d.status = 'IN_DOUBT'
ORDER BY d.lot_id, d.id;
