package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An operator's decision about devices in doubt touches only devices still in doubt, however many. */
class InDoubtResolutionSpec {

    TestDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    InDoubtResolution resolution(TestDatabase.Kind kind) {
        db = TestDatabase.create(kind).migrated();
        return new InDoubtResolution(JdbcClient.create(db.dataSource()));
    }

    /** {@code count} devices D1, D2, ... of lot L, inserted by the database itself. */
    void devices(int count, String status) {
        String numbers = db.kind() == TestDatabase.Kind.H2 ? "SYSTEM_RANGE(1, ?)" : "generate_series(1, ?) AS x";
        db.jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, status) "
                + "SELECT 'L', 'prod', 'D' || x, FALSE, ? FROM " + numbers, status, count);
    }

    long count(String status) {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM device_registration WHERE status = ?", Long.class, status);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.Kind.class)
    void givenADeviceOfTheLotNoLongerInDoubt_whenTheLotIsResent_thenOnlyDevicesStillInDoubtAreSentAgain(
            TestDatabase.Kind kind) {
        InDoubtResolution resolution = resolution(kind);
        devices(3, "IN_DOUBT");
        // A rescued key stored since the operator looked: that device is REGISTERED now.
        db.jdbc().update("UPDATE device_registration SET status = 'REGISTERED' WHERE name = 'D2'");

        int resolved = resolution.resolve("L", Resolution.RESENT, false);

        assertThat(resolved).isEqualTo(2);
        assertThat(count("PENDING")).isEqualTo(2);
        assertThat(count("REGISTERED")).isEqualTo(1);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.Kind.class)
    void givenMoreDevicesInDoubtThanADatabaseTakesBindParameters_whenRejected_thenEveryOneIsResolved(TestDatabase.Kind kind) {
        InDoubtResolution resolution = resolution(kind);
        devices(70_000, "IN_DOUBT");

        int resolved = resolution.resolve("L", Resolution.REJECTED, false);

        assertThat(resolved).isEqualTo(70_000);
        assertThat(count("REJECTED")).isEqualTo(70_000);
    }
}
