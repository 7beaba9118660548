-- A device resent after doubt and refused as already registered gets a skip of its own kind (issue 10, item 5).
-- PostgreSQL only, like the check it widens (V2_1): H2 has no such check.
ALTER TABLE registration_skip DROP CONSTRAINT ck_skip_kind;
ALTER TABLE registration_skip
    ADD CONSTRAINT ck_skip_kind CHECK (kind IN ('INPUT', 'VALIDATION', 'API', 'IN_DOUBT', 'HELD_BY_PLATFORM'));
