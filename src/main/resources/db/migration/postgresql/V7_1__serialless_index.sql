-- PostgreSQL only. Devices without a serial are looked up by product and lot (their names are compared by the
-- import, after normalising them): a partial index holds only those rows. The name is left out of the index on
-- purpose: a valid name of 1000 characters can exceed the size of a btree index row.
CREATE INDEX ix_device_serialless ON device_registration (prod_id, lot_id) WHERE serial IS NULL;
