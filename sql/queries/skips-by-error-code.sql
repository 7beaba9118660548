-- What went wrong, most frequent first: the platform's errors by code, and input/validation problems.
SELECT kind, http_status, error_code, MIN(error_description) AS example, COUNT(*) AS devices
FROM registration_skip
GROUP BY kind, http_status, error_code
ORDER BY devices DESC;
