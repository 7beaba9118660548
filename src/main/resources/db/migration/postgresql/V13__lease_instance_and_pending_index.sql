-- Many workers on one database (issue 8 item 4, issue 10 item 4).
-- The lease names its holder by a random id per process (instance_id), which claims and stores check in SQL: a run
-- whose lease another run took over claims nothing more. Host and pid alone cannot tell two containers with one host
-- name apart; pid_namespace says whether a pid seen in the lease can be looked up here at all. NULL in rows written
-- before this version.
ALTER TABLE job_lease ADD COLUMN instance_id VARCHAR(36);
ALTER TABLE job_lease ADD COLUMN pid_namespace VARCHAR(200);
-- Claims take the next PENDING rows in id order (FOR UPDATE SKIP LOCKED): these partial indexes hold only the waiting
-- rows, so a claim reads a few index entries whatever the number of rows already handled.
CREATE INDEX ix_device_pending ON device_registration (id) WHERE status = 'PENDING';
CREATE INDEX ix_device_pending_lot ON device_registration (lot_id, id) WHERE status = 'PENDING';
