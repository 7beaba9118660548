package io.bulkreg.registration;

import io.bulkreg.device.DatabaseProduct;
import io.bulkreg.device.NewTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Refreshes PostgreSQL's planner statistics of {@code device_registration} before the claims start. A lot imported
 * (or inserted by an upstream system) moments before leaves statistics that still say the table holds a handful of
 * PENDING rows; the planner then sorts every pending row for each claim and filters every pending row for each
 * write-ahead UPDATE instead of reading the primary key: measured at 20,000 devices, 15 to 35 ms per statement,
 * O(pending) per request. Autovacuum refreshes them too, but only after the run is well under way. H2 needs nothing.
 */
@Component
public class ClaimStatistics {

    private static final Logger log = LoggerFactory.getLogger(ClaimStatistics.class);

    private final JdbcTemplate jdbc;
    private final NewTransaction newTransaction;

    public ClaimStatistics(JdbcTemplate jdbc, NewTransaction newTransaction) {
        this.jdbc = jdbc;
        this.newTransaction = newTransaction;
    }

    /**
     * ANALYZE of the device table on PostgreSQL (a sample of at most 30,000 rows at the default statistics target,
     * whatever the table's size); SKIP_LOCKED: when another worker or autovacuum is analysing it already, that one's
     * figures serve. In a transaction of its own, and never fatal: statistics only make the claims faster, and a
     * failure here (a statement timeout, a role that does not own the table) must not undo the recovery's work or stop
     * the run.
     */
    public void refresh() {
        if (!DatabaseProduct.isPostgreSql(jdbc)) {
            return;
        }
        long started = System.nanoTime();
        try {
            newTransaction.commit(() -> {
                jdbc.execute("ANALYZE (SKIP_LOCKED) device_registration");
                return null;
            });
            log.debug("Planner statistics of device_registration refreshed in {} ms",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (DataAccessException e) {
            log.warn("Could not refresh the planner statistics of device_registration ({}): claims may be slower until "
                    + "autovacuum analyses the table", e.getMostSpecificCause().getMessage());
        }
    }
}
