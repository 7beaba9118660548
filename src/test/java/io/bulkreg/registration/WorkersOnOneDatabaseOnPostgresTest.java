package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.support.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkersOnOneDatabaseOnPostgresTest extends WorkersFixture {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }

    /** PostgreSQL only: the database several processes share (H2's claims take turns inside one process). */
    @Test
    void givenRowsAnotherWorkerIsClaiming_whenAWorkerClaimsTheNext_thenItTakesTheFollowingRowsWithoutWaiting()
            throws Exception {
        pendingDevices(30);
        try (Connection otherWorker = connections.getConnection()) {
            otherWorker.setAutoCommit(false);
            otherWorker.createStatement().executeQuery(PendingDevices.of(null).select("id") + " LIMIT 10 FOR UPDATE").close();

            Claim claim = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RequestDispatcherSpec
                    .registrations(connections).claimNext(PendingDevices.of(null), 10, RequestId.random(),
                            new LeaseHolder(EXECUTION, instance), "sandbox"));

            assertThat(claim).isInstanceOfSatisfying(Claim.Request.class, r -> assertThat(r.request().devices())
                    .extracting(DeviceRow::name).containsExactly("U11", "U12", "U13", "U14", "U15", "U16", "U17",
                            "U18", "U19", "U20"));
            otherWorker.rollback();
        }
    }

}
