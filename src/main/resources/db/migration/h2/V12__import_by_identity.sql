-- The same as postgresql/V12 but for the widths (H2 counts UTF-16 units, see V3_1) and the partial index (H2 has none).
-- The import streams (issue 8, item 3): it keeps no state per line for the whole file, so it asks the database.

-- Which import brought a device (lot_file.id; NULL for upstream rows and rows imported before V12): a line whose
-- device this same import inserted is a line that appears twice in the file.
ALTER TABLE device_registration ADD COLUMN lot_file_id BIGINT;

-- What makes a device the same device, as the import compares it, hashed (SHA-256, hex): its serial within its
-- product, or without a serial its name (normalised) within its lot and product. Set by the import, and filled in
-- by it for rows written without it (upstream, or before V12). Unique: two imports at once cannot both insert one
-- device, serial-less ones included (a name of 1000 characters would not fit a btree index row, its hash does).
-- One column, so that PostgreSQL knows a lookup by it returns one row per value even before any ANALYZE.
ALTER TABLE device_registration ADD COLUMN identity_sha256 CHAR(64);
CREATE UNIQUE INDEX uq_device_identity ON device_registration (identity_sha256);

-- Scratch of a running import: the identities of the lines that matched a device already there (the same, in
-- conflict, or in another lot), with their file:line, so that a second line of one identity is told apart as a
-- duplicate in the file. Emptied when the import ends; nothing stays here.
CREATE TABLE lot_file_identity (
    lot_file_id     BIGINT        NOT NULL,
    identity_sha256 CHAR(64)      NOT NULL,
    source          VARCHAR(2200),
    CONSTRAINT pk_lot_file_identity PRIMARY KEY (lot_file_id, identity_sha256)
);
