-- H2 only. Devices without a serial are looked up by product and lot (their names are compared by the import,
-- after normalising them); H2 has no partial index, so this one holds every row.
CREATE INDEX ix_device_serialless ON device_registration (prod_id, lot_id);
-- As V3_1: H2 measures VARCHAR(n) in UTF-16 units, the job truncates in characters (code points).
ALTER TABLE lot_input_error ALTER COLUMN lot_id SET DATA TYPE VARCHAR(200);
