package io.bulkreg.lot;

import io.bulkreg.device.DeviceRules;
import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.Skip;
import io.bulkreg.device.SkipLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads one lot file into device_registration, all or nothing: the rows, the skips of the lines that could
 * not be taken and the lot_file record commit together, so a crash mid-file leaves nothing half imported and
 * the next run imports the file whole. The content hash, with how the file is read, makes a second import of
 * the same file a no-op; a file that changes while it is imported is not taken.
 */
@Component
public class LotImporter {

    private static final Logger log = LoggerFactory.getLogger(LotImporter.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final SkipLog skipLog;
    private final RefusedLotFiles refusedFiles;
    private final NewTransaction transaction;
    private final LotProperties properties;

    public LotImporter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, SkipLog skipLog, RefusedLotFiles refusedFiles,
            NewTransaction transaction, LotProperties properties) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.skipLog = skipLog;
        this.refusedFiles = refusedFiles;
        this.transaction = transaction;
        this.properties = properties;
    }

    /** Imports in a transaction of its own; a file that changed meanwhile is rolled back and "not taken yet". */
    public ImportResult importFile(Path file, Long jobExecutionId) {
        ImportResult result;
        try {
            // One transaction per file, whatever the caller runs in: a bad third file must not undo the first two.
            result = transaction.commit(() -> importWithin(file, jobExecutionId));
        } catch (LotFileChangedException e) {
            result = ImportResult.notTakenYet(file.toString(), e.getMessage());
        }
        if (result.outcome() == ImportResult.Outcome.REFUSED) {
            log.error("{}", result);
        } else {
            log.info("{}", result);
        }
        return result;
    }

    /**
     * Imports in the caller's transaction; a rehearsal rolls it back.
     *
     * @throws LotFileChangedException when the file is not the same at the end as at the start: the caller
     *                                 must roll back what was written
     */
    public ImportResult importWithin(Path file, Long jobExecutionId) {
        String name = file.toString();
        String sha256 = sha256(file);
        String readWith = properties.readerOptions().fingerprint();
        List<String> earlier = jdbc.sql("SELECT imported_at FROM lot_file WHERE sha256 = :sha AND (read_with = :with "
                + "OR read_with IS NULL) ORDER BY imported_at").param("sha", sha256).param("with", readWith)
                .query(String.class).list();
        if (!earlier.isEmpty()) {
            return ImportResult.alreadyImported(name, "already imported at " + earlier.get(0) + " (same content)");
        }
        ImportResult loaded = load(file, name, sha256, readWith, jobExecutionId);
        if (!sha256.equals(sha256(file))) {
            // Still being copied into the inbox, or edited: what was read is not what the hash names.
            throw new LotFileChangedException(name);
        }
        return loaded;
    }

    private ImportResult load(Path file, String name, String sha256, String readWith, Long jobExecutionId) {
        try (LotFileReader reader = LotFileReader.open(file, properties.readerOptions())) {
            boolean lotFromFileName = !reader.lotFile().header().has(LotColumn.LOT);
            Batch batch = new Batch(jobExecutionId, LotFile.lotIdOf(file), lotFromFileName);
            int linesRead = 0;
            for (LotLine line = reader.next(); line != null; line = reader.next()) {
                linesRead++;
                batch.take(normalized(line));
                if (batch.size() >= BATCH) {
                    batch.flush();
                }
            }
            batch.finish();
            jdbc.sql("INSERT INTO lot_file (file_name, sha256, read_with, lines_read, devices_imported, lines_skipped, "
                    + "lines_already_there, job_execution_id, imported_at) "
                    + "VALUES (:file, :sha, :with, :read, :imported, :skipped, :already, :execution, :now)")
                    .param("file", SkipLog.truncate(name, ColumnWidths.FILE_NAME))
                    .param("sha", sha256)
                    .param("with", readWith)
                    .param("read", linesRead)
                    .param("imported", batch.imported)
                    .param("skipped", batch.skipped)
                    .param("already", batch.alreadyThere)
                    .param("execution", jobExecutionId)
                    .param("now", Timestamp.from(Instant.now()))
                    .update();
            long lotFileId = jdbc.sql("SELECT id FROM lot_file WHERE sha256 = :sha AND read_with = :with")
                    .param("sha", sha256).param("with", readWith).query(Long.class).single();
            batch.recordLots(lotFileId);
            return new ImportResult(name, ImportResult.Outcome.IMPORTED, linesRead, batch.imported, batch.alreadyThere,
                    batch.skipped, batch.conflicts, reader.format(), null);
        } catch (NotALotFileException e) {
            return ImportResult.refused(name, refusedFiles.record(name, sha256, e.withoutFile(), jobExecutionId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lot file " + name, e);
        }
    }

    /**
     * The lot and product ids are keys: stored {@link LotText normalised}, so that " prod-w" is prod-w. Names and
     * descriptions are sent as written (whitespace is content) and compared normalised ({@link ImportedDevices}).
     * An empty optional cell means "not given".
     */
    private static LotLine normalized(LotLine l) {
        if (l.hasError()) {
            return l;
        }
        return new LotLine(l.file(), l.line(), LotText.normalized(l.lotId()), LotText.normalized(l.prodId()),
                l.name(), l.isTest(), emptyToNull(l.serial()), emptyToNull(l.description()), null);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Lines waiting to be inserted, checked for identities already taken in the file or in the table. */
    private final class Batch {
        private final Long jobExecutionId;
        private final boolean lotFromFileName;
        private final ImportedDevices table;
        private final List<LotLine> lines = new ArrayList<>();
        private final List<Boolean> isTest = new ArrayList<>();
        /** identity (see {@link #identity}) -> the line that took it first in this file */
        private final Map<String, String> identitiesInFile = new HashMap<>();
        private final List<Skip> skips = new ArrayList<>();
        /** Identities of the lines taken (imported or already there) since the last flush: they resolve errors. */
        private final List<String> taken = new ArrayList<>();
        /** {lot, identity hash or null} of every line not taken: what lot_input_error records. */
        private final List<String[]> errors = new ArrayList<>();
        /**
         * A line that could not be read has no lot of its own; it still belongs to the file's lot, for the report:
         * the lot of the nearest readable line before it, or at the start of the file the first one after it, or
         * (no readable line, or no lot column) the lot named after the file.
         */
        private final String fallbackLot;
        private String lastLot;
        private final List<LotLine> awaitingLot = new ArrayList<>();
        int imported;
        int skipped;
        int alreadyThere;
        int conflicts;
        /** lot -> lines of the lot {imported, already there, skipped}: what lot_import records per lot */
        private final Map<String, int[]> byLot = new TreeMap<>();

        Batch(Long jobExecutionId, String fallbackLot, boolean lotFromFileName) {
            this.jobExecutionId = jobExecutionId;
            this.fallbackLot = fallbackLot;
            this.lotFromFileName = lotFromFileName;
            this.table = new ImportedDevices(jdbc, lotFromFileName);
        }

        int size() {
            return lines.size() + skips.size() + awaitingLot.size();
        }

        void take(LotLine line) {
            if (line.error() != null) {
                if (lastLot != null) {
                    skip(Skip.input(lastLot, line.source(), line.error()), null);
                } else {
                    awaitingLot.add(line);
                }
                return;
            }
            if (line.lotId() != null && !line.lotId().isBlank()) {
                lastLot = line.lotId();
                placeAwaiting(lastLot);
            }
            Optional<Boolean> test = DeviceRules.parseBoolean(line.isTest());
            if (test.isEmpty()) {
                skip(Skip.validation(line.lotId(), line.source(), null, "isTest: must be true or false, found "
                        + (line.isTest() == null || line.isTest().isEmpty() ? "nothing" : "'" + line.isTest() + "'")),
                        identity(line));
                return;
            }
            Optional<DeviceRules.Violation> violation = DeviceRules.check(line.lotId(), line.prodId(), line.name(),
                    line.serial(), line.description());
            if (violation.isPresent()) {
                skip(Skip.validation(line.lotId(), line.source(), null, violation.get().toString()), identity(line));
                return;
            }
            String first = identitiesInFile.putIfAbsent(identity(line), line.source());
            if (first != null) {
                skip(Skip.input(line.lotId(), line.source(), describe(line) + " appears twice in the file (first at "
                        + first + "): not imported"), identity(line));
                return;
            }
            lines.add(line);
            isTest.add(test.get());
        }

        private void skip(Skip skip, String identity) {
            skips.add(skip);
            skipped++;
            lot(skip.lotId())[2]++;
            errors.add(new String[] {lotKey(skip.lotId()), identity == null ? null : sha256(identity)});
        }

        private int[] lot(String lotId) {
            return byLot.computeIfAbsent(lotKey(lotId), k -> new int[3]);
        }

        private static String lotKey(String lotId) {
            return lotId == null ? "" : SkipLog.truncate(lotId, ColumnWidths.LOT_ID);
        }

        /**
         * One lot_import row per lot of the file, and one lot_input_error row per line not taken. An error stays
         * open until a later import takes a line of its identity (a correction file need not resend the whole
         * lot); the same line skipped again replaces it; an unreadable line (no identity) is replaced by the next
         * import of its lot.
         */
        void recordLots(long lotFileId) {
            List<Object[]> args = new ArrayList<>();
            byLot.forEach((lot, c) -> args.add(new Object[] {lotFileId, lot, jobExecutionId,
                    c[0] + c[1] + c[2], c[0], c[1], c[2]}));
            jdbcTemplate.batchUpdate("INSERT INTO lot_import (lot_file_id, lot_id, job_execution_id, lines_read, "
                    + "devices_imported, lines_already_there, lines_skipped, errors_tracked) VALUES (?, ?, ?, ?, ?, ?, ?, "
                    + "TRUE)", args);
            Timestamp now = Timestamp.from(Instant.now());
            resolve(errors.stream().map(e -> e[1]).filter(i -> i != null).distinct().toList(), now);
            List<String> lots = new ArrayList<>(byLot.keySet());
            for (int from = 0; from < lots.size(); from += BATCH) {
                jdbc.sql("UPDATE lot_input_error SET resolved_at = :now WHERE resolved_at IS NULL AND identity_sha256 "
                        + "IS NULL AND lot_id IN (:lots)").param("now", now)
                        .param("lots", lots.subList(from, Math.min(lots.size(), from + BATCH))).update();
            }
            jdbcTemplate.batchUpdate("INSERT INTO lot_input_error (lot_file_id, lot_id, identity_sha256) VALUES (?, ?, ?)",
                    errors.stream().map(e -> new Object[] {lotFileId, e[0], e[1]}).toList());
        }

        /** Marks the open errors of these identities resolved: a later import took (or skipped again) the line. */
        private void resolve(List<String> identityHashes, Timestamp now) {
            for (int from = 0; from < identityHashes.size(); from += BATCH) {
                jdbc.sql("UPDATE lot_input_error SET resolved_at = :now WHERE resolved_at IS NULL AND identity_sha256 "
                        + "IN (:ids)").param("now", now)
                        .param("ids", identityHashes.subList(from, Math.min(identityHashes.size(), from + BATCH)))
                        .update();
            }
        }

        private void placeAwaiting(String lot) {
            awaitingLot.forEach(l -> skip(Skip.input(lot, l.source(), l.error()), null));
            awaitingLot.clear();
        }

        /** Writes what is left; unreadable lines not followed by a readable one go to the lot named after the file. */
        void finish() {
            placeAwaiting(fallbackLot);
            flush();
        }

        void flush() {
            if (awaitingLot.size() >= BATCH) {
                placeAwaiting(fallbackLot); // a long unreadable start: do not hold it in memory
            }
            List<LotLine> fresh = new ArrayList<>();
            List<Boolean> freshTest = new ArrayList<>();
            List<ImportedDevices.Match> matches = table.match(lines, isTest);
            for (int i = 0; i < lines.size(); i++) {
                LotLine line = lines.get(i);
                ImportedDevices.Match match = matches.get(i);
                switch (match.kind()) {
                    case NEW -> {
                        fresh.add(line);
                        freshTest.add(isTest.get(i));
                        lot(line.lotId())[0]++;
                        taken.add(sha256(identity(line)));
                    }
                    case SAME -> {
                        // A corrected or cumulative file repeats what was imported: the device is there, all is well.
                        alreadyThere++;
                        lot(line.lotId())[1]++;
                        taken.add(sha256(identity(line)));
                    }
                    case CONFLICT -> {
                        conflicts++;
                        skip(Skip.input(line.lotId(), line.source(), describe(line) + " is already in the table with "
                                + "other content (" + match.holder() + "): " + String.join("; ", match.differences())
                                + ": not imported"), identity(line));
                    }
                    case IN_ANOTHER_LOT -> {
                        conflicts++;
                        skip(Skip.input(line.lotId(), line.source(), describe(line) + " is already in lot '"
                                + match.holder().lotId() + "' (" + match.holder() + "): not imported, it may be the same "
                                + "device exported again. The file has no lot column, so its lot is named after the "
                                + "file: a cumulative export must carry a lot column; a new device needs a serial"),
                                identity(line));
                    }
                }
            }
            insert(fresh, freshTest);
            imported += fresh.size();
            skipLog.record(skips, jobExecutionId);
            resolve(taken, Timestamp.from(Instant.now()));
            lines.clear();
            isTest.clear();
            skips.clear();
            taken.clear();
        }

        private void insert(List<LotLine> fresh, List<Boolean> freshTest) {
            if (fresh.isEmpty()) {
                return;
            }
            List<Object[]> args = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                LotLine l = fresh.get(i);
                args.add(new Object[] {l.lotId(), l.prodId(), l.name(), freshTest.get(i), l.serial(), l.description(),
                        SkipLog.truncate(l.source(), ColumnWidths.SOURCE), DeviceStatus.PENDING.name()});
            }
            jdbcTemplate.batchUpdate("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, description, "
                    + "source, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", args);
        }

        /**
         * What makes a device the same device on a second import: its serial within the product (the platform's
         * own rule), or, without a serial, its name within the lot and product. Without the latter, a lot file
         * exported again with one more line would register its serial-less devices a second time.
         */
        private String identity(LotLine line) {
            return line.serial() != null
                    ? "serial\u0000" + line.prodId() + "\u0000" + line.serial()
                    : "name\u0000" + line.lotId() + "\u0000" + line.prodId() + "\u0000" + LotText.normalized(line.name());
        }

        private String describe(LotLine line) {
            return line.serial() != null
                    ? "serial '" + line.serial() + "' of product '" + line.prodId() + "'"
                    : "the device without serial named '" + line.name() + "' of product '" + line.prodId() + "'"
                            + (lotFromFileName ? "" : " in lot '" + line.lotId() + "'")
                            + " (devices without a serial are told apart by name)";
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lot file " + file, e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
