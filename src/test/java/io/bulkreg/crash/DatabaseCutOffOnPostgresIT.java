package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.Tmpfs;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database cut off mid-run (connections refused, the job's sessions terminated) while the configured rescue
 * folder sits on a full filesystem: the keys the platform issued after the cut go to owner-only files in the
 * fallback rescue folder under the child's temporary folder, the run ends (exit 1) saying where they are, and the
 * next run, with the database back, stores them: no key lost, no device sent twice. PostgreSQL only (the cut is
 * PostgreSQL's ALLOW_CONNECTIONS and pg_terminate_backend); needs root (it mounts a tmpfs).
 */
class DatabaseCutOffOnPostgresIT extends ChildJobSpec {

    static final int DEVICES = 300;
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    /**
     * Hikari's connection time-out in the run that is cut off, paid by each store attempt and each of Spring Batch's
     * status updates while the database is gone: its default, 30 s, made that run end 4.5 minutes after the cut,
     * 2 s 35 s after it, 500 ms 14 s after it. It changes no decision: a refused connection fails at once and Hikari
     * retries it until then. The rerun, with the database back, keeps the job's own.
     */
    static final int CUT_RUN_CONNECTION_TIMEOUT = 500;
    /** The platform's request during which the database is cut off. */
    static final int CUT_AT_REQUEST = 5;

    private final String databaseName = "bulkreg_cutoff_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private String adminUrl;
    private boolean databaseCreated;
    private Path rescueDir;
    private boolean mounted;
    private final List<Process> processes = new ArrayList<>();

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }

    @Override
    String name() {
        return "database-cut-off-it";
    }

    /** Each request takes this long at the platform: the cut lands while requests are in flight. */
    @Override
    Duration latency() {
        return Duration.ofMillis(100);
    }

    @Override
    int concurrency() {
        return 2;
    }

    /** A database of its own (called after the skip check): cutting it off leaves the shared one's sessions alone. */
    @Override
    ChildDatabase childDatabase() {
        adminUrl = TestDatabase.withDatabase(TestDatabase.postgresUrlOrSkip(), "postgres");
        admin("CREATE DATABASE " + databaseName);
        databaseCreated = true;
        ChildDatabase inner = ChildDatabase.of(TestDatabase.createInPostgresDatabase(databaseName));
        return new ChildDatabase() {
            @Override
            Map<String, String> environment() {
                return inner.environment();
            }

            @Override
            <T> T read(Function<JdbcTemplate, T> query) {
                return inner.read(query);
            }

            @Override
            public void close() {
                try {
                    inner.close();
                } finally {
                    dropDatabase();
                }
            }
        };
    }

    @AfterEach
    void killUnmountAndReconnect() throws Exception {
        processes.forEach(Process::destroyForcibly);
        if (mounted) {
            Tmpfs.unmount(rescueDir);
            mounted = false;
        }
        if (databaseCreated) {
            admin("ALTER DATABASE " + databaseName + " WITH ALLOW_CONNECTIONS true");   // so that the schema can be dropped
        }
    }

    @Test
    void givenTheRescueFolderOnAFullFilesystem_whenTheDatabaseIsCutOffMidRun_thenTheIssuedKeysWaitInOwnerOnlyFallbackFilesAndTheNextRunStoresThem()
            throws Exception {
        rescueDir = dir.resolve("rescue-full");
        if (!Tmpfs.mountFull(rescueDir)) {
            fail("this test mounts a tmpfs as the rescue folder and needs root or CAP_SYS_ADMIN (.ci/run runs as root)");
        }
        mounted = true;
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path fallback = tmp.resolve("bulkreg-rescue-" + Integer.toHexString(rescueDir.toString().hashCode()));
        Path lot = LotCsv.lot("LOT-CUT").devices("prod-cut", DEVICES).write(dir);
        CountDownLatch cut = new CountDownLatch(1);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                // On the platform's thread, before it registers anything: this request's answer comes after the cut.
                if (requestNo == CUT_AT_REQUEST) {
                    cutOff();
                    cut.countDown();
                }
            }
        });

        Process run = start("run-1.log", tmp, CUT_RUN_CONNECTION_TIMEOUT, "register", "--file", lot.toString());

        assertThat(cut.await(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the run reached request %d: see %s",
                CUT_AT_REQUEST, dir.resolve("run-1.log")).isTrue();
        assertThat(run.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the run ended after the cut: see %s",
                dir.resolve("run-1.log")).isTrue();
        String output = Files.readString(dir.resolve("run-1.log"));
        assertThat(run.exitValue()).as("a failed run: %s", dir.resolve("run-1.log")).isEqualTo(ExitCodes.FAILED);
        List<SandboxDevice> issued = sandbox.devices();
        assertThat(issued).as("keys issued before and after the cut").isNotEmpty();
        List<Path> rescued = rescueFiles(fallback);
        assertThat(rescued).as("rescue files in the fallback folder %s", fallback).isNotEmpty();
        for (Path file : rescued) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("permissions of %s", file)
                    .isEqualTo("rw-------");
            assertThat(output).as("the operator reads where the keys went").contains(
                    "they are saved in " + file + " and the next run stores them");
        }
        assertThat(rescueFiles(rescueDir)).as("the full rescue folder took no file").isEmpty();
        assertThat(output).as("the full folder is named, and the fallback").contains("The credential rescue folder "
                + rescueDir + " refused the credentials of request").contains("trying " + fallback);
        assertNoSecret(output, issued);
        // Batch skips the listeners' afterJob when its last update of the execution fails: the run's end must not
        // be taken for a shutdown request at the process's exit.
        assertThat(output).as("the failed run, ending, says nothing of stopping it").doesNotContain("Shutdown requested")
                .doesNotContain("Could not stop job execution");

        admin("ALTER DATABASE " + databaseName + " WITH ALLOW_CONNECTIONS true");
        Process rerun = start("run-2.log", tmp, null, "register", "--file", lot.toString());
        assertThat(rerun.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the rerun ended: see %s",
                dir.resolve("run-2.log")).isTrue();
        String rerunOutput = Files.readString(dir.resolve("run-2.log"));

        assertThat(rerun.exitValue()).as("the rerun completed the lot: see %s", dir.resolve("run-2.log"))
                .isEqualTo(ExitCodes.OK);
        assertThat(sandbox.sendsPerDevice()).as("devices the platform received").hasSize(DEVICES);
        assertThat(sandbox.sendsPerDevice().values()).as("sends per device").containsOnly(1);
        Map<String, SandboxDevice> held = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));
        List<Map<String, Object>> rows = db.read(j -> j.queryForList(
                "SELECT name, status, device_id, device_key FROM device_registration"));
        assertThat(rows).hasSize(DEVICES);
        List<String> lost = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            SandboxDevice device = held.get((String) row.get("name"));
            if (!"REGISTERED".equals(row.get("status")) || device == null
                    || !device.deviceId().equals(row.get("device_id")) || !device.deviceKey().equals(row.get("device_key"))) {
                lost.add(row.get("name") + " " + row.get("status"));
            }
        }
        assertThat(lost).as("devices without the platform's credentials: logs under %s", dir).isEmpty();
        assertThat(rescueFiles(fallback)).as("rescue files stored and removed").isEmpty();
        assertNoSecret(rerunOutput, sandbox.devices());
        System.out.printf("database cut off: %d keys issued before the rerun, %d rescue files in %s, run 1 exit %d, "
                + "rerun exit %d%n", issued.size(), rescued.size(), fallback, run.exitValue(), rerun.exitValue());
    }

    /** @param connectionTimeout Hikari's, in ms; null: the job's own */
    private Process start(String log, Path tmp, Integer connectionTimeout, String... args) throws IOException {
        Map<String, Object> properties = new HashMap<>(Map.of("bulkreg.mcs.devices-per-request", 10,
                "bulkreg.concurrency", concurrency(), "bulkreg.faults.rescue-dir", rescueDir.toString()));
        if (connectionTimeout != null) {
            properties.put("spring.datasource.hikari.connection-timeout", connectionTimeout);
        }
        Process process = JobProcess.builder(dir, db, sandbox, settings, properties, List.of("-Djava.io.tmpdir=" + tmp),
                dir.resolve(log).toFile(), args).start();
        processes.add(process);
        return process;
    }

    /** Refuses new sessions of the job's database and ends the open ones, from the server's maintenance database. */
    private void cutOff() {
        admin("ALTER DATABASE " + databaseName + " WITH ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName + "'");
    }

    private void dropDatabase() {
        if (databaseCreated) {
            admin("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            databaseCreated = false;
        }
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> rescueFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".credentials.json")).sorted().toList();
        }
    }

    private void assertNoSecret(String output, List<SandboxDevice> devices) {
        assertThat(output).as("the output holds no token").doesNotContain(settings.token());
        for (SandboxDevice device : devices) {
            assertThat(output).as("the output holds no deviceKey").doesNotContain(device.deviceKey());
        }
    }
}
