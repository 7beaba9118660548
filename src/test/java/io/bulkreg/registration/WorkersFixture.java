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
import io.bulkreg.support.DatabaseSpec;
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

/**
 * Several workers (job executions of separate processes, each with its lease) claiming from one database, against the
 * sandbox over HTTP: claims share the pending devices without static shares and without waiting on each other, and a
 * run whose lease another run took over (it was judged dead) claims nothing more, yet keeps the keys of the answer it
 * was waiting for.
 */
abstract class WorkersFixture extends DatabaseSpec {

    static final long EXECUTION = 7;
    /** The run that judged execution 7 dead. */
    static final long RECOVERING_EXECUTION = 8;

    @TempDir
    Path dir;

    TestDatabase db;
    /** A connection per use: the workers and the "other process" each in transactions of their own. */
    DataSource connections;
    McsSandbox sandbox;
    HttpMcsClient client;
    final String instance = UUID.randomUUID().toString();

    @BeforeEach
    void aDatabaseAndAPlatform() {
        db = TestDatabase.create(database()).migrated();
        connections = new DriverManagerDataSource(db.url(), database() == TestDatabase.Kind.H2 ? "sa" : "", "");
        sandbox = McsSandbox.start(SandboxSettings.defaults().withPort(0).withLatency(Duration.ofMillis(5)));
        client = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), SandboxSettings.DEFAULT_TOKEN));
        lease(EXECUTION, instance);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The lease row a run's ExecutionLease writes when it starts. */
    void lease(long execution, String instanceId) {
        jdbc().update("INSERT INTO job_lease (job_execution_id, host, pid, heartbeat_at, instance_id) "
                + "VALUES (?, 'a-host', 1, CURRENT_TIMESTAMP, ?)", execution, instanceId);
    }

    JdbcTemplate jdbc() {
        return new JdbcTemplate(connections);
    }

    FaultProperties faults() {
        return new FaultProperties(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1), 3, 25,
                false, 3, dir.resolve("rescue"), 30, Set.of(4014), null);
    }

    RequestDispatcher dispatcher(long execution, String instanceId, RunStop stop) {
        FaultProperties faults = faults();
        // The heartbeat's flag says "held" throughout: a frozen run's heartbeat has not noticed anything yet.
        return new RequestDispatcher(client, RequestDispatcherSpec.registrations(connections), new FaultPolicy(faults),
                new CredentialRescue(faults), new RequestDispatcher.Execution(execution, instanceId, () -> true, stop),
                d -> { }, SendPermits.of(4), SendWaits.NONE);
    }

    /**
     * What another run does to a run it judges dead (StaleExecutions, then the recovery step), from its own
     * connections: takes the lease over, then flags the dead run's devices in flight IN_DOUBT.
     */
    void anotherRunTakesTheLeaseOver() {
        jdbc().update("DELETE FROM job_lease WHERE job_execution_id = ?", EXECUTION);
        JdbcTemplate other = jdbc();
        new InFlightRecovery(JdbcClient.create(connections), new SkipLog(other), new CredentialRescue(faults()),
                RequestDispatcherSpec.registrations(connections)).recover(RECOVERING_EXECUTION);
    }

    /** {@code count} pending devices U1, U2, ...; every third a test device without a serial. */
    void pendingDevices(int count) {
        for (int i = 1; i <= count; i++) {
            boolean serialless = i % 3 == 0;
            jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, source) "
                    + "VALUES ('L', 'prod', ?, ?, ?, 'PENDING', ?)", "U" + i, serialless, serialless ? null : "S" + i,
                    "lot.csv:" + (i + 1));
        }
    }

    long devices(String status) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM device_registration WHERE status = ?", Long.class, status);
    }

    void assertEveryDeviceStoredWithTheKeyTheSandboxIssued() {
        Map<String, SandboxDevice> byName = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));
        List<Map<String, Object>> rows = jdbc().queryForList("SELECT name, status, device_id, device_key FROM device_registration");
        for (Map<String, Object> row : rows) {
            SandboxDevice issued = byName.get((String) row.get("name"));
            assertThat(issued).as("platform device %s", row.get("name")).isNotNull();
            assertThat(row).containsEntry("status", "REGISTERED").containsEntry("device_id", issued.deviceId())
                    .containsEntry("device_key", issued.deviceKey());
        }
    }
}
