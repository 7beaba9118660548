package io.bulkreg.lot;

import io.bulkreg.registration.DeviceRules;
import io.bulkreg.registration.DeviceStatus;
import io.bulkreg.results.Skip;
import io.bulkreg.results.SkipLog;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final TransactionTemplate transaction;
    private final LotProperties properties;

    public LotImporter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, SkipLog skipLog,
            PlatformTransactionManager transactionManager, LotProperties properties) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.skipLog = skipLog;
        this.transaction = new TransactionTemplate(transactionManager);
        this.properties = properties;
    }

    public ImportResult importFile(Path file, Long jobExecutionId) {
        String name = file.toString();
        String sha256 = sha256(file);
        Optional<String> earlier = jdbc.sql("SELECT imported_at FROM lot_file WHERE sha256 = :sha")
                .param("sha", sha256).query(String.class).optional();
        if (earlier.isPresent()) {
            ImportResult result = new ImportResult(name, ImportResult.Outcome.ALREADY_IMPORTED, 0, 0, 0,
                    "already imported at " + earlier.get() + " (same content)");
            log.info("{}", result);
            return result;
        }
        ImportResult result = transaction.execute(tx -> load(file, name, sha256, jobExecutionId));
        if (result.outcome() == ImportResult.Outcome.REFUSED) {
            log.error("{}", result);
        } else {
            log.info("{}", result);
        }
        return result;
    }

    private ImportResult load(Path file, String name, String sha256, Long jobExecutionId) {
        String fallbackLot = LotFile.lotIdOf(file);
        try (LotFileReader reader = LotFileReader.open(file, properties.maxRecordBytes())) {
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
            if (linesRead == 0) {
                skipLog.record(Skip.input(fallbackLot, name + ":1", "the file has a header but no devices"), jobExecutionId);
            }
            jdbc.sql("INSERT INTO lot_file (file_name, sha256, lines_read, devices_imported, lines_skipped, "
                    + "job_execution_id, imported_at) VALUES (:file, :sha, :read, :imported, :skipped, :execution, :now)")
                    .param("file", SkipLog.truncate(name, 1000))
                    .param("sha", sha256)
                    .param("read", linesRead)
                    .param("imported", batch.imported)
                    .param("skipped", batch.skipped)
                    .param("execution", jobExecutionId)
                    .param("now", Timestamp.from(Instant.now()))
                    .update();
            return new ImportResult(name, ImportResult.Outcome.IMPORTED, linesRead, batch.imported, batch.skipped, null);
        } catch (NotALotFileException e) {
            String source = e.line() == NotALotFileException.NO_LINE ? e.file() : e.file() + ":" + e.line();
            skipLog.record(Skip.input(fallbackLot, source, e.getMessage()), jobExecutionId);
            return new ImportResult(name, ImportResult.Outcome.REFUSED, 0, 0, 0, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lot file " + name, e);
        }
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
        /** (prodId, serial) -> the line that took it first in this file */
        private final Map<String, String> serialsInFile = new HashMap<>();
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
            if (line.serial() != null) {
                String key = line.prodId() + "\u0000" + line.serial();
                String first = serialsInFile.putIfAbsent(key, line.source());
                if (first != null) {
                    skip(Skip.input(line.lotId(), line.source(), "serial '" + line.serial() + "' of product '"
                            + line.prodId() + "' appears twice in the file (first at " + first + "): not imported"));
                    return;
                }
            }
            lines.add(line);
            isTest.add(test.get());
        }

        private void skip(Skip skip) {
            skips.add(skip);
            skipped++;
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
            Map<String, String> taken = serialsInTable(lines);
            for (int i = 0; i < lines.size(); i++) {
                LotLine line = lines.get(i);
                String holder = line.serial() == null ? null : taken.get(line.prodId() + "\u0000" + line.serial());
                if (holder != null) {
                    skip(Skip.input(line.lotId(), line.source(), "serial '" + line.serial() + "' of product '"
                            + line.prodId() + "' is already registered or waiting (" + holder + "): not imported"));
                } else {
                    fresh.add(line);
                    freshTest.add(isTest.get(i));
                }
            }
            insert(fresh, freshTest);
            imported += fresh.size();
            skipLog.record(skips, jobExecutionId);
            lines.clear();
            isTest.clear();
            skips.clear();
        }

        private Map<String, String> serialsInTable(List<LotLine> candidates) {
            List<String> serials = candidates.stream().map(LotLine::serial).filter(s -> s != null).distinct().toList();
            Map<String, String> taken = new HashMap<>();
            if (serials.isEmpty()) {
                return taken;
            }
            jdbc.sql("SELECT prod_id, serial, id, lot_id, status FROM device_registration WHERE serial IN (:serials)")
                    .param("serials", serials)
                    .query(rs -> {
                        taken.put(rs.getString(1) + "\u0000" + rs.getString(2), "row " + rs.getLong(3) + " of lot '"
                                + rs.getString(4) + "', " + rs.getString(5));
                    });
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
