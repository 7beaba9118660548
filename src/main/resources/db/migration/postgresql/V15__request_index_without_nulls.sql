-- PostgreSQL only. Rows waiting to be registered have no request: the index by request_id holds only the rows that
-- have one, so an import does not write an entry of it per device (a sixth of the import's index writes). Every
-- query by request_id compares it with = or IN, which implies IS NOT NULL: they use this index as they used the
-- old one. H2 has no partial index.
DROP INDEX ix_device_request;
CREATE INDEX ix_device_request ON device_registration (request_id) WHERE request_id IS NOT NULL;
