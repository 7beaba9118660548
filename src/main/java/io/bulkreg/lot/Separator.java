package io.bulkreg.lot;

/** {@code bulkreg.lots.separator}: the field separator of lot files, or AUTO to take it from the header line. */
public enum Separator {
    /** Whichever of comma, semicolon and tab splits the header line into the most lot file columns. */
    AUTO(null),
    COMMA(','),
    /** Excel's "CSV" in locales whose decimal separator is a comma (most of Europe). */
    SEMICOLON(';'),
    /** Excel's "Unicode Text" and many MES exports. */
    TAB('\t');

    private final Character character;

    Separator(Character character) {
        this.character = character;
    }

    /** Null for AUTO. */
    Character character() {
        return character;
    }

    /** For messages: ',' ';' or 'tab'. */
    static String describe(char c) {
        return c == '\t' ? "tab" : "'" + c + "'";
    }
}
