package io.bulkreg.lot;

import io.bulkreg.device.DeviceRules;
import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.Skip;
import io.bulkreg.device.SkipLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads one lot file into device_registration, all or nothing: the rows, the skips of the lines that could
 * not be taken and the lot_file record commit together, so a crash mid-file leaves nothing half imported and
 * the next run imports the file whole. The content hash, with how the file is read, makes a second import of
 * the same file a no-op; a file that changes while it is imported is not taken.
 *
 * <p>The file streams through in batches of {@link #BATCH} lines: duplicates are found through the database's
 * indexes (device_registration.identity_sha256, and lot_file_identity for lines that matched a device already
 * there), so memory stays flat whatever the size of the file. The lines are read, normalised and hashed a chunk
 * ahead on a thread of their own ({@link ReadAhead}). On H2 a batch is looked up, then its new devices go in as
 * multi-row INSERTs; on PostgreSQL its lines go in first (ON CONFLICT DO NOTHING) and only those left out are looked
 * up, so a fresh lot costs no lookup per line.
 */
@Component
public class LotImporter {

    private static final Logger log = LoggerFactory.getLogger(LotImporter.class);
    /** Lines per batch: what the import holds in memory at a time, and the size of its lookups. */
    private static final int BATCH = 2000;
    private static final int ROWS_PER_INSERT = 500;
    /** How long an import waits, in attempts, for another import of the same file or devices before leaving it. */
    private static final Duration WAIT_FOR_ANOTHER_IMPORT = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final SkipLog skipLog;
    private final RefusedLotFiles refusedFiles;
    /** The first key of the products' import locks (PostgreSQL advisory locks): "BREG", apart from other users'. */
    static final int PRODUCT_LOCKS = 0x42524547;

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

    /**
     * Imports in a transaction of its own; a file that changed meanwhile is rolled back and "not taken yet". Another
     * import of the same file or of the same devices at the same moment (another worker) makes this one wait for it
     * (the unique indexes of lot_file and device_registration) and fail: it is then tried once more, and sees what
     * the other wrote (the same file already imported, the same devices already there).
     */
    public ImportResult importFile(Path file, Long jobExecutionId) {
        ImportResult result = null;
        long giveUpAt = System.nanoTime() + WAIT_FOR_ANOTHER_IMPORT.toNanos();
        for (int attempt = 1; result == null; attempt++) {
            try {
                result = importOnce(file, jobExecutionId);
            } catch (DuplicateKeyException | PessimisticLockingFailureException | QueryTimeoutException e) {
                // PostgreSQL waits for the other import and then refuses the duplicate; H2 gives up waiting after its
                // lock timeout: either way the other import has written, or is still writing, the same rows.
                if (System.nanoTime() - giveUpAt > 0) {
                    result = ImportResult.notTakenYet(file.toString(), file + ": not taken yet: another import was "
                            + "writing the same file or devices at the same time (" + attempt + " attempts)");
                } else {
                    log.info("{}: another import is writing the same file or devices: importing it again against what "
                            + "it wrote (attempt {})", file, attempt + 1);
                }
            }
        }
        if (result.outcome() == ImportResult.Outcome.REFUSED) {
            log.error("{}", result);
        } else {
            log.info("{}", result);
        }
        return result;
    }

    private ImportResult importOnce(Path file, Long jobExecutionId) {
        // Rows written without an identity (upstream) get one in a short transaction of their own first, so that the
        // long import holds no lock on rows that a registration may be claiming meanwhile.
        transaction.commit(() -> ImportedDevices.giveIdentities(jdbc, jdbcTemplate));
        try {
            // One transaction per file, whatever the caller runs in: a bad third file must not undo the first two.
            return transaction.commit(() -> importWithin(file, jobExecutionId, true));
        } catch (LotFileChangedException e) {
            return ImportResult.notTakenYet(file.toString(), e.getMessage());
        }
    }

    /**
     * Imports in the caller's transaction, which a rehearsal rolls back: without the products' import locks, which would
     * only make other workers' imports wait for what is never written (and, held across a rehearsal's files, in no
     * order, could deadlock with them).
     *
     * @throws LotFileChangedException when the file is not the same at the end as at the start: the caller
     *                                 must roll back what was written
     */
    public ImportResult importWithin(Path file, Long jobExecutionId) {
        return importWithin(file, jobExecutionId, false);
    }

    /** @param lockProducts whether the import takes the products' import locks (Batch#lockProducts) */
    private ImportResult importWithin(Path file, Long jobExecutionId, boolean lockProducts) {
        String name = file.toString();
        String sha256 = sha256(file);
        String readWith = properties.readerOptions().fingerprint();
        List<String> earlier = jdbc.sql("SELECT imported_at FROM lot_file WHERE sha256 = :sha AND (read_with = :with "
                + "OR read_with IS NULL) ORDER BY imported_at").param("sha", sha256).param("with", readWith)
                .query(String.class).list();
        if (!earlier.isEmpty()) {
            return ImportResult.alreadyImported(name, "already imported at " + earlier.get(0) + " (same content)");
        }
        ImportedDevices.giveIdentities(jdbc, jdbcTemplate);
        boolean postgres = isPostgres();
        if (postgres) {
            // Plan each lookup for the table as it is now: a plan cached while the table was near empty (a first
            // import) would keep scanning it whole as it grows within this transaction.
            jdbcTemplate.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        ImportResult loaded = load(file, name, sha256, readWith, jobExecutionId, postgres, postgres && lockProducts);
        if (!sha256.equals(sha256(file))) {
            // Still being copied into the inbox, or edited: what was read is not what the hash names.
            throw new LotFileChangedException(name);
        }
        return loaded;
    }

    private boolean isPostgres() {
        return Boolean.TRUE.equals(jdbcTemplate.execute((ConnectionCallback<Boolean>) c ->
                "PostgreSQL".equals(c.getMetaData().getDatabaseProductName())));
    }

    private ImportResult load(Path file, String name, String sha256, String readWith, Long jobExecutionId,
            boolean postgres, boolean lockProducts) {
        try (LotFileReader reader = LotFileReader.open(file, properties.readerOptions())) {
            // The file's row comes first: the devices name it, and a second import of the same file at the same
            // moment waits on its unique index until this one ends.
            jdbc.sql("INSERT INTO lot_file (file_name, sha256, read_with, lines_read, devices_imported, lines_skipped, "
                    + "lines_already_there, job_execution_id, imported_at) "
                    + "VALUES (:file, :sha, :with, 0, 0, 0, 0, :execution, :now)")
                    .param("file", SkipLog.truncate(name, ColumnWidths.FILE_NAME))
                    .param("sha", sha256)
                    .param("with", readWith)
                    .param("execution", jobExecutionId)
                    .param("now", Timestamp.from(Instant.now()))
                    .update();
            long lotFileId = jdbc.sql("SELECT id FROM lot_file WHERE sha256 = :sha AND read_with = :with")
                    .param("sha", sha256).param("with", readWith).query(Long.class).single();
            boolean lotFromFileName = !reader.lotFile().header().has(LotColumn.LOT);
            Batch batch = new Batch(lotFileId, jobExecutionId, LotFile.lotIdOf(file), lotFromFileName, postgres,
                    lockProducts);
            int linesRead = 0;
            MessageDigest digest = ImportedDevices.digest();   // the reading thread's own
            // Chunks of half a batch: the reading fills one and has one waiting while a batch is written.
            try (ReadAhead<Prepared> lines = new ReadAhead<>(reader::next, BATCH / 2, l -> prepared(l, digest))) {
                for (List<Prepared> chunk = lines.next(); chunk != null; chunk = lines.next()) {
                    for (Prepared line : chunk) {
                        linesRead++;
                        batch.take(line.line(), line.identity());
                        if (batch.size() >= BATCH) {
                            batch.flush();
                        }
                    }
                }
            }
            batch.finish();
            jdbc.sql("UPDATE lot_file SET lines_read = :read, devices_imported = :imported, lines_skipped = :skipped, "
                    + "lines_already_there = :already, imported_at = :now WHERE id = :id")
                    .param("read", linesRead)
                    .param("imported", batch.imported)
                    .param("skipped", batch.skipped)
                    .param("already", batch.alreadyThere)
                    .param("now", Timestamp.from(Instant.now()))
                    .param("id", lotFileId)
                    .update();
            batch.recordLots();
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

    /** A line as the import takes it: normalised, with its identity hash (null for a line that could not be read). */
    private record Prepared(LotLine line, String identity) {
    }

    private static Prepared prepared(LotLine read, MessageDigest digest) {
        LotLine line = normalized(read);
        return new Prepared(line, line.hasError() ? null : identity(line, digest));
    }

    private static String identity(LotLine line, MessageDigest digest) {
        return ImportedDevices.sha256(digest, ImportedDevices.identity(line.lotId(), line.prodId(), line.serial(),
                line.name()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A valid line waiting for its batch to be matched against the table. */
    private record Candidate(LotLine line, boolean isTest, String identity) {
    }

    /**
     * Up to {@link #BATCH} lines at a time, checked for identities already taken in the file or in the table and
     * written; what is kept for the whole file is per lot, never per line. A line repeats an earlier line of the file
     * when its identity is held by a row this import inserted (device_registration.lot_file_id), or was recorded in
     * lot_file_identity by this import (an earlier line that matched a device already there).
     */
    private final class Batch {
        private final long lotFileId;
        private final Long jobExecutionId;
        private final boolean lotFromFileName;
        private final boolean postgres;
        /** Whether each batch takes its products' import locks first (PostgreSQL, not in a rehearsal). */
        private final boolean lockProducts;
        /** Whether earlier imports left open errors with an identity, which lines of this one may resolve. */
        private final boolean openErrorsElsewhere;
        private final ImportedDevices table;
        private final List<Candidate> candidates = new ArrayList<>();
        private final List<Skip> skips = new ArrayList<>();
        /** {lot, identity hash or null} of the lines not taken since the last flush: what lot_input_error records. */
        private final List<String[]> errors = new ArrayList<>();
        /** Whether lot_file_identity holds rows of this import: until then, a fresh import need not ask it. */
        private boolean identitiesRecorded;
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
        /** PostgreSQL: the products whose import lock this file's transaction holds, and whether exclusively. */
        private final Map<String, Boolean> productsLocked = new HashMap<>();

        Batch(long lotFileId, Long jobExecutionId, String fallbackLot, boolean lotFromFileName, boolean postgres,
                boolean lockProducts) {
            this.lotFileId = lotFileId;
            this.lockProducts = lockProducts;
            this.jobExecutionId = jobExecutionId;
            this.fallbackLot = fallbackLot;
            this.lotFromFileName = lotFromFileName;
            this.postgres = postgres;
            this.table = new ImportedDevices(jdbc, lotFromFileName, postgres);
            // Most databases have no open error of an earlier import that a line could resolve: then no batch asks.
            this.openErrorsElsewhere = jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM lot_input_error WHERE resolved_at "
                    + "IS NULL AND identity_sha256 IS NOT NULL AND lot_file_id <> :file FETCH FIRST 1 ROWS ONLY) e")
                    .param("file", lotFileId).query(Integer.class).single() > 0;
        }

        int size() {
            return candidates.size() + skips.size() + awaitingLot.size();
        }

        void take(LotLine line, String identity) {
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
                        identity);
                return;
            }
            Optional<DeviceRules.Violation> violation = DeviceRules.check(line.lotId(), line.prodId(), line.name(),
                    line.serial(), line.description());
            if (violation.isPresent()) {
                skip(Skip.validation(line.lotId(), line.source(), null, violation.get().toString()), identity);
                return;
            }
            candidates.add(new Candidate(line, test.get(), identity));
        }

        private void skip(Skip skip, String identity) {
            skips.add(skip);
            skipped++;
            lot(skip.lotId())[2]++;
            errors.add(new String[] {lotKey(skip.lotId()), identity});
        }

        private int[] lot(String lotId) {
            return byLot.computeIfAbsent(lotKey(lotId), k -> new int[3]);
        }

        private static String lotKey(String lotId) {
            return lotId == null ? "" : SkipLog.truncate(lotId, ColumnWidths.LOT_ID);
        }

        /**
         * One lot_import row per lot of the file; the open errors of an unreadable line (no identity) of these lots
         * from earlier imports are replaced by this one's; the scratch of this import goes.
         */
        void recordLots() {
            List<Object[]> args = new ArrayList<>();
            byLot.forEach((lot, c) -> args.add(new Object[] {lotFileId, lot, jobExecutionId,
                    c[0] + c[1] + c[2], c[0], c[1], c[2]}));
            jdbcTemplate.batchUpdate("INSERT INTO lot_import (lot_file_id, lot_id, job_execution_id, lines_read, "
                    + "devices_imported, lines_already_there, lines_skipped, errors_tracked) VALUES (?, ?, ?, ?, ?, ?, ?, "
                    + "TRUE)", args);
            Timestamp now = Timestamp.from(Instant.now());
            List<String> lots = new ArrayList<>(byLot.keySet());
            for (int from = 0; from < lots.size(); from += BATCH) {
                jdbc.sql("UPDATE lot_input_error SET resolved_at = :now WHERE resolved_at IS NULL AND identity_sha256 "
                        + "IS NULL AND lot_id IN (:lots) AND lot_file_id <> :file").param("now", now)
                        .param("lots", lots.subList(from, Math.min(lots.size(), from + BATCH)))
                        .param("file", lotFileId).update();
            }
            jdbc.sql("DELETE FROM lot_file_identity WHERE lot_file_id = :file").param("file", lotFileId).update();
        }

        /**
         * Marks the open errors of earlier imports with these identities resolved: this import took (or skipped
         * again) the line. An error stays open until a later import takes a line of its identity (a correction
         * file need not resend the whole lot); the same line skipped again replaces it.
         */
        private void resolve(Collection<String> identityHashes, Timestamp now) {
            if (identityHashes.isEmpty() || !openErrorsElsewhere) {
                return;
            }
            jdbc.sql("UPDATE lot_input_error SET resolved_at = :now WHERE resolved_at IS NULL AND identity_sha256 "
                    + "IN (:ids) AND lot_file_id <> :file").param("now", now).param("ids", identityHashes)
                    .param("file", lotFileId).update();
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
            lockProducts();
            Set<String> identities = new LinkedHashSet<>();
            candidates.forEach(c -> identities.add(c.identity()));
            Map<Candidate, String> withoutSerialBefore = importedWithoutSerial();
            Set<String> inserted = postgres ? insertWhereNew(withoutSerialBefore.keySet()) : Set.of();
            identities.removeAll(inserted);
            Map<String, String> seen = identitiesRecorded ? recordedIdentities(identities) : Map.of();
            Map<String, ImportedDevices.Holder> holders = table.holding(identities);
            /* identity -> file:line of its first line in the file, for the candidates of this batch */
            Map<String, String> firstInFile = new HashMap<>();
            List<Candidate> fresh = new ArrayList<>();
            List<Object[]> recorded = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            for (Candidate c : candidates) {
                LotLine line = c.line();
                ImportedDevices.Holder holder = holders.get(c.identity());
                String first = firstInFile.get(c.identity());
                if (first == null) {
                    first = seen.get(c.identity());
                }
                if (first == null && holder != null && Objects.equals(holder.lotFileId(), lotFileId)) {
                    first = holder.source();
                }
                if (first != null) {
                    firstInFile.putIfAbsent(c.identity(), first);
                    skip(Skip.input(line.lotId(), line.source(), describe(line) + " appears twice in the file (first "
                            + "at " + first + "): not imported"), c.identity());
                    continue;
                }
                String source = SkipLog.truncate(line.source(), ColumnWidths.SOURCE);
                firstInFile.put(c.identity(), source);
                String serialless = withoutSerialBefore.get(c);
                if (serialless != null && holder == null) {
                    // The same lot, product and name without serial: the device, imported (or in this file) before
                    // its serial was known. Imported again under its serial, it would be registered twice.
                    conflicts++;
                    skip(Skip.input(line.lotId(), line.source(), describe(line) + " is in the lot without serial ("
                            + serialless + "): not imported, it may be the same device, and a device is never "
                            + "registered twice. A file never adds a serial to a device already imported"), c.identity());
                    recorded.add(new Object[] {lotFileId, c.identity(), source});
                    continue;
                }
                if (inserted.contains(c.identity())) {
                    imported++;
                    lot(line.lotId())[0]++;
                    taken.add(c.identity());
                    continue;
                }
                ImportedDevices.Match match = table.compared(line, c.isTest(), holder);
                switch (match.kind()) {
                    case NEW -> {
                        fresh.add(c);
                        lot(line.lotId())[0]++;
                        taken.add(c.identity());
                    }
                    case SAME -> {
                        // A corrected or cumulative file repeats what was imported: the device is there, all is well.
                        alreadyThere++;
                        lot(line.lotId())[1]++;
                        taken.add(c.identity());
                        recorded.add(new Object[] {lotFileId, c.identity(), source});
                    }
                    case CONFLICT -> {
                        conflicts++;
                        skip(Skip.input(line.lotId(), line.source(), describe(line) + " is already in the table with "
                                + "other content (" + match.holder() + "): " + String.join("; ", match.differences())
                                + ": not imported"), c.identity());
                        recorded.add(new Object[] {lotFileId, c.identity(), source});
                    }
                    case IN_ANOTHER_LOT -> {
                        conflicts++;
                        skip(Skip.input(line.lotId(), line.source(), describe(line) + " is already in lot '"
                                + match.holder().lotId() + "' (" + match.holder() + "): not imported, it may be the same "
                                + "device exported again. The file has no lot column, so its lot is named after the "
                                + "file: a cumulative export must carry a lot column; a new device needs a serial"),
                                c.identity());
                        recorded.add(new Object[] {lotFileId, c.identity(), source});
                    }
                }
            }
            insert(fresh);
            imported += fresh.size();
            if (!recorded.isEmpty()) {
                jdbcTemplate.batchUpdate("INSERT INTO lot_file_identity (lot_file_id, identity_sha256, source) "
                        + "VALUES (?, ?, ?)", recorded);
                identitiesRecorded = true;
            }
            skipLog.record(skips, jobExecutionId);
            Timestamp now = Timestamp.from(Instant.now());
            errors.stream().map(e -> e[1]).filter(Objects::nonNull).forEach(taken::add);
            resolve(taken, now);
            jdbcTemplate.batchUpdate("INSERT INTO lot_input_error (lot_file_id, lot_id, identity_sha256) VALUES (?, ?, ?)",
                    errors.stream().map(e -> new Object[] {lotFileId, e[0], e[1]}).toList());
            candidates.clear();
            skips.clear();
            errors.clear();
        }

        /**
         * On PostgreSQL, before a batch is looked up: the import lock of each of its products, held until the file's
         * transaction ends. A device without serial is found by look-ups that no unique index backs (its name in
         * another lot of the product, for a file without lot column; a line with a serial against a serial-less device
         * of its name), so two workers importing two files at once could each miss the other's row and both insert
         * the device: registered twice, and the platform would not refuse it. A file with lines without serial of the
         * product locks it exclusively; a file whose lines of the product all have a serial shares the lock with the
         * like (their own duplicates meet in the serial's unique index). In product order, so that two files rarely
         * wait on each other in a circle; when they do, PostgreSQL ends one and the import is tried again
         * ({@link #importFile}). H2 holds one worker (docs/operations.md): its imports never overlap.
         */
        private void lockProducts() {
            if (!lockProducts) {
                return;
            }
            Map<String, Boolean> wanted = new TreeMap<>();
            candidates.forEach(c -> wanted.merge(c.line().prodId(), c.line().serial() == null, Boolean::logicalOr));
            wanted.forEach((prod, exclusive) -> {
                Boolean held = productsLocked.get(prod);
                if (held != null && (held || !exclusive)) {
                    return;
                }
                String lock = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
                boolean free = Boolean.TRUE.equals(jdbc.sql("SELECT " + lock.replace("pg_advisory", "pg_try_advisory")
                        + "(:space, hashtext(:prod))").param("space", PRODUCT_LOCKS).param("prod", prod)
                        .query(Boolean.class).single());
                if (!free) {
                    log.info("Product {}: waiting for another import of its devices to end (one file at a time while "
                            + "one of them holds devices without serial)", prod);
                    jdbc.sql("SELECT " + lock + "(:space, hashtext(:prod))").param("space", PRODUCT_LOCKS)
                            .param("prod", prod).query(rs -> { });
                }
                productsLocked.put(prod, exclusive);
            });
        }

        /**
         * The batch's lines with a serial whose lot and product hold a device of the same name without serial, in the
         * table or earlier in this batch, with where that device is: a device first imported without its serial.
         * Looked up only for lots and products that hold devices without serial (one query each per batch).
         */
        private Map<Candidate, String> importedWithoutSerial() {
            Map<String, String> serialless = new HashMap<>();   // name identity -> where, from this batch
            Map<List<String>, Boolean> holds = new HashMap<>();
            Map<Candidate, String> nameIdentities = new LinkedHashMap<>();
            MessageDigest digest = ImportedDevices.digest();
            for (Candidate c : candidates) {
                LotLine line = c.line();
                if (line.serial() == null) {
                    serialless.putIfAbsent(c.identity(), line.source());
                } else if (holds.computeIfAbsent(List.of(line.lotId(), line.prodId()),
                        k -> table.holdsSerialless(line.lotId(), line.prodId()) || batchHoldsSerialless(line))) {
                    nameIdentities.put(c, ImportedDevices.sha256(digest,
                            ImportedDevices.identity(line.lotId(), line.prodId(), null, line.name())));
                }
            }
            Map<Candidate, String> found = new HashMap<>();
            if (nameIdentities.isEmpty()) {
                return found;
            }
            Map<String, ImportedDevices.Holder> held = table.holding(new HashSet<>(nameIdentities.values()));
            nameIdentities.forEach((c, name) -> {
                ImportedDevices.Holder holder = held.get(name);
                if (holder != null && holder.serial() == null) {
                    found.put(c, String.valueOf(holder));
                } else if (serialless.containsKey(name)) {
                    found.put(c, "at " + serialless.get(name));
                }
            });
            return found;
        }

        private boolean batchHoldsSerialless(LotLine withSerial) {
            return candidates.stream().map(Candidate::line).anyMatch(l -> l.serial() == null
                    && l.lotId().equals(withSerial.lotId()) && l.prodId().equals(withSerial.prodId()));
        }

        /** The identities among these that an earlier batch of this import recorded, with their first file:line. */
        private Map<String, String> recordedIdentities(Set<String> identities) {
            Map<String, String> seen = new HashMap<>();
            if (!identities.isEmpty()) {
                (postgres
                        ? jdbc.sql("SELECT r.* FROM unnest(string_to_array(:ids, ',')) AS k(h) CROSS JOIN LATERAL "
                                + "(SELECT identity_sha256, source FROM lot_file_identity WHERE lot_file_id = :file AND "
                                + "identity_sha256 = CAST(k.h AS CHAR(64)) LIMIT 1) r").param("file", lotFileId)
                                .param("ids", String.join(",", identities)) // hex: no comma; one index probe each
                        : jdbc.sql("SELECT identity_sha256, source FROM lot_file_identity WHERE lot_file_id = :file "
                                + "AND identity_sha256 IN (:ids)").param("file", lotFileId).param("ids", identities))
                        .query(rs -> {
                            seen.put(rs.getString(1), rs.getString(2));
                        });
            }
            return seen;
        }

        /**
         * PostgreSQL: inserts the batch's lines that may well be new devices before looking anything up, and returns
         * the identities it inserted. A fresh lot, the usual case, then costs no lookup per line: only the lines
         * whose identity a row already holds (ON CONFLICT DO NOTHING leaves them out) are looked up and reported as
         * before. Left out: a line repeating an earlier line of the batch, and a serial-less line of a file without
         * lot column whose name another lot of the product holds (it is not imported when its identity is new).
         * Another import inserting the same device meanwhile makes this one wait for it: then its row is there,
         * and the line is told apart from it like any device already there.
         */
        private Set<String> insertWhereNew(Set<Candidate> withoutSerialBefore) {
            List<Candidate> first = new ArrayList<>();
            Set<String> inBatch = new HashSet<>();
            for (Candidate c : candidates) {
                if (inBatch.add(c.identity()) && !table.mayBeInAnotherLot(c.line()) && !withoutSerialBefore.contains(c)) {
                    first.add(c);
                }
            }
            Set<String> inserted = new HashSet<>();
            if (first.isEmpty()) {
                return inserted;
            }
            // One statement for the batch, its columns as arrays: parsed and planned once, whatever the rows.
            String[][] columns = new String[7][first.size()];
            Boolean[] isTest = new Boolean[first.size()];
            for (int r = 0; r < first.size(); r++) {
                Candidate c = first.get(r);
                LotLine l = c.line();
                columns[0][r] = l.lotId();
                columns[1][r] = l.prodId();
                columns[2][r] = l.name();
                columns[3][r] = l.serial();
                columns[4][r] = l.description();
                columns[5][r] = SkipLog.truncate(l.source(), ColumnWidths.SOURCE);
                columns[6][r] = c.identity();
                isTest[r] = c.isTest();
            }
            jdbcTemplate.query(INSERT_UNNEST, ps -> {
                Connection con = ps.getConnection();
                ps.setString(1, DeviceStatus.PENDING.name());
                ps.setLong(2, lotFileId);
                for (int i = 0; i < 3; i++) {
                    ps.setArray(3 + i, con.createArrayOf("varchar", columns[i]));
                }
                ps.setArray(6, con.createArrayOf("bool", isTest));
                for (int i = 3; i < 7; i++) {
                    ps.setArray(4 + i, con.createArrayOf("varchar", columns[i]));
                }
            }, rs -> {
                inserted.add(rs.getString(1));
            });
            return inserted;
        }

        /** Multi-row INSERTs of up to {@link #ROWS_PER_INSERT} rows: far fewer statements than one per row. */
        private void insert(List<Candidate> fresh) {
            for (int from = 0; from < fresh.size(); from += ROWS_PER_INSERT) {
                List<Candidate> rows = fresh.subList(from, Math.min(fresh.size(), from + ROWS_PER_INSERT));
                jdbcTemplate.update(insertOf(rows.size()), ps -> setRows(ps, rows));
            }
        }

        private void setRows(PreparedStatement ps, List<Candidate> rows) throws SQLException {
            int i = 1;
            for (Candidate c : rows) {
                LotLine l = c.line();
                ps.setString(i++, l.lotId());
                ps.setString(i++, l.prodId());
                ps.setString(i++, l.name());
                ps.setBoolean(i++, c.isTest());
                ps.setString(i++, l.serial());
                ps.setString(i++, l.description());
                ps.setString(i++, SkipLog.truncate(l.source(), ColumnWidths.SOURCE));
                ps.setString(i++, DeviceStatus.PENDING.name());
                ps.setLong(i++, lotFileId);
                ps.setString(i++, c.identity());
            }
        }

        private String describe(LotLine line) {
            return line.serial() != null
                    ? "serial '" + line.serial() + "' of product '" + line.prodId() + "'"
                    : "the device without serial named '" + line.name() + "' of product '" + line.prodId() + "'"
                            + (lotFromFileName ? "" : " in lot '" + line.lotId() + "'")
                            + " (devices without a serial are told apart by name)";
        }
    }

    private static final String INSERT_COLUMNS = "INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, "
            + "description, source, status, lot_file_id, identity_sha256) VALUES ";
    /** PostgreSQL: a batch's new devices in one statement (see Batch#insertWhereNew). */
    private static final String INSERT_UNNEST = "INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, "
            + "description, source, status, lot_file_id, identity_sha256) SELECT l, p, n, t, s, d, src, ?, ?, h FROM "
            + "unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS BOOLEAN[]), "
            + "CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) "
            + "AS r(l, p, n, t, s, d, src, h) ON CONFLICT (identity_sha256) DO NOTHING RETURNING identity_sha256";
    private static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_FULL = insertOf(ROWS_PER_INSERT);

    private static String insertOf(int rows) {
        if (rows == ROWS_PER_INSERT && INSERT_FULL != null) {
            return INSERT_FULL;
        }
        return INSERT_COLUMNS + String.join(", ", Collections.nCopies(rows, INSERT_ROW));
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
