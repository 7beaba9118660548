package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A claim on H2 reads the few PENDING rows it takes, not all of them: with a lot of a million devices, a claim that
 * sorted every PENDING row registered a few devices per second. What a query read is H2's own count
 * ({@code EXPLAIN ANALYZE}: scanCount).
 */
class PendingDevicesOnH2Test {

    private static final int PENDING = 3_000;
    private static final int CLAIM = 50;

    private TestDatabase db;
    private JdbcClient jdbc;

    @BeforeEach
    void migrate() {
        db = TestDatabase.create(TestDatabase.Kind.H2).migrated();
        jdbc = JdbcClient.create(db.dataSource());
        // registered devices first, as a run leaves them, then the pending ones, in two lots
        jdbc.sql("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) SELECT 'LOT-' || MOD(X, 2), "
                + "'prod', 'Unit ' || X, FALSE, 'S' || X, CASE WHEN X <= 1000 THEN 'REGISTERED' ELSE 'PENDING' END "
                + "FROM SYSTEM_RANGE(1, " + (1000 + PENDING) + ")").update();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void givenThousandsOfPendingDevices_whenTheNextAreClaimed_thenOnlyAsManyAreRead() {
        assertThat(rowsRead(PendingDevices.of(null))).isLessThanOrEqualTo(CLAIM + 1);
    }

    @Test
    void givenThousandsOfPendingDevicesInTwoLots_whenTheNextOfOneLotAreClaimed_thenOnlyAsManyAreRead() {
        assertThat(rowsRead(PendingDevices.of("LOT-1"))).isLessThanOrEqualTo(CLAIM + 1);
    }

    private int rowsRead(PendingDevices pending) {
        Map<String, Object> params = new HashMap<>(pending.parameters());
        params.put("max", CLAIM);
        String plan = jdbc.sql("EXPLAIN ANALYZE " + pending.next("id")).params(params).query(String.class).single();
        Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
        assertThat(scanned.find()).as(plan).isTrue();
        return Integer.parseInt(scanned.group(1));
    }
}
