package io.bulkreg.device;

/** One field of a CSV file bulkreg writes (RFC 4180): quoted when it holds a separator, a quote or a line break. */
public final class CsvField {

    private CsvField() {
    }

    /** The field as written; null is the empty field. */
    public static String of(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
