-- The allowed statuses and skip kinds, enforced by the database for upstream writers.
-- PostgreSQL only: H2 2.4.240 answered a later session's UPDATE of a row with "Check constraint invalid"
-- (error 23514) for the same constraint; on H2, the embedded default, the job alone writes these columns.
ALTER TABLE device_registration
    ADD CONSTRAINT ck_device_status CHECK (status IN ('PENDING', 'IN_FLIGHT', 'REGISTERED', 'REJECTED', 'IN_DOUBT'));
ALTER TABLE registration_skip
    ADD CONSTRAINT ck_skip_kind CHECK (kind IN ('INPUT', 'VALIDATION', 'API', 'IN_DOUBT'));
