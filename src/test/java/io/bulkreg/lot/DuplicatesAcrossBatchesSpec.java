package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.support.DatabaseSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A lot far longer than the import's batches, whose repeated lines are far apart: each repeat is reported against
 * the first line of its device, whether that line was inserted by an earlier batch, matched a device of an earlier
 * import, or conflicted with one; nothing is inserted twice. Runs once per database (PostgreSQL inserts a batch
 * before it looks anything up, H2 looks first).
 */
@OnEveryDatabase
class DuplicatesAcrossBatchesSpec extends DatabaseSpec {

    /** Several batches of the import (2,000 lines). */
    private static final int LINES = 7_000;

    @TempDir
    Path dir;

    private TestDatabase db;

    @BeforeEach
    void migrate() {
        db = TestDatabase.create(database()).migrated();
    }

    @AfterEach
    void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void givenRepeatsThousandsOfLinesApart_whenImported_thenEachIsReportedAgainstItsFirstLineAndNothingIsInsertedTwice()
            throws IOException {
        Path earlier = write("EARLIER.csv", LotCsv.lot("LOT-E").device("prod-d", "Kept", "false", "K1", "")
                .device("prod-d", "Old name", "false", "K2", "").content());
        assertThat(importer().importFile(earlier, null).devicesImported()).isEqualTo(2);
        LotCsv csv = LotCsv.lot("LOT-E");
        // line 2: the same as K1 of the earlier import; line 3: K2 with another name (a conflict)
        csv.device("prod-d", "Kept", "false", "K1", "");
        csv.device("prod-d", "New name", "false", "K2", "");
        for (int i = 4; i <= LINES + 1; i++) {
            boolean serialLess = i % 3 == 0;
            csv.device("prod-d", (serialLess ? "Bench " : "Unit ") + i, "false", serialLess ? "" : "S" + i, "");
        }
        // repeats of lines 2, 3, 4 (serialled) and 6 (serial-less), each in a later batch than its first line
        csv.device("prod-d", "Kept", "false", "K1", "");
        csv.device("prod-d", "New name", "false", "K2", "");
        csv.device("prod-d", "Unit 4", "false", "S4", "");
        csv.device("prod-d", "Bench 6", "false", "", "");
        Path file = write("LOT-E.csv", csv.content());

        ImportResult result = importer().importFile(file, null);

        int lines = LINES + 4;
        assertThat(result.linesRead()).as(result.toString()).isEqualTo(lines);
        assertThat(result.devicesImported()).as(result.toString()).isEqualTo(LINES - 2);
        assertThat(result.linesAlreadyThere()).as(result.toString()).isEqualTo(1);
        assertThat(result.conflicts()).as(result.toString()).isEqualTo(1);
        assertThat(result.linesSkipped()).as(result.toString()).isEqualTo(5);
        Map<String, String> why = new HashMap<>();
        db.jdbc().query("SELECT source, error_description FROM registration_skip", rs -> {
            why.put(rs.getString(1).substring(file.toString().length() + 1), rs.getString(2));
        });
        assertThat(why).hasSize(5);
        assertThat(why.get("3")).startsWith("serial 'K2' of product 'prod-d' is already in the table with other content");
        int repeat = LINES + 2;
        assertThat(why.get(String.valueOf(repeat))).isEqualTo("serial 'K1' of product 'prod-d' appears twice in the file "
                + "(first at " + file + ":2): not imported");
        assertThat(why.get(String.valueOf(repeat + 1))).isEqualTo("serial 'K2' of product 'prod-d' appears twice in the "
                + "file (first at " + file + ":3): not imported");
        assertThat(why.get(String.valueOf(repeat + 2))).isEqualTo("serial 'S4' of product 'prod-d' appears twice in the "
                + "file (first at " + file + ":4): not imported");
        assertThat(why.get(String.valueOf(repeat + 3))).startsWith("the device without serial named 'Bench 6' of product "
                + "'prod-d' in lot 'LOT-E' (devices without a serial are told apart by name) appears twice in the file "
                + "(first at " + file + ":6)");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(LINES);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE name = 'Old name'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM lot_file_identity")).isZero();
    }

    private LotImporter importer() {
        JdbcTemplate template = db.jdbc();
        JdbcClient client = JdbcClient.create(db.dataSource());
        return new LotImporter(client, template, new SkipLog(template), new RefusedLotFiles(client),
                new NewTransaction(new DataSourceTransactionManager(db.dataSource())), new LotProperties(null, 65536,
                        UnknownColumns.IGNORE, Separator.AUTO, null, Duration.ofMinutes(1), null));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        return db.jdbc().queryForObject(sql, Long.class);
    }
}
