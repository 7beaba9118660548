package io.bulkreg.lot;

import io.bulkreg.device.DeviceRules;
import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.Skip;
import io.bulkreg.device.SkipLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads one lot file into device_registration, all or nothing: the rows, the skips of the lines that could
 * not be taken and the lot_file record commit together, so a crash mid-file leaves nothing half imported and
 * the next run imports the file whole. The content hash makes a second import of the same file a no-op.
 */
@Component
public class LotImporter {

    private static final Logger log = LoggerFactory.getLogger(LotImporter.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final SkipLog skipLog;
    private final NewTransaction transaction;
    private final LotProperties properties;

    public LotImporter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, SkipLog skipLog, NewTransaction transaction,
            LotProperties properties) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.skipLog = skipLog;
        this.transaction = transaction;
        this.properties = properties;
    }

    public ImportResult importFile(Path file, Long jobExecutionId) {
        // One transaction per file, whatever the caller runs in: a bad third file must not undo the first two.
        ImportResult result = transaction.commit(() -> importWithin(file, jobExecutionId));
        if (result.outcome() == ImportResult.Outcome.REFUSED) {
            log.error("{}", result);
        } else {
            log.info("{}", result);
        }
        return result;
    }

    /** Imports in the caller's transaction; a rehearsal rolls it back. */
    public ImportResult importWithin(Path file, Long jobExecutionId) {
        String name = file.toString();
        String sha256 = sha256(file);
        Optional<String> earlier = jdbc.sql("SELECT imported_at FROM lot_file WHERE sha256 = :sha")
                .param("sha", sha256).query(String.class).optional();
        if (earlier.isPresent()) {
            return ImportResult.alreadyImported(name, "already imported at " + earlier.get() + " (same content)");
        }
        ImportResult loaded = load(file, name, sha256, jobExecutionId);
        if (!sha256.equals(sha256(file))) {
            // Still being copied into the inbox, or edited: what was read is not what the hash names.
            throw new IllegalStateException(name + ": the file changed while it was imported; nothing was "
                    + "imported, the next run tries again");
        }
        return loaded;
    }

    private ImportResult load(Path file, String name, String sha256, Long jobExecutionId) {
        String fallbackLot = LotFile.lotIdOf(file);
        try (LotFileReader reader = LotFileReader.open(file, properties.readerOptions())) {
            Batch batch = new Batch(jobExecutionId, fallbackLot);
            int linesRead = 0;
            for (LotLine line = reader.next(); line != null; line = reader.next()) {
                linesRead++;
                batch.take(normalized(line));
                if (batch.size() >= BATCH) {
                    batch.flush();
                }
            }
            batch.finish();
            jdbc.sql("INSERT INTO lot_file (file_name, sha256, lines_read, devices_imported, lines_skipped, "
                    + "lines_already_there, job_execution_id, imported_at) "
                    + "VALUES (:file, :sha, :read, :imported, :skipped, :already, :execution, :now)")
                    .param("file", SkipLog.truncate(name, 1000))
                    .param("sha", sha256)
                    .param("read", linesRead)
                    .param("imported", batch.imported)
                    .param("skipped", batch.skipped)
                    .param("already", batch.alreadyThere)
                    .param("execution", jobExecutionId)
                    .param("now", Timestamp.from(Instant.now()))
                    .update();
            long lotFileId = jdbc.sql("SELECT id FROM lot_file WHERE sha256 = :sha").param("sha", sha256)
                    .query(Long.class).single();
            batch.recordLots(lotFileId);
            return new ImportResult(name, ImportResult.Outcome.IMPORTED, linesRead, batch.imported, batch.alreadyThere,
                    batch.skipped, batch.conflicts, reader.format(), null);
        } catch (NotALotFileException e) {
            return ImportResult.refused(name, refused(name, sha256, e.withoutFile(), jobExecutionId), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lot file " + name, e);
        }
    }

    /**
     * Records a refused file once per content: the same unchanged file on the next night updates when it was
     * last seen instead of adding an error. A refused file is no lot: nothing goes to registration_skip.
     *
     * @return the reason, and when the same content was refused first if that was in an earlier run
     */
    private String refused(String name, String sha256, String reason, Long jobExecutionId) {
        Timestamp now = Timestamp.from(Instant.now());
        Optional<String> first = jdbc.sql("SELECT first_refused_at FROM refused_lot_file WHERE sha256 = :sha")
                .param("sha", sha256).query(String.class).optional();
        if (first.isPresent()) {
            jdbc.sql("UPDATE refused_lot_file SET file_name = :file, reason = :reason, last_job_execution_id = :execution, "
                    + "last_refused_at = :now WHERE sha256 = :sha")
                    .param("file", SkipLog.truncate(name, 1000)).param("reason", SkipLog.truncate(reason, 4000))
                    .param("execution", jobExecutionId).param("now", now).param("sha", sha256).update();
            return reason + " (the same content was first refused at " + first.get() + ")";
        }
        jdbc.sql("INSERT INTO refused_lot_file (file_name, sha256, reason, first_job_execution_id, last_job_execution_id, "
                + "first_refused_at, last_refused_at) VALUES (:file, :sha, :reason, :execution, :execution, :now, :now)")
                .param("file", SkipLog.truncate(name, 1000)).param("sha", sha256)
                .param("reason", SkipLog.truncate(reason, 4000)).param("execution", jobExecutionId).param("now", now)
                .update();
        return reason;
    }

    /** An empty optional cell means "not given": the serial and description are then left out of the request. */
    private static LotLine normalized(LotLine l) {
        return new LotLine(l.file(), l.line(), l.lotId(), l.prodId(), l.name(),
                l.isTest(), emptyToNull(l.serial()), emptyToNull(l.description()), l.error());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Lines waiting to be inserted, checked for serials already taken in the file or in the table. */
    private final class Batch {
        private final Long jobExecutionId;
        private final List<LotLine> lines = new ArrayList<>();
        private final List<Boolean> isTest = new ArrayList<>();
        /** identity (see {@link #identity}) -> the line that took it first in this file */
        private final Map<String, String> identitiesInFile = new HashMap<>();
        private final List<Skip> skips = new ArrayList<>();
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
        private final Map<String, int[]> byLot = new java.util.TreeMap<>();

        Batch(Long jobExecutionId, String fallbackLot) {
            this.jobExecutionId = jobExecutionId;
            this.fallbackLot = fallbackLot;
        }

        int size() {
            return lines.size() + skips.size() + awaitingLot.size();
        }

        void take(LotLine line) {
            if (line.error() != null) {
                if (lastLot != null) {
                    skip(Skip.input(lastLot, line.source(), line.error()));
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
                        + (line.isTest() == null || line.isTest().isEmpty() ? "nothing" : "'" + line.isTest() + "'")));
                return;
            }
            Optional<DeviceRules.Violation> violation = DeviceRules.check(line.lotId(), line.prodId(), line.name(),
                    line.serial(), line.description());
            if (violation.isPresent()) {
                skip(Skip.validation(line.lotId(), line.source(), null, violation.get().toString()));
                return;
            }
            String first = identitiesInFile.putIfAbsent(identity(line), line.source());
            if (first != null) {
                skip(Skip.input(line.lotId(), line.source(), describe(line) + " appears twice in the file (first at "
                        + first + "): not imported"));
                return;
            }
            lines.add(line);
            isTest.add(test.get());
        }

        private void skip(Skip skip) {
            skips.add(skip);
            skipped++;
            lot(skip.lotId())[2]++;
        }

        private int[] lot(String lotId) {
            return byLot.computeIfAbsent(lotId == null ? "" : lotId, k -> new int[3]);
        }

        /**
         * One lot_import row per lot of the file: a lot's input errors are those of its latest import, so a
         * corrected or cumulative file replaces the count of the night before instead of adding to it.
         */
        void recordLots(long lotFileId) {
            List<Object[]> args = new ArrayList<>();
            byLot.forEach((lot, c) -> args.add(new Object[] {lotFileId, SkipLog.truncate(lot, 100), jobExecutionId,
                    c[0] + c[1] + c[2], c[0], c[1], c[2]}));
            jdbcTemplate.batchUpdate("INSERT INTO lot_import (lot_file_id, lot_id, job_execution_id, lines_read, "
                    + "devices_imported, lines_already_there, lines_skipped) VALUES (?, ?, ?, ?, ?, ?, ?)", args);
        }

        private void placeAwaiting(String lot) {
            awaitingLot.forEach(l -> skip(Skip.input(lot, l.source(), l.error())));
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
            Map<String, Holder> taken = identitiesInTable(lines);
            for (int i = 0; i < lines.size(); i++) {
                LotLine line = lines.get(i);
                Holder holder = taken.get(identity(line));
                if (holder == null) {
                    fresh.add(line);
                    freshTest.add(isTest.get(i));
                    lot(line.lotId())[0]++;
                    continue;
                }
                List<String> differences = holder.differencesFrom(line, isTest.get(i));
                if (differences.isEmpty()) {
                    // A corrected or cumulative file repeats what was imported: the device is there, all is well.
                    alreadyThere++;
                    lot(line.lotId())[1]++;
                } else {
                    conflicts++;
                    skip(Skip.input(line.lotId(), line.source(), describe(line) + " is already in the table with other "
                            + "content (" + holder + "): " + String.join("; ", differences) + ": not imported"));
                }
            }
            insert(fresh, freshTest);
            imported += fresh.size();
            skipLog.record(skips, jobExecutionId);
            lines.clear();
            isTest.clear();
            skips.clear();
        }

        /** Rows already holding the identity of a candidate, whatever their status: a device is imported once. */
        private Map<String, Holder> identitiesInTable(List<LotLine> candidates) {
            Map<String, Holder> taken = new HashMap<>();
            List<String> serials = candidates.stream().map(LotLine::serial).filter(s -> s != null).distinct().toList();
            if (!serials.isEmpty()) {
                jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE serial IN (:serials)")
                        .param("serials", serials)
                        .query(rs -> {
                            Holder h = Holder.of(rs);
                            taken.put(serialIdentity(h.prodId(), h.serial()), h);
                        });
            }
            List<String> names = candidates.stream().filter(l -> l.serial() == null).map(LotLine::name).distinct().toList();
            if (!names.isEmpty()) {
                jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE serial IS NULL AND name IN (:names)")
                        .param("names", names)
                        .query(rs -> {
                            Holder h = Holder.of(rs);
                            taken.put(nameIdentity(h.lotId(), h.prodId(), h.name()), h);
                        });
            }
            return taken;
        }

        private void insert(List<LotLine> fresh, List<Boolean> freshTest) {
            if (fresh.isEmpty()) {
                return;
            }
            List<Object[]> args = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                LotLine l = fresh.get(i);
                args.add(new Object[] {l.lotId(), l.prodId(), l.name(), freshTest.get(i), l.serial(), l.description(),
                        SkipLog.truncate(l.source(), 1100), DeviceStatus.PENDING.name()});
            }
            jdbcTemplate.batchUpdate("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, description, "
                    + "source, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", args);
        }
    }

    /** The row that holds a device's identity, with what a line must repeat to be the same device. */
    private record Holder(long id, String lotId, String prodId, String name, boolean isTest, String serial,
            String description, String status) {

        static final String COLUMNS = "id, lot_id, prod_id, name, is_test, serial, description, status";

        static Holder of(java.sql.ResultSet rs) throws java.sql.SQLException {
            return new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                    rs.getString(6), rs.getString(7), rs.getString(8));
        }

        /** "name 'B' here, 'A' there", one per field that differs; empty when the line is this device. */
        List<String> differencesFrom(LotLine line, boolean lineIsTest) {
            List<String> d = new ArrayList<>();
            differs(d, "lot", line.lotId(), lotId);
            differs(d, "name", line.name(), name);
            differs(d, "isTest", String.valueOf(lineIsTest), String.valueOf(isTest));
            differs(d, "description", line.description(), description);
            return d;
        }

        private static void differs(List<String> out, String field, String here, String there) {
            if (!java.util.Objects.equals(here, there)) {
                out.add(field + " " + shown(here) + " here, " + shown(there) + " there");
            }
        }

        private static String shown(String value) {
            return value == null ? "none" : "'" + SkipLog.truncate(value, 60) + "'";
        }

        @Override
        public String toString() {
            return "row " + id + " of lot '" + lotId + "', " + status;
        }
    }

    /**
     * What makes a device the same device on a second import: its serial within the product (the platform's
     * own rule), or, without a serial, its name within the lot and product. Without the latter, a lot file
     * exported again with one more line would register its serial-less devices a second time.
     */
    private static String identity(LotLine line) {
        return line.serial() != null ? serialIdentity(line.prodId(), line.serial())
                : nameIdentity(line.lotId(), line.prodId(), line.name());
    }

    private static String serialIdentity(String prodId, String serial) {
        return "serial\u0000" + prodId + "\u0000" + serial;
    }

    private static String nameIdentity(String lotId, String prodId, String name) {
        return "name\u0000" + lotId + "\u0000" + prodId + "\u0000" + name;
    }

    private static String describe(LotLine line) {
        return line.serial() != null
                ? "serial '" + line.serial() + "' of product '" + line.prodId() + "'"
                : "the device without serial named '" + line.name() + "' of product '" + line.prodId() + "' in lot '"
                        + line.lotId() + "' (devices without a serial are told apart by name)";
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lot file " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
