package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claims' query plans depend on PostgreSQL's statistics of device_registration: refreshed before the claims start,
 * they count the rows just imported instead of the empty table the migration left.
 */
class ClaimStatisticsOnPostgresTest {

    TestDatabase db;

    @BeforeEach
    void aMigratedDatabase() {
        TestDatabase.postgresUrlOrSkip();
        db = TestDatabase.create(TestDatabase.Kind.POSTGRES).migrated();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void givenALotJustImported_whenTheStatisticsAreRefreshed_thenThePlannerCountsTheRowsJustImported() {
        db.jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, source) "
                + "SELECT 'L', 'prod', 'D' || x, FALSE, 'S' || x, 'PENDING', 'lot.csv:' || x FROM generate_series(1, 2000) x");

        Long before = rowsThePlannerKnows();
        new ClaimStatistics(db.jdbc()).refresh();

        assertThat(before).as("never analysed").isEqualTo(-1);
        assertThat(rowsThePlannerKnows()).isEqualTo(2000);
    }

    private Long rowsThePlannerKnows() {
        return db.jdbc().queryForObject("SELECT reltuples::bigint FROM pg_class WHERE oid = 'device_registration'::regclass",
                Long.class);
    }
}
