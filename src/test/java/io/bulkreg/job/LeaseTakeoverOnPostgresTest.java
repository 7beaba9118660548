package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.support.MigratedPostgres;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * PostgreSQL only (its claims and stores lock their lease row, FOR KEY SHARE): a run that takes over an abandoned
 * execution's lease never waits on a transaction its holder left open (a lost node, a frozen process).
 */
class LeaseTakeoverOnPostgresTest {

    static final long EXECUTION = 7;

    @RegisterExtension
    final MigratedPostgres postgres = new MigratedPostgres();

    DataSource connections;

    @BeforeEach
    void aStaleLease() {
        connections = new DriverManagerDataSource(postgres.db().url(), "", "");
        postgres.db().jdbc().update("INSERT INTO job_lease (job_execution_id, host, pid, heartbeat_at, instance_id) "
                + "VALUES (?, 'lost-node', 1, ?, 'holder')", EXECUTION, Timestamp.from(Instant.now().minusSeconds(600)));
    }

    LeaseTakeover takeover() {
        return new LeaseTakeover(JdbcClient.create(connections), new NewTransaction(new DataSourceTransactionManager(connections)));
    }

    @Test
    void givenTheHolderLeftATransactionOpenOnItsLease_whenAnotherRunTakesItOver_thenItGoesOnAtOnceAndLeavesTheLease()
            throws Exception {
        try (Connection holder = connections.getConnection()) {
            holder.setAutoCommit(false);
            // As a claim of the holder checks its lease, on a node lost before the claim committed.
            holder.createStatement().executeQuery("SELECT job_execution_id FROM job_lease WHERE job_execution_id = "
                    + EXECUTION + " FOR KEY SHARE").close();

            LeaseTakeover.Result result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> takeover().take(EXECUTION, Timestamp.from(Instant.now().minusSeconds(60))));

            assertThat(result).isEqualTo(LeaseTakeover.Result.LOCKED_BY_HOLDER);
            assertThat(leases()).isEqualTo(1);
            holder.rollback();
        }
        assertThat(takeover().take(EXECUTION, Timestamp.from(Instant.now().minusSeconds(60))))
                .as("once the holder's transaction ended").isEqualTo(LeaseTakeover.Result.TAKEN);
        assertThat(leases()).isZero();
    }

    @Test
    void givenALeaseRenewedSinceItWasJudged_whenTakenOver_thenItIsNotStale() {
        assertThat(takeover().take(EXECUTION, Timestamp.from(Instant.now().minusSeconds(900))))
                .isEqualTo(LeaseTakeover.Result.NOT_STALE);
        assertThat(leases()).isEqualTo(1);
    }

    private int leases() {
        return postgres.db().jdbc().queryForObject("SELECT COUNT(*) FROM job_lease", Integer.class);
    }
}
