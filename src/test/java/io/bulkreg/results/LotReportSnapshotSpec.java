package io.bulkreg.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.support.DatabaseSpec;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * `report`'s figures come from several statements; a run that stores between two of them must not make a device
 * count in two columns, or in none.
 */
@OnEveryDatabase
class LotReportSnapshotSpec extends DatabaseSpec {

    static final String LOT = "LOT-SNAP";

    TestDatabase db;

    @BeforeEach
    void createTheDatabase() {
        db = TestDatabase.create(database()).migrated();
    }

    @AfterEach
    void close() {
        if (db != null) {   // null where PostgreSQL is not configured: the test was skipped
            db.close();
        }
    }

    @Test
    void givenADeviceInDoubtFoundHeldByThePlatformWhileTheReportReads_whenReported_thenItsFiguresAreOfOneMoment() {
        // In doubt, as a run leaves it; a resend then finds it already registered at the platform: REJECTED, with a
        // HELD_BY_PLATFORM skip, both in one commit (as the job stores a refusal).
        db.jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES (?, 'prod-s', 'Snap 1', FALSE, 'SNAP0001', 'IN_DOUBT')", LOT);
        long id = db.jdbc().queryForObject("SELECT id FROM device_registration WHERE lot_id = ?", Long.class, LOT);
        db.jdbc().update("INSERT INTO registration_skip (kind, lot_id, registration_id, http_status, error_description) "
                + "VALUES ('IN_DOUBT', ?, ?, 500, 'in doubt')", LOT, id);
        Runnable heldMeanwhile = () -> db.jdbc().execute((Connection c) -> {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("UPDATE device_registration SET status = 'REJECTED' WHERE id = " + id);
            c.createStatement().executeUpdate("INSERT INTO registration_skip (kind, lot_id, registration_id, "
                    + "http_status, error_code, error_description) VALUES ('HELD_BY_PLATFORM', '" + LOT + "', " + id
                    + ", 400, 4014, 'serial already registered')");
            c.commit();
            c.setAutoCommit(true);
            return null;
        });
        // The store commits after the report read who is held, before it counts the statuses.
        DataSource reportSide = beforeStatement(db.connectionPerUse(), "SELECT lot_id, status, COUNT(*)", heldMeanwhile);
        LotReport report = new LotReport(JdbcClient.create(reportSide),
                new NewTransaction(new DataSourceTransactionManager(reportSide)));

        LotStatus lot = report.lots(LOT).get(0);

        assertThat(lot.rejected() + lot.heldByPlatform() + lot.inDoubt()).as("the device counted once: %s", lot)
                .isEqualTo(1);
        assertThat(lot.rejected()).as("never rejected: in doubt, then held by the platform (%s)", lot).isZero();
        assertThat(db.jdbc().queryForObject("SELECT status FROM device_registration WHERE id = ?", String.class, id))
                .as("the store did commit meanwhile").isEqualTo("REJECTED");
    }

    /** Connections that run {@code meanwhile} once, just before the first statement starting with {@code sql}. */
    static DataSource beforeStatement(DataSource target, String sql, Runnable meanwhile) {
        AtomicBoolean done = new AtomicBoolean();
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith(sql)
                                    && done.compareAndSet(false, true)) {
                                meanwhile.run();
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
