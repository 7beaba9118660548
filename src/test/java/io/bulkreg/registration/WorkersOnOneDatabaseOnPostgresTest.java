package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.support.TestDatabase;
import java.sql.Connection;
import io.bulkreg.mcs.Credential;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

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

    /**
     * PostgreSQL only (H2 reads the lease without a lock; its claims take turns inside one process): a claim that has
     * checked its lease holds it against a takeover until it commits, so the recovery that follows the takeover sees
     * the claimed devices in flight and flags them, instead of leaving them in flight under a lease-less execution.
     */
    @Test
    void givenAClaimThatCheckedItsLease_whenAnotherRunTakesTheLeaseOver_thenTheTakeoverWaitsForTheClaimsCommit()
            throws Exception {
        pendingDevices(10);
        JdbcTemplate jdbc = new JdbcTemplate(connections);
        // The claim's transaction stays open after its lease check: its request row takes a second and a half to insert.
        jdbc.execute("CREATE FUNCTION slow_request() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$ "
                + "LANGUAGE plpgsql");
        jdbc.execute("CREATE TRIGGER slow_request BEFORE INSERT ON registration_request FOR EACH ROW "
                + "EXECUTE FUNCTION slow_request()");
        ExecutorService claimer = Executors.newSingleThreadExecutor();
        try {
            Future<Claim> claim = claimer.submit(() -> RequestDispatcherSpec.registrations(connections).claimNext(
                    PendingDevices.of(null), 10, RequestId.random(), new LeaseHolder(EXECUTION, instance), "sandbox"));
            awaitTheClaimInsertingItsRequest(jdbc);

            int taken = jdbc.update("DELETE FROM job_lease WHERE job_execution_id = ?", EXECUTION);   // the takeover
            Integer inFlightWhenTaken = jdbc.queryForObject("SELECT COUNT(*) FROM device_registration "
                    + "WHERE status = 'IN_FLIGHT'", Integer.class);

            assertThat(taken).isEqualTo(1);
            assertThat(inFlightWhenTaken).as("devices the claim had committed when the takeover went through").isEqualTo(10);
            assertThat(claim.get()).isInstanceOf(Claim.Request.class);
        } finally {
            claimer.shutdownNow();
        }
    }

    /** PostgreSQL only: its store passes an answer's credentials as text arrays (UPDATE ... FROM unnest). */
    @Test
    void givenCredentialsWithQuotesBackslashesCommasBracesAndTheWordNull_whenStored_thenTheyAreReadBackAsIssued() {
        pendingDevices(3);
        DeviceRegistrations registrations = RequestDispatcherSpec.registrations(connections);
        LeaseHolder holder = new LeaseHolder(EXECUTION, instance);
        ClaimedRequest request = ((Claim.Request) registrations.claimNext(PendingDevices.of(null), 3, RequestId.random(),
                holder, "sandbox")).request();
        List<Credential> issued = List.of(new Credential("id-\"1\"", "key,with\\backslash{}", "NULL"),
                new Credential("id 2", "key \"quoted\" {a,b}", null), new Credential("NULL", "k\\\\3 ", "chip,\"x\""));

        assertThat(registrations.store(request, registrations.seal(request, issued), holder)).isTrue();

        List<Credential> stored = new JdbcTemplate(connections).query("SELECT device_id, device_key, chip_name "
                + "FROM device_registration WHERE status = 'REGISTERED' ORDER BY id",
                (rs, n) -> new Credential(rs.getString(1), rs.getString(2), rs.getString(3)));
        assertThat(stored).containsExactlyElementsOf(issued);
    }

    private static void awaitTheClaimInsertingItsRequest(JdbcTemplate jdbc) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            // This test's claim only: sleeping in the trigger, on this database (other test JVMs insert requests too).
            Integer waiting = jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
                    + "AND wait_event = 'PgSleep' AND datname = current_database() "
                    + "AND query LIKE 'INSERT INTO registration_request%'", Integer.class);
            if (waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the claim never reached its request's insert");
    }
}
