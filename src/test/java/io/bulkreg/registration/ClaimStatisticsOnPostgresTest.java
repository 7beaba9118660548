package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.support.MigratedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The claims' query plans depend on PostgreSQL's statistics of device_registration: refreshed before the claims start,
 * they count the rows just imported instead of the empty table the migration left.
 */
class ClaimStatisticsOnPostgresTest {

    @RegisterExtension
    final MigratedPostgres postgres = new MigratedPostgres();

    @Test
    void givenALotJustImported_whenTheStatisticsAreRefreshed_thenThePlannerCountsTheRowsJustImported() {
        postgres.db().jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, source) "
                + "SELECT 'L', 'prod', 'D' || x, FALSE, 'S' || x, 'PENDING', 'lot.csv:' || x FROM generate_series(1, 2000) x");

        Long before = rowsThePlannerKnows();
        statistics(postgres.db().dataSource()).refresh();

        assertThat(before).as("never analysed").isEqualTo(-1);
        assertThat(rowsThePlannerKnows()).isEqualTo(2000);
    }

    @Test
    void givenTheDatabaseRefusesTheAnalyse_whenTheStatisticsAreRefreshed_thenTheRunGoesOnWithoutThem() {
        // A session whose ANALYZE fails (here: the table is not on its search path; elsewhere a statement timeout).
        DataSource failing = new DriverManagerDataSource(postgres.db().url().replaceAll("currentSchema=[^&]*", "currentSchema=no_such_schema"),
                "", "");

        assertThatCode(() -> statistics(failing).refresh()).doesNotThrowAnyException();
        assertThat(rowsThePlannerKnows()).isEqualTo(-1);
    }

    private static ClaimStatistics statistics(DataSource dataSource) {
        return new ClaimStatistics(new JdbcTemplate(dataSource), new NewTransaction(new DataSourceTransactionManager(dataSource)));
    }

    private Long rowsThePlannerKnows() {
        return postgres.db().jdbc().queryForObject("SELECT reltuples::bigint FROM pg_class WHERE oid = 'device_registration'::regclass",
                Long.class);
    }
}
