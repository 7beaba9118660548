-- H2 only. The claims take the next PENDING rows in id order (PendingDevices: ORDER BY status, id). H2 reads them in
-- that order from this index and stops after the few it needs; without it, each claim read and sorted every PENDING
-- row (a lot of a million devices registered at a few devices per second). PostgreSQL has its partial indexes (V13).
CREATE INDEX ix_device_status_id ON device_registration (status, id);
