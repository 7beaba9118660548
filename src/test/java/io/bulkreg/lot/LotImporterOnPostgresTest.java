package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.MigratedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The import's cost on PostgreSQL does not grow with the table: a batch's lines are looked up through the unique index
 * of device_registration, not by reading the table. A table filled within the import's own transaction has no
 * statistics, and an {@code IN} list of a thousand hashes was planned as a sequential scan of it per batch (issue 8:
 * 200,000 lines in 7 min 46 s). What the transaction read is counted by PostgreSQL itself (pg_stat_xact_user_tables).
 */
class LotImporterOnPostgresTest {

    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratedPostgres postgres = new MigratedPostgres();

    @Test
    void givenALotOfManyBatches_whenImportedIntoAFreshTable_thenNoBatchReadsTheTableRowByRow() throws IOException {
        Path file = dir.resolve("LOT-SCAN.csv");
        StringBuilder csv = new StringBuilder(LotCsv.HEADER + "\n");
        for (int i = 1; i <= LINES; i++) {
            boolean serialLess = i % 3 == 0;
            csv.append("LOT-SCAN,prod-scan,Unit ").append(i).append(",false,").append(serialLess ? "" : "S" + i)
                    .append(",\n");
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        JdbcTemplate template = postgres.db().jdbc();
        JdbcClient client = JdbcClient.create(postgres.db().dataSource());
        NewTransaction transaction = new NewTransaction(new DataSourceTransactionManager(postgres.db().dataSource()));
        LotImporter importer = new LotImporter(client, template, new SkipLog(template), new RefusedLotFiles(client),
                transaction, new LotProperties(null, 65536, UnknownColumns.IGNORE, Separator.AUTO, null,
                        Duration.ofMinutes(1), null));

        long[] read = transaction.rolledBack(tx -> {
            ImportResult result = importer.importWithin(file, null);
            assertThat(result.devicesImported()).as(result.toString()).isEqualTo(LINES);
            return template.queryForObject("SELECT seq_scan, seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = "
                    + "'device_registration' AND schemaname = current_schema()", (rs, n) -> new long[] {rs.getLong(1),
                            rs.getLong(2)});
        });

        // One look at the table while it is still small may be a scan; a scan per batch reads it over and over.
        assertThat(read[1]).as("rows of device_registration read by %d sequential scans", read[0]).isLessThan(LINES);
    }
}
