-- How an operator resolved a device in doubt, and which key encrypted a stored deviceKey.
ALTER TABLE registration_skip ADD COLUMN resolution VARCHAR(16);
ALTER TABLE registration_skip ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
-- NULL: device_key is stored as issued; otherwise the id of the AES-GCM key that encrypted it.
ALTER TABLE device_registration ADD COLUMN device_key_id VARCHAR(100);
