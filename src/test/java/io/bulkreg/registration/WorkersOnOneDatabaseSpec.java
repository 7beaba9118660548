package io.bulkreg.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.bulkreg.device.SkipLog;
import io.bulkreg.mcs.HttpMcsClient;
import io.bulkreg.mcs.McsClientSettings;
import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.sandbox.SentDevice;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Several workers on one database: shared claims and fencing (the fixture: {@link WorkersFixture}). */
@OnEveryDatabase
class WorkersOnOneDatabaseSpec extends WorkersFixture {

    @Test
    void givenARunFrozenPastStaleAfterWhoseLeaseWasTakenOver_whenItClaimsTheNextDevices_thenItClaimsNothingAndStops() {
        pendingDevices(4);
        anotherRunTakesTheLeaseOver();

        assertThatThrownBy(() -> dispatcher(EXECUTION, instance, new RunStop()).dispatchNext(PendingDevices.of(null), 10))
                .isInstanceOf(RunAbortedException.class).hasMessageContaining("recovered this one as abandoned");

        assertThat(sandbox.requestCount()).as("requests sent").isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM registration_request", Long.class)).isZero();
    }

    @Test
    void givenTheLeaseIsTakenOverWhileARequestIsInFlight_whenTheAnswerArrives_thenItsKeysAreStoredAndTheRunStops() {
        pendingDevices(3);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                anotherRunTakesTheLeaseOver();   // before the platform answers: the devices are in flight
            }
        });

        assertThatThrownBy(() -> dispatcher(EXECUTION, instance, new RunStop()).dispatchNext(PendingDevices.of(null), 10))
                .isInstanceOf(RunAbortedException.class).hasMessageContaining("recovered this one as abandoned");

        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM registration_skip WHERE kind = 'IN_DOUBT'", Long.class))
                .as("the other run flagged them in doubt meanwhile").isEqualTo(3);
        assertThat(sandbox.devices()).hasSize(3);
        assertEveryDeviceStoredWithTheKeyTheSandboxIssued();
        assertThat(jdbc().queryForMap("SELECT outcome, detail FROM registration_request"))
                .containsEntry("outcome", "REGISTERED")
                .hasEntrySatisfying("detail", d -> assertThat((String) d).contains("took this run's lease over"));
        assertThat(new CredentialRescue(faults()).pending()).as("rescue files").isEmpty();
    }

    @Test
    void givenThreeWorkersOnOneDatabase_whenTheyClaimAtOnce_thenEveryDeviceIsSentOnceAndEachWorkerSendsAShare()
            throws Exception {
        pendingDevices(300);
        List<RequestDispatcher> dispatchers = new ArrayList<>();
        for (long execution = 11; execution <= 13; execution++) {
            String id = UUID.randomUUID().toString();
            lease(execution, id);
            RunStop stop = new RunStop();
            dispatchers.add(dispatcher(execution, id, stop));
            dispatchers.add(dispatcher(execution, id, stop));   // two partitions each
        }
        ExecutorService threads = Executors.newFixedThreadPool(dispatchers.size());
        List<Future<?>> runs = new ArrayList<>();
        for (RequestDispatcher d : dispatchers) {
            runs.add(threads.submit(() -> {
                while (d.dispatchNext(PendingDevices.of("L"), 10)) {
                    // the next request
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        Map<SentDevice, Integer> sends = sandbox.sendsPerDevice();
        assertThat(sends).hasSize(300);
        assertThat(sends.values()).as("sends per device").containsOnly(1);
        assertEveryDeviceStoredWithTheKeyTheSandboxIssued();
        assertThat(jdbc().queryForList("SELECT DISTINCT job_execution_id FROM registration_request", Long.class))
                .as("workers that sent a share").containsExactlyInAnyOrder(11L, 12L, 13L);
    }

    /** A row an upstream system inserted itself (the import checks its lines; such rows are checked when claimed). */
    void upstreamRow(String name, String serial) {
        jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES ('L', 'prod', ?, FALSE, ?, 'PENDING')", name, serial);
    }

    @Test
    void givenAnUpstreamRowThatBreaksTheRules_whenClaimedWithOthers_thenItIsRejectedAndTheRequestCarriesOnlyTheOthers() {
        upstreamRow("Valid 1", "V1");
        upstreamRow("Bad serial", "B-9");
        upstreamRow("Valid 2", "V2");

        assertThat(dispatcher(EXECUTION, instance, new RunStop()).dispatchNext(PendingDevices.of(null), 10)).isTrue();

        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("V1", "V2");
        assertThat(jdbc().queryForObject("SELECT status FROM device_registration WHERE serial = 'B-9'", String.class))
                .isEqualTo("REJECTED");
        assertThat(jdbc().queryForList("SELECT kind FROM registration_skip", String.class)).containsExactly("VALIDATION");
        assertThat(jdbc().queryForList("SELECT device_count FROM registration_request", Integer.class)).containsExactly(2);
    }

    @Test
    void givenOnlyUpstreamRowsThatBreakTheRules_whenClaimed_thenNoRequestIsSentOrLogged() {
        upstreamRow("Bad serial 1", "B-1");
        upstreamRow("Bad serial 2", "B-2");
        RequestDispatcher dispatcher = dispatcher(EXECUTION, instance, new RunStop());

        while (dispatcher.dispatchNext(PendingDevices.of(null), 10)) {
            // until nothing is left
        }

        assertThat(sandbox.requestCount()).isZero();
        assertThat(devices("REJECTED")).isEqualTo(2);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM registration_request", Long.class)).isZero();
    }
}
