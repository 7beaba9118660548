package io.bulkreg.lot;

import java.util.List;

/**
 * One CSV record as read by {@link CsvRecordReader}.
 *
 * @param line   1-based physical line on which the record starts
 * @param fields decoded field values; empty when {@code error} is set
 * @param error  null when the record was read cleanly, else a human-readable reason
 */
public record CsvRecord(long line, List<String> fields, String error) {

    public CsvRecord {
        fields = List.copyOf(fields);
    }

    static CsvRecord ok(long line, List<String> fields) {
        return new CsvRecord(line, fields, null);
    }

    static CsvRecord failed(long line, String error) {
        return new CsvRecord(line, List.of(), error);
    }

    public boolean hasError() {
        return error != null;
    }
}
