package io.bulkreg.lot;

/**
 * The file cannot be read as a lot file at all; its lines were not looked at.
 * Checked so that callers must decide how to record the input problem.
 */
public class NotALotFileException extends Exception {

    /** What is wrong; lets callers tell an empty file from a wrong header without parsing text. */
    public enum Problem {
        EMPTY_FILE(false),
        UNREADABLE_HEADER(false),
        MISSING_COLUMN(true),
        UNKNOWN_COLUMN(true),
        DUPLICATE_COLUMN(true);

        private final boolean aboutColumns;

        Problem(boolean aboutColumns) {
            this.aboutColumns = aboutColumns;
        }
    }

    /** Line value when the problem has no line, e.g. an empty file. */
    public static final long NO_LINE = 0;

    private final String file;
    private final long line;
    private final Problem problem;
    private final String reason;

    public NotALotFileException(String file, long line, Problem problem, String reason) {
        this(file, line, problem, reason, null);
    }

    /** @param found the header as read, for problems about columns; null when not known */
    public NotALotFileException(String file, long line, Problem problem, String reason, String found) {
        super(message(file, line, problem, reason, found));
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.reason = reason;
    }

    private static String message(String file, long line, Problem problem, String reason, String found) {
        String where = line == NO_LINE ? file : file + " line " + line;
        String hint = problem.aboutColumns ? " (expected columns: " + LotColumn.EXPECTED_COLUMNS
                + (found == null ? "" : "; found: " + found) + ")" : "";
        return where + ": not a lot file: " + reason + hint;
    }

    /** The message without the file name in front: for a table whose other column holds the file. */
    public String withoutFile() {
        String message = getMessage();
        return message.startsWith(file) ? message.substring(file.length()).replaceFirst("^(: | )", "") : message;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public Problem problem() {
        return problem;
    }

    /** The bare reason, e.g. "empty file" or "missing column 'isTest'". */
    public String reason() {
        return reason;
    }
}
