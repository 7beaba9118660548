package io.bulkreg.lot;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming RFC 4180 reader that works on bytes, so that one damaged record is reported
 * with its line number instead of failing the whole file (decoding the stream up front,
 * as most CSV libraries do, turns one bad byte into an exception for the file).
 *
 * <p>Rules: comma separator (or another single-byte separator given to the constructor); double-quote quoting with {@code ""} for a literal quote;
 * quoted fields may hold commas, CR, LF and CRLF; records end at LF, CRLF or a lone CR
 * outside quotes; a UTF-8 byte order mark at the start is skipped; completely empty lines
 * are skipped; a line end before EOF does not make an extra record. Every field must be
 * strict UTF-8 without NUL bytes.
 *
 * <p>Line numbers are physical lines (LF, CRLF and lone CR each count once, inside
 * quotes too), 1-based, giving the line where a record starts.
 *
 * <p>Resynchronisation: after a syntax error (stray or misplaced quote) or when a record
 * exceeds {@code maxRecordBytes}, the rest of the record is discarded up to the next
 * <em>physical</em> line end, ignoring quotes. Quotes are ignored on purpose: the record
 * is already lost, and a broken quote must not be allowed to swallow the rest of the file.
 * A record that went on past a line end inside quotes and then fails (a quote opened and
 * never closed: at the end of the file, at the size limit, or where a later quote closes it
 * in the middle of another line) loses only its first line: the lines after it are read
 * again as records of their own (its bytes are held anyway, up to the limit), so one stray
 * opening quote costs one line, not the thousands after it. The price is that an over-long
 * or broken record that legitimately contains quoted line breaks yields further (erroneous)
 * records for its remaining lines; each is reported with its own line number. Nothing beyond
 * {@code maxRecordBytes} is ever buffered.
 *
 * <p>Error precedence: the first problem met in a record is reported. The byte offset in
 * a UTF-8 error is 0-based from the record's first byte as it is in the file (quotes
 * included), so it can be found with a hex viewer.
 *
 * <p>Not thread-safe.
 */
public final class CsvRecordReader implements AutoCloseable {

    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    static final String ERROR_INVALID_UTF8 = "not valid UTF-8 (byte offset %d in the record)";
    static final String ERROR_INVALID_CHARSET = "not valid %s (bytes that have no character in it)";
    static final String ERROR_NUL = "binary content (NUL byte)";
    static final String ERROR_TOO_LONG = "record longer than %d bytes";
    static final String ERROR_UNTERMINATED_QUOTE = "unterminated quoted field";
    static final String ERROR_QUOTE_IN_UNQUOTED = "quote inside an unquoted field";
    static final String ERROR_AFTER_CLOSING_QUOTE = "unexpected character after the closing quote of a field";
    static final String ERROR_QUOTE_NOT_CLOSED_ON_ITS_LINE = "a quoted field opened on this line does not end properly "
            + "(read on: %s); the lines after it are read on their own";

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int EOF = ByteInput.EOF;
    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int QUOTE = '"';
    private static final int NUL = 0;
    private static final byte[] NOTHING = {};

    private enum State {
        /** Nothing of the current field read yet. */
        FIELD_START,
        UNQUOTED,
        QUOTED,
        /** Inside a quoted field, just after a quote: either "" or the closing quote. */
        QUOTE_IN_QUOTED
    }

    private final ByteInput in;
    private final int maxRecordBytes;
    private final int separator;
    /** Null when the bytes are the file's own UTF-8; else the charset they were transcoded from, for messages. */
    private final String transcodedFrom;
    private final LegacyEncoding.Hint legacyHint;
    private final RecordBytes record;
    private final StrictUtf8 utf8 = new StrictUtf8();
    private long line = 1;

    // Per-record scan state.
    private State state;
    private int fieldStart;
    private boolean fieldHasEscapedQuotes;
    private String error;
    private boolean lostAtLineEnd;
    /** Where the record's bytes after its first line end (inside quotes) begin; -1 while it has none. */
    private int afterFirstLineEnd;
    /** A quoted line end consumed but not taken into the record (the size limit): given back with the rest. */
    private byte[] lostLineEnd;
    /** Whether the quote that closed the current quoted field stood where a field opens (after a separator or a line end). */
    private boolean closedByAnOpeningQuote;

    public CsvRecordReader(InputStream in) {
        this(in, DEFAULT_MAX_RECORD_BYTES);
    }

    public CsvRecordReader(InputStream in, int maxRecordBytes) {
        this(in, maxRecordBytes, ',', null, LegacyEncoding.Hint.NONE);
    }

    /**
     * A reader for lot files: a record that is not UTF-8 also says what legacy encoding it looks like.
     *
     * @param separator     the field separator: an ASCII character other than quote, CR and LF
     * @param transcodedFrom null when {@code in} is the file's own UTF-8; else the charset of the file, whose
     *                      undecodable bytes the transcoder turned into invalid UTF-8 (so the record is refused
     *                      naming that charset)
     */
    public CsvRecordReader(InputStream in, int maxRecordBytes, char separator, String transcodedFrom) {
        this(in, maxRecordBytes, separator, transcodedFrom, LegacyEncoding.Hint.WINDOWS_1252);
    }

    /** @param legacyHint what a record that is not UTF-8 says about the file */
    CsvRecordReader(InputStream in, int maxRecordBytes, char separator, String transcodedFrom,
            LegacyEncoding.Hint legacyHint) {
        this.legacyHint = legacyHint;
        if (separator > 0x7F || separator == QUOTE || separator == CR || separator == LF) {
            throw new IllegalArgumentException("separator must be ASCII and not a quote or line end: " + (int) separator);
        }
        this.separator = separator;
        this.transcodedFrom = transcodedFrom;
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        this.in = new ByteInput(in);
        this.maxRecordBytes = maxRecordBytes;
        this.record = new RecordBytes(maxRecordBytes);
    }

    /** @return the next record, or null at end of input */
    public CsvRecord next() throws IOException {
        in.skipStart(UTF8_BOM);
        int b = in.read();
        while (isLineEnd(b)) {
            consumeLineEnd(b);
            b = in.read();
        }
        if (b == EOF) {
            return null;
        }
        return readRecord(b);
    }

    private CsvRecord readRecord(int first) throws IOException {
        long startLine = line;
        record.clear();
        state = State.FIELD_START;
        error = null;
        lostAtLineEnd = false;
        afterFirstLineEnd = -1;
        lostLineEnd = NOTHING;
        for (int b = first; ; b = in.read()) {
            if (b == EOF) {
                endAtEof();
                if (error != null && afterFirstLineEnd >= 0) {
                    readAgainAfterFirstLine(startLine, NOTHING);
                }
                break;
            }
            if (isLineEnd(b) && state != State.QUOTED) {
                endField();
                consumeLineEnd(b);
                break;
            }
            if (!scan(b)) {
                if (afterFirstLineEnd >= 0 && quoteNeverClosed()) {
                    readAgainAfterFirstLine(startLine, lostAtLineEnd ? lostLineEnd : new byte[] {(byte) b});
                } else if (!lostAtLineEnd) {
                    skipToPhysicalLineEnd();
                }
                break;
            }
        }
        return finish(startLine);
    }

    /**
     * Whether the record failed because a quote it opened never closed where a field can end: still inside it at the
     * size limit, or "closed" by a quote that stood where a field opens (after a separator or a line end: the next
     * quoted field of another line) and was followed by more text. A quoted field closed after text and then followed
     * by a stray character is a field that did close (a description over several lines): its lines are not records.
     */
    private boolean quoteNeverClosed() {
        return state == State.QUOTED || (state == State.QUOTE_IN_QUOTED && closedByAnOpeningQuote);
    }

    /**
     * The record ran past a line end inside quotes and then failed as a quote that never closed: it keeps only its
     * first line (reported), and what followed that line's end is read again, {@code failed} included (bytes the
     * record did not take: the one it failed on, or a line end past the size limit).
     */
    private void readAgainAfterFirstLine(long startLine, byte[] failed) {
        int from = Math.min(afterFirstLineEnd, record.length());
        // A line end lost at the limit that is the first line's own end is not read again: the replay begins after it.
        byte[] tail = afterFirstLineEnd > record.length() ? NOTHING : failed;
        in.giveBack(record.bytes(), from, record.length() - from, tail);
        line = startLine + 1;
        error = ERROR_QUOTE_NOT_CLOSED_ON_ITS_LINE.formatted(error);
    }

    /** Handles one byte that is not a record-ending line end; false when the record is lost. */
    private boolean scan(int b) throws IOException {
        switch (state) {
            case FIELD_START -> {
                fieldHasEscapedQuotes = false;
                if (b == QUOTE) {
                    state = State.QUOTED;
                    boolean kept = append(b);
                    fieldStart = record.length(); // content starts after the opening quote
                    return kept;
                }
                fieldStart = record.length();
                if (b == separator) {
                    endField();
                    return append(b);
                }
                state = State.UNQUOTED;
                return append(b);
            }
            case UNQUOTED -> {
                if (b == QUOTE) {
                    return fail(ERROR_QUOTE_IN_UNQUOTED);
                }
                if (b == separator) {
                    endField();
                }
                return append(b);
            }
            case QUOTED -> {
                if (b == QUOTE) {
                    state = State.QUOTE_IN_QUOTED;
                    int before = record.length() > fieldStart ? record.bytes()[record.length() - 1] & 0xFF : -1;
                    closedByAnOpeningQuote = before == separator || isLineEnd(before);
                } else if (isLineEnd(b)) {
                    return appendQuotedLineEnd(b);
                }
                return append(b);
            }
            case QUOTE_IN_QUOTED -> {
                if (b == QUOTE) {
                    fieldHasEscapedQuotes = true;
                    state = State.QUOTED;
                    return append(b);
                }
                if (b == separator) {
                    endField();
                    return append(b);
                }
                return fail(ERROR_AFTER_CLOSING_QUOTE);
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /** Closes the current field, whose content runs up to (excluding) the current end or closing quote. */
    private void endField() {
        switch (state) {
            case FIELD_START -> record.addField(record.length(), record.length(), false);
            case UNQUOTED -> record.addField(fieldStart, record.length(), false);
            case QUOTE_IN_QUOTED -> record.addField(fieldStart, record.length() - 1, fieldHasEscapedQuotes);
            default -> throw new IllegalStateException(state.name());
        }
        state = State.FIELD_START;
    }

    private void endAtEof() {
        if (state == State.QUOTED) {
            fail(ERROR_UNTERMINATED_QUOTE);
        } else {
            endField();
        }
    }

    private boolean append(int b) {
        if (b == NUL) {
            noteError(ERROR_NUL);
        }
        if (!record.append(b)) {
            return fail(ERROR_TOO_LONG.formatted(maxRecordBytes));
        }
        return true;
    }

    /**
     * A line break inside quotes is content: keep CRLF as two bytes but count one line.
     * The whole line end is consumed first, so a record lost here is already resynchronised.
     */
    private boolean appendQuotedLineEnd(int b) throws IOException {
        boolean crlf = b == CR && in.peek() == LF;
        if (crlf) {
            in.read();
        }
        if (afterFirstLineEnd < 0) {
            afterFirstLineEnd = record.length() + (crlf ? 2 : 1);
        }
        line++;
        if (!append(b)) {
            lostLineEnd = crlf ? new byte[] {CR, LF} : new byte[] {(byte) b};
        } else if (crlf && !append(LF)) {
            lostLineEnd = new byte[] {LF};
        } else {
            return true;
        }
        lostAtLineEnd = true;
        return false;
    }

    private boolean fail(String reason) {
        noteError(reason);
        return false;
    }

    /** The first problem found is the one reported. */
    private void noteError(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    private CsvRecord finish(long startLine) {
        if (error != null) {
            return CsvRecord.failed(startLine, error);
        }
        int invalid = utf8.firstInvalidOffset(record.bytes(), record.length());
        if (invalid != StrictUtf8.VALID) {
            if (transcodedFrom != null) {
                return CsvRecord.failed(startLine, ERROR_INVALID_CHARSET.formatted(transcodedFrom));
            }
            return CsvRecord.failed(startLine, ERROR_INVALID_UTF8.formatted(invalid)
                    + LegacyEncoding.hint(legacyHint, record.bytes(), record.length(), invalid, separator));
        }
        return CsvRecord.ok(startLine, record.fields());
    }

    private void skipToPhysicalLineEnd() throws IOException {
        int b = in.read();
        while (b != EOF && !isLineEnd(b)) {
            b = in.read();
        }
        if (b != EOF) {
            consumeLineEnd(b);
        }
    }

    /** Counts a line end; a CR swallows a directly following LF so that CRLF counts once. */
    private void consumeLineEnd(int b) throws IOException {
        line++;
        if (b == CR && in.peek() == LF) {
            in.read();
        }
    }

    private static boolean isLineEnd(int b) {
        return b == LF || b == CR;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
