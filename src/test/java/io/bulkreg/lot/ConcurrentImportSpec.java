package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.DatabaseSpec;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
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
    static final int SERIAL_LESS = 2_000;

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

    private void assertEachDeviceOnce(String lot, int serialled) {
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE serial IS NOT NULL")).isEqualTo(serialled);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE serial IS NULL")).isEqualTo(SERIAL_LESS);
        assertThat(count("SELECT COUNT(DISTINCT name) FROM device_registration WHERE serial IS NULL AND lot_id = ?", lot))
                .isEqualTo(SERIAL_LESS);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    private List<ImportResult> importAtOnce(Path a, Path b) throws Exception {
        return importAtOnce(connections, a, b);
    }

    /** Imports the two files at once, each by an importer of its own (as two workers), on {@code connections}. */
    static List<ImportResult> importAtOnce(DataSource connections, Path a, Path b) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ImportResult>> futures = new ArrayList<>();
            for (Path file : List.of(a, b)) {
                LotImporter importer = importer(connections);   // one per worker, as in two processes
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

    /** An importer of its own on {@code connections}, as a worker has. */
    static LotImporter importer(DataSource connections) {
        JdbcTemplate template = new JdbcTemplate(connections);
        JdbcClient client = JdbcClient.create(connections);
        LotProperties properties = new LotProperties(null, 65536, UnknownColumns.IGNORE, Separator.AUTO, null,
                Duration.ofMinutes(1), null);
        return new LotImporter(client, template, new SkipLog(template), new RefusedLotFiles(client),
                new NewTransaction(new DataSourceTransactionManager(connections)), properties);
    }

    /** With serials: two thirds of the devices with a serial, one third without (told apart by name). */
    static String lot(String lot, boolean withSerials) {
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
