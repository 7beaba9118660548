-- How an upstream system (an MES) hands devices to bulkreg: insert rows with status PENDING.
-- The next run (or the nightly one) registers them. Do not update a row once it left PENDING.
--
-- Rules the job checks before sending (a row that breaks one becomes REJECTED with a VALIDATION skip):
--   lot_id, prod_id, name required; serial, when given, 1 to 49 letters and digits (A-Z, a-z, 0-9);
--   name at most 1000 characters, description at most 4000.
-- (prod_id, serial) is unique: a second row with the same serial for the same product is refused by the
-- database (constraint uq_device_prod_serial), so it can never be sent twice.

INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, description, status)
VALUES ('LOT-2026-11-B', 'mtk-sensor-200', 'Sensor 0001', FALSE, 'SN2611B0001', 'Line 4', 'PENDING');

-- A test device needs no serial; several test devices without a serial are allowed.
INSERT INTO device_registration (lot_id, prod_id, name, is_test, status)
VALUES ('LOT-2026-11-B', 'mtk-sensor-200', 'Bench unit', TRUE, 'PENDING');
