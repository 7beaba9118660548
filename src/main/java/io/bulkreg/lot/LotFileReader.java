package io.bulkreg.lot;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a lot file: finds its encoding and separator and checks its header on {@link #open}, then yields its
 * lines one by one, passing over blank rows. A file with a header and no lines simply yields nothing; the
 * caller decides whether that is a problem. Streams the file, so it suits files of any size.
 *
 * <p>Encoding: a byte order mark decides (UTF-8, UTF-16LE, UTF-16BE); without one the configured charset, or
 * UTF-8. Anything but UTF-8 is transcoded to UTF-8 on the fly, so {@link CsvRecordReader} keeps working on
 * bytes and line numbers stay those of the file.
 */
public final class LotFileReader implements AutoCloseable {

    /** How files are read; see {@link LotProperties}. {@code charset} null: UTF-8. */
    public record Options(int maxRecordBytes, Separator separator, Charset charset, UnknownColumns unknownColumns) {
        public static final Options DEFAULTS = new Options(CsvRecordReader.DEFAULT_MAX_RECORD_BYTES, Separator.AUTO,
                null, UnknownColumns.IGNORE);

        /**
         * What decides how the lines of a file are read: a file imported one way (its umlauts skipped as not UTF-8)
         * is imported again when read another way (bulkreg.lots.charset set).
         */
        public String fingerprint() {
            String cs = charset == null ? StandardCharsets.UTF_8.name() : charset.name();
            return "charset=" + cs + ";separator=" + separator.name().toLowerCase(Locale.ROOT)
                    + ";max-record-bytes=" + maxRecordBytes;
        }
    }

    private static final String EMPTY_FILE = "empty file";
    private static final String UNREADABLE_HEADER = "unreadable header: ";
    private static final String UTF16_WITHOUT_BOM = "; the file looks like UTF-16 without a byte order mark: re-save "
            + "it as UTF-8 (Excel: \"CSV UTF-8\")";
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
    private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};
    private static final char[] CANDIDATE_SEPARATORS = {',', ';', '\t'};

    private final CsvRecordReader records;
    private final LotFile lotFile;
    private final LotFormat format;
    private long blankRows;

    private LotFileReader(CsvRecordReader records, LotFile lotFile, LotFormat format) {
        this.records = records;
        this.lotFile = lotFile;
        this.format = format;
    }

    public static LotFileReader open(Path path) throws IOException, NotALotFileException {
        return open(path, Options.DEFAULTS);
    }

    public static LotFileReader open(Path path, int maxRecordBytes) throws IOException, NotALotFileException {
        return open(path, new Options(maxRecordBytes, Separator.AUTO, null, UnknownColumns.IGNORE));
    }

    /**
     * @throws NotALotFileException for an empty file (no header record at all; blank lines
     *                              and a lone byte order mark count as empty) or a header
     *                              that is unreadable or not a lot file header
     */
    public static LotFileReader open(Path path, Options options) throws IOException, NotALotFileException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        CsvRecordReader records = null;
        try {
            String encoding;
            String transcodedFrom = null;
            LegacyEncoding.Hint hint = LegacyEncoding.Hint.WINDOWS_1252;
            InputStream utf8;
            if (skipPrefix(raw, UTF16LE_BOM)) {
                encoding = "UTF-16LE with byte order mark";
                transcodedFrom = "UTF-16LE";
                utf8 = new Utf8Transcoder(raw, StandardCharsets.UTF_16LE);
            } else if (skipPrefix(raw, UTF16BE_BOM)) {
                encoding = "UTF-16BE with byte order mark";
                transcodedFrom = "UTF-16BE";
                utf8 = new Utf8Transcoder(raw, StandardCharsets.UTF_16BE);
            } else if (startsWith(raw, UTF8_BOM)) {
                encoding = "UTF-8 with byte order mark";   // CsvRecordReader skips the mark itself
                hint = LegacyEncoding.Hint.RESAVE;
                utf8 = raw;
            } else {
                Utf8Scan scan = Utf8Scan.of(path);
                boolean legacyConfigured = options.charset() != null && !options.charset().equals(StandardCharsets.UTF_8);
                if (legacyConfigured && !scan.isUtf8BeyondAscii()) {
                    encoding = options.charset().name() + " (bulkreg.lots.charset)";
                    transcodedFrom = options.charset().name();
                    utf8 = new Utf8Transcoder(raw, options.charset());
                } else {
                    // UTF-8 with characters beyond ASCII (a bad byte or two are damage) is UTF-8: read as the legacy charset it
                    // would be garbled.
                    encoding = legacyConfigured ? "UTF-8 (valid UTF-8: read as such, not as bulkreg.lots.charset="
                            + options.charset().name() + ")" : "UTF-8";
                    hint = scan.isUtf8BeyondAscii() ? LegacyEncoding.Hint.DAMAGED_LINE : LegacyEncoding.Hint.WINDOWS_1252;
                    utf8 = raw;
                }
            }
            BufferedInputStream text = new BufferedInputStream(utf8, 64 * 1024);
            boolean detected = options.separator() == Separator.AUTO;
            char separator = detected ? detectSeparator(text, options.maxRecordBytes()) : options.separator().character();
            records = new CsvRecordReader(text, options.maxRecordBytes(), separator, transcodedFrom, hint);
            LotHeader header = readHeader(path, records, options.unknownColumns());
            return new LotFileReader(records, new LotFile(path, header),
                    new LotFormat(encoding, separator, detected, header.ignored(), 0));
        } catch (IOException | NotALotFileException | RuntimeException e) {
            if (records != null) {
                records.close();
            } else {
                raw.close();
            }
            throw e;
        }
    }

    private static boolean startsWith(BufferedInputStream in, byte[] prefix) throws IOException {
        in.mark(prefix.length);
        byte[] start = in.readNBytes(prefix.length);
        in.reset();
        return Arrays.equals(start, prefix);
    }

    private static boolean skipPrefix(BufferedInputStream in, byte[] prefix) throws IOException {
        if (!startsWith(in, prefix)) {
            return false;
        }
        in.skipNBytes(prefix.length);
        return true;
    }

    /**
     * The candidate that splits the header record into the most lot file columns; comma when none names any
     * (the header is then refused with what was found). The header is parsed as CSV for each, so a quoted
     * header cell holding another candidate does not mislead the count.
     */
    private static char detectSeparator(BufferedInputStream text, int maxRecordBytes) throws IOException {
        int window = maxRecordBytes + UTF8_BOM.length;
        text.mark(window);
        byte[] start = text.readNBytes(window);
        text.reset();
        char best = CANDIDATE_SEPARATORS[0];
        long bestCount = 0;
        for (char candidate : CANDIDATE_SEPARATORS) {
            try (CsvRecordReader header = new CsvRecordReader(new ByteArrayInputStream(start), maxRecordBytes, candidate, null)) {
                CsvRecord first = header.next();
                long count = first == null || first.hasError() ? 0 : LotHeader.lotColumnsIn(first.fields());
                if (count > bestCount) {
                    best = candidate;
                    bestCount = count;
                }
            }
        }
        return best;
    }

    private static LotHeader readHeader(Path path, CsvRecordReader records, UnknownColumns unknownColumns)
            throws IOException, NotALotFileException {
        String file = path.toString();
        CsvRecord header = records.next();
        if (header == null) {
            throw new NotALotFileException(file, NotALotFileException.NO_LINE,
                    NotALotFileException.Problem.EMPTY_FILE, EMPTY_FILE);
        }
        if (header.hasError()) {
            boolean nul = header.error().equals(CsvRecordReader.ERROR_NUL);
            throw new NotALotFileException(file, header.line(),
                    NotALotFileException.Problem.UNREADABLE_HEADER, UNREADABLE_HEADER + header.error()
                    + (nul && looksLikeUtf16(path) ? UTF16_WITHOUT_BOM : ""));
        }
        try {
            return LotHeader.parse(header.fields(), unknownColumns);
        } catch (LotHeader.Invalid e) {
            throw new NotALotFileException(file, header.line(), e.problem(), e.getMessage(), e.found());
        }
    }

    /** ASCII text in UTF-16 has a NUL in every other byte. */
    private static boolean looksLikeUtf16(Path path) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(path)) {
            start = in.readNBytes(64);
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < start.length; i++) {
            if (start[i] == 0) {
                if (i % 2 == 0) {
                    evenNul++;
                } else {
                    oddNul++;
                }
            }
        }
        int half = start.length / 2;
        return half >= 8 && (evenNul >= half * 3 / 4 || oddNul >= half * 3 / 4);
    }

    public LotFile lotFile() {
        return lotFile;
    }

    /** How the file is being read; {@link LotFormat#blankRows()} counts the blank rows passed over so far. */
    public LotFormat format() {
        return format.withBlankRows(blankRows);
    }

    /** @return the next line (possibly carrying an error), or null at end of file; blank rows are passed over */
    public LotLine next() throws IOException {
        for (CsvRecord record = records.next(); record != null; record = records.next()) {
            if (isBlank(record)) {
                blankRows++;
            } else {
                return lotFile.toLine(record);
            }
        }
        return null;
    }

    /** Excel saves an emptied row as ",,,,,": every cell empty, whatever their number. */
    private static boolean isBlank(CsvRecord record) {
        List<String> fields = record.fields();
        return !record.hasError() && fields.stream().allMatch(String::isBlank);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
