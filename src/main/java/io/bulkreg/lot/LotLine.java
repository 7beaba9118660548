package io.bulkreg.lot;

/**
 * One device line of a lot file, as raw text: nothing is trimmed or validated here
 * (a separate validator checks booleans, serial patterns and so on).
 *
 * <p>Null means "no such column in this file"; an empty cell is the empty string.
 * {@code lotId} comes from the lot column, or from the file name when there is none.
 * When {@code error} is set the line could not be read (or had the wrong number of
 * fields) and only {@code file} and {@code line} are meaningful.
 */
public record LotLine(String file, long line, String lotId, String prodId, String name, String isTest,
                      String serial, String description, String error) {

    static LotLine failed(String file, long line, String error) {
        return new LotLine(file, line, null, null, null, null, null, null, error);
    }

    public boolean hasError() {
        return error != null;
    }

    /** "file:line", for messages and reports. */
    public String source() {
        return file + ":" + line;
    }
}
