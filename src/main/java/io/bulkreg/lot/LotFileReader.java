package io.bulkreg.lot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a lot file: checks its header on {@link #open}, then yields its lines one by one.
 * A file with a header and no lines simply yields nothing; the caller decides whether that
 * is a problem. Streams the file, so it suits files of any size.
 */
public final class LotFileReader implements AutoCloseable {

    private static final String EMPTY_FILE = "empty file";
    private static final String UNREADABLE_HEADER = "unreadable header: ";

    private final CsvRecordReader records;
    private final LotFile lotFile;

    private LotFileReader(CsvRecordReader records, LotFile lotFile) {
        this.records = records;
        this.lotFile = lotFile;
    }

    public static LotFileReader open(Path path) throws IOException, NotALotFileException {
        return open(path, CsvRecordReader.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @throws NotALotFileException for an empty file (no header record at all; blank lines
     *                              and a lone byte order mark count as empty) or a header
     *                              that is unreadable or not a lot file header
     */
    public static LotFileReader open(Path path, int maxRecordBytes) throws IOException, NotALotFileException {
        InputStream in = Files.newInputStream(path);
        CsvRecordReader records = new CsvRecordReader(in, maxRecordBytes);
        try {
            return new LotFileReader(records, new LotFile(path, readHeader(path, records)));
        } catch (IOException | NotALotFileException | RuntimeException e) {
            records.close();
            throw e;
        }
    }

    private static LotHeader readHeader(Path path, CsvRecordReader records)
            throws IOException, NotALotFileException {
        String file = path.toString();
        CsvRecord header = records.next();
        if (header == null) {
            throw new NotALotFileException(file, NotALotFileException.NO_LINE,
                    NotALotFileException.Problem.EMPTY_FILE, EMPTY_FILE);
        }
        if (header.hasError()) {
            throw new NotALotFileException(file, header.line(),
                    NotALotFileException.Problem.UNREADABLE_HEADER, UNREADABLE_HEADER + header.error());
        }
        try {
            return LotHeader.parse(header.fields());
        } catch (LotHeader.Invalid e) {
            throw new NotALotFileException(file, header.line(), e.problem(), e.getMessage());
        }
    }

    public LotFile lotFile() {
        return lotFile;
    }

    /** @return the next line (possibly carrying an error), or null at end of file */
    public LotLine next() throws IOException {
        CsvRecord record = records.next();
        return record == null ? null : lotFile.toLine(record);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
