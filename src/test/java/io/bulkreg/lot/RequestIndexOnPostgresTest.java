package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.MigratedPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL's index by request_id (V15) holds only the rows that have a request: an imported device, which has
 * none, writes no entry of it; and the lookups by request_id still read it, not the table.
 */
class RequestIndexOnPostgresTest {

    @RegisterExtension
    final MigratedPostgres postgres = new MigratedPostgres();

    @Test
    void givenDevicesWaitingAndSomeInFlight_whenLookedUpByRequest_thenTheIndexHoldsOnlyTheInFlightOnesAndServesTheLookup() {
        JdbcTemplate jdbc = postgres.db().jdbc();
        jdbc.update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, request_id) "
                + "SELECT 'LOT-R', 'prod-r', 'Unit ' || g, FALSE, 'R' || g, CASE WHEN g <= 50 THEN 'IN_FLIGHT' "
                + "ELSE 'PENDING' END, CASE WHEN g <= 50 THEN 'req-' || (g % 5) END FROM generate_series(1, 20000) g");
        jdbc.execute("ANALYZE device_registration");
        jdbc.execute("VACUUM device_registration");   // the index's tuple count, as pg_class sees it

        Long entries = jdbc.queryForObject("SELECT reltuples::bigint FROM pg_class WHERE relname = 'ix_device_request' "
                + "AND relnamespace = current_schema()::regnamespace", Long.class);
        assertThat(entries).isEqualTo(50);

        // as a prepared statement is planned once used often: a generic plan, the request id unknown
        jdbc.execute("PREPARE by_request(varchar) AS SELECT id FROM device_registration WHERE request_id = $1 "
                + "AND status = 'IN_FLIGHT'");
        jdbc.execute("SET plan_cache_mode = force_generic_plan");
        List<String> plan = jdbc.queryForList("EXPLAIN EXECUTE by_request('req-1')", String.class);
        assertThat(String.join("\n", plan)).contains("on ix_device_request").doesNotContain("Seq Scan");
    }
}
