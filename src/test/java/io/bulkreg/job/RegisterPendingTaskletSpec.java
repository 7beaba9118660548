package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.CryptoProperties;
import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.registration.CredentialRescue;
import io.bulkreg.registration.DeviceRegistrations;
import io.bulkreg.registration.FaultPolicy;
import io.bulkreg.registration.FaultProperties;
import io.bulkreg.registration.KeptAnswers;
import io.bulkreg.registration.PendingDevices;
import io.bulkreg.registration.RequestDispatcher;
import io.bulkreg.registration.RunStop;
import io.bulkreg.registration.SendPermits;
import io.bulkreg.support.MigratedDatabase;
import io.bulkreg.support.ScriptedPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A partition's calls: each store claims the next request ahead, and no request claimed ahead outlives a call unsent,
 * whether the call ends by time, by a stop or by a failure: against the real state changes on an in-memory database.
 */
class RegisterPendingTaskletSpec {

    static final long EXECUTION = 7;
    static final String INSTANCE = "instance-of-execution-7";

    @TempDir
    Path dir;

    MigratedDatabase db;
    /** Registers every device it is sent, counting the requests. */
    final ScriptedPlatform platform = new ScriptedPlatform();

    @BeforeEach
    void aLotOfTenDevicesWaiting() {
        db = MigratedDatabase.create();
        db.jdbc().update("INSERT INTO job_lease (job_execution_id, host, pid, heartbeat_at, instance_id) "
                + "VALUES (?, 'here', 1, CURRENT_TIMESTAMP, ?)", EXECUTION, INSTANCE);
        for (int i = 1; i <= 10; i++) {
            db.jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, source) "
                    + "VALUES ('L', 'prod', ?, FALSE, ?, 'PENDING', ?)", "D" + i, "S" + i, "lot.csv:" + (i + 1));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    RequestDispatcher dispatcher() {
        FaultProperties faults = new FaultProperties(3, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 3, 25, false, 3, dir.resolve("rescue"), 30, Set.of(4014), null);
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        DeviceKeyVault vault = new DeviceKeyVault(new CryptoProperties(null, null, "k1"));
        DeviceRegistrations registrations = new DeviceRegistrations(db.jdbcClient(), jdbc, new SkipLog(jdbc), vault,
                new NewTransaction(db.transactionManager()), new KeptAnswers(JdbcClient.create(db.dataSource()), vault));
        return new RequestDispatcher(platform, registrations, new FaultPolicy(faults), new CredentialRescue(faults),
                new RequestDispatcher.Execution(EXECUTION, INSTANCE, () -> true, new RunStop()), d -> { },
                SendPermits.of(1), (cause, waited) -> { });
    }

    static StepContribution contribution() {
        JobExecution job = new JobExecution(EXECUTION, new JobInstance(1, "registration"), new JobParameters());
        return new StepContribution(new StepExecution(1, "registerShare:partition0", job));
    }

    long devices(String status) {
        return db.count("SELECT COUNT(*) FROM device_registration WHERE status = ?", status);
    }

    @Test
    void givenAPartitionWithTimeLeft_whenItIsCalled_thenItSendsEveryRequestAndLeavesNoneInFlight() {
        RegisterPendingTasklet partition = new RegisterPendingTasklet(dispatcher(), PendingDevices.of("L"), 2, () -> false);

        RepeatStatus status = partition.execute(contribution(), null);

        assertThat(status).isEqualTo(RepeatStatus.FINISHED);
        assertThat(platform.requests).hasSize(5);
        assertThat(devices("REGISTERED")).isEqualTo(10);
        assertThat(devices("IN_FLIGHT")).isZero();
    }

    @Test
    void givenARunAskedToStopRightAfterAStoreClaimedAhead_whenTheCallEnds_thenThatRequestIsGivenBackUnsent() {
        // The stop arrives between the store (which still claimed the next request ahead) and the partition's check.
        AtomicInteger asked = new AtomicInteger();
        // (asked once as the call begins, once by the store, then by the partition: stopped from the third ask on)
        BooleanSupplier stopAfterTheFirstStore = () -> asked.incrementAndGet() > 2;
        RegisterPendingTasklet partition = new RegisterPendingTasklet(dispatcher(), PendingDevices.of("L"), 2,
                stopAfterTheFirstStore);

        RepeatStatus status = partition.execute(contribution(), null);

        assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
        assertThat(platform.requests).hasSize(1);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).as("nothing claimed stays in flight unsent").isZero();
        assertThat(devices("PENDING")).isEqualTo(8);
        assertThat(db.count("SELECT COUNT(*) FROM registration_request WHERE outcome = 'NOT_TAKEN'")).isEqualTo(1);
    }

    @Test
    void givenARunAlreadyAskedToStop_whenThePartitionIsCalledAgain_thenItSendsNothing() {
        RegisterPendingTasklet partition = new RegisterPendingTasklet(dispatcher(), PendingDevices.of("L"), 2, () -> true);

        RepeatStatus status = partition.execute(contribution(), null);

        assertThat(status).isEqualTo(RepeatStatus.CONTINUABLE);
        assertThat(platform.requests).isEmpty();
        assertThat(devices("PENDING")).isEqualTo(10);
    }
}
