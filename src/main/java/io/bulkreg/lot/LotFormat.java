package io.bulkreg.lot;

import java.util.List;

/**
 * How a lot file was read, for the operator: its encoding, its separator, the columns left out and the blank
 * rows passed over. Printed once per file by `register` and `rehearse`.
 *
 * @param encoding          e.g. "UTF-8", "UTF-8 with byte order mark", "UTF-16LE with byte order mark"
 * @param separator         the field separator
 * @param separatorDetected true when taken from the header line, false when set by bulkreg.lots.separator
 * @param ignoredColumns    header cells of columns bulkreg does not use, as written
 * @param blankRows         rows whose cells were all empty (Excel writes them as ",,,,,"), skipped
 */
public record LotFormat(String encoding, char separator, boolean separatorDetected, List<String> ignoredColumns,
        long blankRows) {

    public LotFormat {
        ignoredColumns = List.copyOf(ignoredColumns);
    }

    LotFormat withBlankRows(long n) {
        return new LotFormat(encoding, separator, separatorDetected, ignoredColumns, n);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("read as ").append(encoding).append(", separator ")
                .append(Separator.describe(separator)).append(separatorDetected ? " (from the header)" : " (configured)");
        if (!ignoredColumns.isEmpty()) {
            s.append("; columns ignored: ").append(String.join(", ", ignoredColumns.stream().map(c -> "'" + c + "'").toList()));
        }
        if (blankRows > 0) {
            s.append("; ").append(blankRows).append(blankRows == 1 ? " blank row" : " blank rows").append(" passed over");
        }
        return s.toString();
    }
}
