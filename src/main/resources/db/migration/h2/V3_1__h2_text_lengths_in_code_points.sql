-- H2 only. H2 measures VARCHAR(n) in UTF-16 units, PostgreSQL (and DeviceRules) in characters (code points):
-- on H2 a valid name of 1000 characters outside the Basic Multilingual Plane (emoji, CJK extension B, ...)
-- is 2000 units and overflowed VARCHAR(1000), failing the whole import. Doubling the H2 widths makes every
-- value that fits the documented limits fit here too; the limits themselves are enforced by DeviceRules
-- and SkipLog.truncate, in characters, as before. PostgreSQL keeps the widths of V2.
ALTER TABLE lot_file ALTER COLUMN file_name SET DATA TYPE VARCHAR(2000);
ALTER TABLE device_registration ALTER COLUMN lot_id SET DATA TYPE VARCHAR(200);
ALTER TABLE device_registration ALTER COLUMN prod_id SET DATA TYPE VARCHAR(200);
ALTER TABLE device_registration ALTER COLUMN name SET DATA TYPE VARCHAR(2000);
ALTER TABLE device_registration ALTER COLUMN serial SET DATA TYPE VARCHAR(200);
ALTER TABLE device_registration ALTER COLUMN description SET DATA TYPE VARCHAR(8000);
ALTER TABLE device_registration ALTER COLUMN source SET DATA TYPE VARCHAR(2200);
ALTER TABLE registration_skip ALTER COLUMN lot_id SET DATA TYPE VARCHAR(200);
ALTER TABLE registration_skip ALTER COLUMN source SET DATA TYPE VARCHAR(2200);
ALTER TABLE registration_skip ALTER COLUMN error_url SET DATA TYPE VARCHAR(2000);
ALTER TABLE registration_skip ALTER COLUMN error_description SET DATA TYPE VARCHAR(8000);
