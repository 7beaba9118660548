package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.support.MigratedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The products' import locks on PostgreSQL (LotImporter's Batch#lockProducts): two workers importing files that hold
 * the same devices without serial take turns, so that such a device, found by look-ups no unique index backs, is
 * inserted once; a rehearsal takes no lock. PostgreSQL only: H2 holds one worker (docs/operations.md), its imports
 * never overlap.
 */
class ProductImportLocksOnPostgresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratedPostgres postgres = new MigratedPostgres();

    private DataSource connections;

    /** A connection per use, as two workers' importers each have their own. */
    private DataSource connections() {
        if (connections == null) {
            connections = postgres.db().connectionPerUse();
        }
        return connections;
    }

    @Test
    void givenTwoCumulativeExportsWithoutLotColumnImportedAtOnce_whenBothEnd_thenTheirSerialLessDevicesAreInsertedOnce()
            throws Exception {
        // Lots named after the files: the identities differ, only the look-up of the name in the product's other lots
        // finds the device, and two imports at once must not both miss the other's rows.
        StringBuilder export = new StringBuilder("prodId,name,isTest,serial,description\n");
        for (int i = 1; i <= ConcurrentImportSpec.SERIAL_LESS; i++) {
            export.append("prod-c,Bench ").append(i).append(",false,,\n");
        }
        Path first = write("export-1101.csv", export.toString());
        Path second = write("export-1102.csv", export + "\n");   // another content, the same devices

        List<ImportResult> results = ConcurrentImportSpec.importAtOnce(connections(), first, second);

        assertThat(results).extracting(ImportResult::devicesImported).containsExactlyInAnyOrder(ConcurrentImportSpec.SERIAL_LESS, 0);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(ConcurrentImportSpec.SERIAL_LESS);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'INPUT' AND error_description LIKE "
                + "'%is already in lot%'")).isEqualTo(ConcurrentImportSpec.SERIAL_LESS);
    }

    @Test
    void givenAnotherImportHoldingAProduct_whenAFileWithItsSerialLessDevicesIsImported_thenItWaitsForThatImportToEnd()
            throws Exception {
        Path file = write("LOT-E.csv", ConcurrentImportSpec.lot("LOT-E", false));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection otherImport = connections().getConnection()) {
            holdImportLockOf("prod-c", otherImport);
            Future<ImportResult> result = thread.submit(() -> ConcurrentImportSpec.importer(connections()).importFile(file, null));
            Thread.sleep(500);
            assertThat(result).as("waiting").isNotDone();

            otherImport.close();   // its transaction ends: the lock goes with its connection

            assertThat(result.get(30, TimeUnit.SECONDS).devicesImported()).isEqualTo(ConcurrentImportSpec.SERIAL_LESS);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void givenAnotherImportHoldingAProduct_whenAFileOfItIsRehearsed_thenTheRehearsalDoesNotWait() throws Exception {
        Path file = write("LOT-F.csv", ConcurrentImportSpec.lot("LOT-F", false));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection otherImport = connections().getConnection()) {
            holdImportLockOf("prod-c", otherImport);

            Future<ImportResult> rehearsed = thread.submit(() -> new NewTransaction(
                    new DataSourceTransactionManager(connections())).rolledBack(tx -> ConcurrentImportSpec.importer(connections()).importWithin(file, null)));

            assertThat(rehearsed.get(30, TimeUnit.SECONDS).devicesImported()).isEqualTo(ConcurrentImportSpec.SERIAL_LESS);
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

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        return postgres.db().jdbc().queryForObject(sql, Long.class);
    }
}
