-- What went wrong, most frequent first: the platform's errors by code, and input/validation problems, per lot.
-- Every lot; no parameter (add WHERE lot_id = :'lot' for one).
-- psql -f skips-by-error-code.sql
SELECT lot_id, kind, http_status, error_code, occurrences, unresolved, example_description, example_source
FROM registration_error_summary
ORDER BY occurrences DESC, lot_id, kind, http_status NULLS LAST, error_code NULLS LAST;
