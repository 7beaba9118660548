-- The platform each request went to: its registerDevice URL, or 'built-in sandbox'. NULL for requests sent before
-- bulkreg recorded it. A database holds the credentials of one platform unless an operator allows a change.
ALTER TABLE registration_request ADD COLUMN platform VARCHAR(1000);
