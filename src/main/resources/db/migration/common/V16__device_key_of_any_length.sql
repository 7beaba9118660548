-- The contract sets no length on a deviceKey, and one is issued once: a key longer than the 1,000 characters of V2
-- (or its AES-GCM seal, a third longer in base64) made every store of its request fail, the keys stuck in a rescue
-- file, and H2's "value too long" message, which quotes the value's first characters, put part of the key in the
-- log. No limit now (PostgreSQL: no rewrite of the table for a wider VARCHAR).
ALTER TABLE device_registration ALTER COLUMN device_key SET DATA TYPE VARCHAR;
