package io.bulkreg.lot;

import java.nio.file.Path;

/**
 * A lot file whose header was accepted: knows how to turn its CSV records into {@link LotLine}s.
 *
 * @param path   the file as given by the caller; its text is used in messages and {@link LotLine#file()}
 * @param header column positions from the header row
 */
public record LotFile(Path path, LotHeader header) {

    private static final String WRONG_FIELD_COUNT = "expected %d fields, found %d";
    private static final char EXTENSION_SEPARATOR = '.';

    public String displayName() {
        return path.toString();
    }

    /** Lot id used when the file has no lot column: the file name without its last extension. */
    public String lotIdFromFileName() {
        return lotIdOf(path);
    }

    /** The lot id of a file without a lot column: its name without the last extension. */
    public static String lotIdOf(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf(EXTENSION_SEPARATOR);
        return dot > 0 ? name.substring(0, dot) : name;
    }

    LotLine toLine(CsvRecord record) {
        if (record.hasError()) {
            return LotLine.failed(displayName(), record.line(), record.error());
        }
        if (record.fields().size() != header.size()) {
            return LotLine.failed(displayName(), record.line(),
                    WRONG_FIELD_COUNT.formatted(header.size(), record.fields().size()));
        }
        var fields = record.fields();
        String lotId = header.has(LotColumn.LOT) ? header.cell(LotColumn.LOT, fields) : lotIdFromFileName();
        return new LotLine(displayName(), record.line(), lotId,
                header.cell(LotColumn.PROD_ID, fields),
                header.cell(LotColumn.NAME, fields),
                header.cell(LotColumn.IS_TEST, fields),
                header.cell(LotColumn.SERIAL, fields),
                header.cell(LotColumn.DESCRIPTION, fields),
                null);
    }
}
