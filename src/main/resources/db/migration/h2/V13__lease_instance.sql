-- As postgresql/V13: the lease names its holder by a random id per process, which claims and stores check. H2 has no
-- partial index; its claims use ix_device_status_lot.
ALTER TABLE job_lease ADD COLUMN instance_id VARCHAR(36);
ALTER TABLE job_lease ADD COLUMN pid_namespace VARCHAR(200);
