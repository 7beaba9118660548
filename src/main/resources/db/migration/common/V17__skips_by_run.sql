-- The skips of one run (the run's figures, its report, the progress lines every few seconds) were read by scanning
-- the whole table, which grows with every night's input errors and refusals.
CREATE INDEX ix_skip_execution ON registration_skip (job_execution_id);
