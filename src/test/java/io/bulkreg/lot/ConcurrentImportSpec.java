package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.DatabaseSpec;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Two imports at once on one database (two workers offered the same inbox): each device is inserted once, those
 * without a serial included, whose duplicates the platform would not refuse. The importers run in two threads, each
 * with its own connections and transactions, as two processes would. Runs once per database.
 */
@OnEveryDatabase
class ConcurrentImportSpec extends DatabaseSpec {

    /** Lines per file: enough for the two imports to overlap (each takes a good part of a second). */
    private static final int SERIALLED = 4_000;
    private static final int SERIAL_LESS = 2_000;

    @TempDir
    Path dir;

    private TestDatabase db;
    private DataSource connections;

    @BeforeEach
    void migrate() {
        db = TestDatabase.create(database()).migrated();
        connections = db.connectionPerUse();
    }

    @AfterEach
    void drop() {
        if (db != null) {   // null when the PostgreSQL run was skipped before set-up
            db.close();
        }
    }

    @Test
    void givenOneFileImportedByTwoWorkersAtOnce_whenBothEnd_thenEachDeviceIsInsertedOnceAndTheFileRecordedOnce()
            throws Exception {
        Path file = write("LOT-C.csv", lot("LOT-C", true));

        List<ImportResult> results = importAtOnce(file, file);

        assertThat(results).extracting(ImportResult::outcome)
                .containsExactlyInAnyOrder(ImportResult.Outcome.IMPORTED, ImportResult.Outcome.ALREADY_IMPORTED);
        assertEachDeviceOnce("LOT-C", SERIALLED);
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isEqualTo(1);
    }

    @Test
    void givenTwoFilesWithTheSameSerialLessDevicesImportedAtOnce_whenBothEnd_thenEachDeviceIsInsertedOnce()
            throws Exception {
        // Serial-less only: no serial's unique index makes the second import start again; the identity's must hold.
        String content = lot("LOT-D", false);
        Path first = write("LOT-D.csv", content);
        Path second = write("LOT-D-again.csv", content + "\n");   // another content (a blank line more), same devices

        List<ImportResult> results = importAtOnce(first, second);

        assertThat(results).extracting(ImportResult::outcome).containsOnly(ImportResult.Outcome.IMPORTED);
        assertThat(results).extracting(ImportResult::devicesImported).containsExactlyInAnyOrder(SERIAL_LESS, 0);
        assertEachDeviceOnce("LOT-D", 0);
    }

    @Test
    void givenTwoCumulativeExportsWithoutLotColumnImportedAtOnce_whenBothEnd_thenTheirSerialLessDevicesAreInsertedOnce()
            throws Exception {
        // Lots named after the files: the identities differ, only the look-up of the name in the product's other lots
        // finds the device, and two imports at once must not both miss the other's rows.
        Assumptions.assumeTrue(database() == TestDatabase.Kind.POSTGRES,
                "one worker per H2 database (docs/operations.md): its imports never overlap");
        StringBuilder export = new StringBuilder("prodId,name,isTest,serial,description\n");
        for (int i = 1; i <= SERIAL_LESS; i++) {
            export.append("prod-c,Bench ").append(i).append(",false,,\n");
        }
        Path first = write("export-1101.csv", export.toString());
        Path second = write("export-1102.csv", export + "\n");   // another content, the same devices

        List<ImportResult> results = importAtOnce(first, second);

        assertThat(results).extracting(ImportResult::devicesImported).containsExactlyInAnyOrder(SERIAL_LESS, 0);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(SERIAL_LESS);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'INPUT' AND error_description LIKE "
                + "'%is already in lot%'")).isEqualTo(SERIAL_LESS);
    }

    @Test
    void givenAnotherImportHoldingAProduct_whenAFileWithItsSerialLessDevicesIsImported_thenItWaitsForThatImportToEnd()
            throws Exception {
        Assumptions.assumeTrue(database() == TestDatabase.Kind.POSTGRES,
                "one worker per H2 database (docs/operations.md): its imports never overlap");
        Path file = write("LOT-E.csv", lot("LOT-E", false));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection otherImport = connections.getConnection()) {
            holdImportLockOf("prod-c", otherImport);
            Future<ImportResult> result = thread.submit(() -> importer().importFile(file, null));
            Thread.sleep(500);
            assertThat(result).as("waiting").isNotDone();

            otherImport.close();   // its transaction ends: the lock goes with its connection

            assertThat(result.get(30, TimeUnit.SECONDS).devicesImported()).isEqualTo(SERIAL_LESS);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void givenAnotherImportHoldingAProduct_whenAFileOfItIsRehearsed_thenTheRehearsalDoesNotWait() throws Exception {
        Assumptions.assumeTrue(database() == TestDatabase.Kind.POSTGRES,
                "one worker per H2 database (docs/operations.md): its imports never overlap");
        Path file = write("LOT-F.csv", lot("LOT-F", false));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection otherImport = connections.getConnection()) {
            holdImportLockOf("prod-c", otherImport);

            Future<ImportResult> rehearsed = thread.submit(() -> new NewTransaction(
                    new DataSourceTransactionManager(connections)).rolledBack(tx -> importer().importWithin(file, null)));

            assertThat(rehearsed.get(30, TimeUnit.SECONDS).devicesImported()).isEqualTo(SERIAL_LESS);
        } finally {
            thread.shutdownNow();
        }
        assertThat(count("SELECT COUNT(*) FROM device_registration")).as("rolled back").isZero();
    }

    /** The product's import lock, as another worker's import of a file with its serial-less devices holds it. */
    private static void holdImportLockOf(String prodId, Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, LotImporter.PRODUCT_LOCKS);
            lock.setString(2, prodId);
            lock.executeQuery().close();
        }
    }

    private void assertEachDeviceOnce(String lot, int serialled) {
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE serial IS NOT NULL")).isEqualTo(serialled);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE serial IS NULL")).isEqualTo(SERIAL_LESS);
        assertThat(count("SELECT COUNT(DISTINCT name) FROM device_registration WHERE serial IS NULL AND lot_id = ?", lot))
                .isEqualTo(SERIAL_LESS);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    private List<ImportResult> importAtOnce(Path a, Path b) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ImportResult>> futures = new ArrayList<>();
            for (Path file : List.of(a, b)) {
                LotImporter importer = importer();   // one per worker, as in two processes
                futures.add(threads.submit(() -> {
                    start.await();
                    return importer.importFile(file, null);
                }));
            }
            start.countDown();
            List<ImportResult> results = new ArrayList<>();
            for (Future<ImportResult> f : futures) {
                results.add(f.get(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private LotImporter importer() {
        JdbcTemplate template = new JdbcTemplate(connections);
        JdbcClient client = JdbcClient.create(connections);
        LotProperties properties = new LotProperties(null, 65536, UnknownColumns.IGNORE, Separator.AUTO, null,
                Duration.ofMinutes(1), null);
        return new LotImporter(client, template, new SkipLog(template), new RefusedLotFiles(client),
                new NewTransaction(new DataSourceTransactionManager(connections)), properties);
    }

    /** With serials: two thirds of the devices with a serial, one third without (told apart by name). */
    private static String lot(String lot, boolean withSerials) {
        LotCsv csv = LotCsv.lot(lot);
        for (int i = 1; i <= (withSerials ? SERIALLED + SERIAL_LESS : SERIAL_LESS); i++) {
            boolean serialLess = !withSerials || i % 3 == 0;
            csv.device("prod-c", (serialLess ? "Bench " : "Unit ") + i, "false", serialLess ? "" : "C" + i, "");
        }
        return csv.content();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private long count(String sql, Object... args) {
        return db.jdbc().queryForObject(sql, Long.class, args);
    }
}
