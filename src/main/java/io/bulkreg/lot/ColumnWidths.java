package io.bulkreg.lot;

/**
 * Widths, in characters, of the text columns the import writes, as the portable schema declares them
 * (V2, V5, V7; H2 doubles them in UTF-16 units). Longer text is cut with SkipLog.truncate.
 */
final class ColumnWidths {

    static final int FILE_NAME = 1000;
    static final int REASON = 4000;
    static final int LOT_ID = 100;
    static final int SOURCE = 1100;

    private ColumnWidths() {
    }
}
