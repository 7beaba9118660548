-- H2 only, as V3_1: H2 measures VARCHAR(n) in UTF-16 units, the job truncates in characters (code points).
ALTER TABLE refused_lot_file ALTER COLUMN file_name SET DATA TYPE VARCHAR(2000);
ALTER TABLE refused_lot_file ALTER COLUMN reason SET DATA TYPE VARCHAR(8000);
ALTER TABLE lot_import ALTER COLUMN lot_id SET DATA TYPE VARCHAR(200);
