package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.sandbox.SentDevice;
import io.bulkreg.support.LotCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;

/**
 * Three workers, each the packaged job in a JVM of its own, started at once with `register` on one lot against one
 * database and one sandbox (as three pods of a Kubernetes Job with parallelism 3 would), one of them killed with
 * SIGKILL while it has requests in flight, then the lot run again: every device is sent by exactly one worker, the
 * killed worker's in-flight devices end IN_DOUBT (not resent), every other device is stored with the key the sandbox
 * issued (serial-less devices included, whose second registration the platform would not refuse). And three workers
 * importing one lot file at once leave one row per line.
 */
abstract class ManyWorkersSpec extends ChildJobSpec {

    static final int WORKERS = 3;
    static final int DEVICES = 1200;
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    final List<Process> workers = new ArrayList<>();

    @Override
    String name() {
        return "many-workers-it";
    }

    /** Each request takes this long at the platform: the three workers' requests overlap. */
    @Override
    Duration latency() {
        return Duration.ofMillis(150);
    }

    @Override
    int concurrency() {
        return 2;
    }

    @AfterEach
    void killWhatIsLeft() {
        workers.forEach(Process::destroyForcibly);
    }

    /** {@code count} devices, every third a test device without a serial. */
    static LotCsv lot(int count) {
        LotCsv csv = LotCsv.lot("MANY1");
        for (int i = 1; i <= count; i++) {
            boolean serialless = i % 3 == 0;
            csv.device("prod-many", "Unit " + i, serialless ? "true" : "false", serialless ? null : "M" + i, null);
        }
        return csv;
    }

    /** The lot as an upstream system inserts it: PENDING rows, no file. */
    void upstreamInserts(int count) {
        db.migrate();
        db.read(j -> j.batchUpdate("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES ('MANY1', 'prod-many', ?, ?, ?, 'PENDING')", IntStream.rangeClosed(1, count)
                .mapToObj(i -> new Object[] {"Unit " + i, i % 3 == 0, i % 3 == 0 ? null : "M" + i}).toList()));
    }

    Process worker(String log, String... args) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("bulkreg.mcs.devices-per-request", 10);
        properties.put("bulkreg.concurrency", concurrency());
        // The platform holds the first requests until every worker is up (see the gate): longer than the sandbox
        // default's 5 s read time-out.
        properties.put("bulkreg.mcs.read-timeout", "90s");
        properties.put("bulkreg.lease.shutdown-grace", "95s");   // covers a request in hand, as bulkreg requires
        return JobProcess.builder(dir, db, sandbox, settings, properties, dir.resolve(log).toFile(), args).start();
    }

    @Test
    void givenThreeWorkersStartedAtOnceOnOneLot_whenOneIsKilledMidRunAndTheLotIsRunAgain_thenEveryDeviceIsSentOnceAndNoKeyIsLost()
            throws Exception {
        // Rows inserted upstream: the three imports of one file at once have a test of their own (below).
        upstreamInserts(DEVICES);
        CountDownLatch allUp = new CountDownLatch(1);
        AtomicLong victimExecution = new AtomicLong(-1);
        // To kill a worker that surely has a request in flight, the platform holds every request it receives from
        // some moment on: once the requests received before it are answered, each request not answered is held here.
        AtomicBoolean holding = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                try {
                    // The platform holds every request until all three workers hold a lease: however long each JVM
                    // takes to start, none finishes the lot alone.
                    allUp.await(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (holding.get()) {
                        held.incrementAndGet();
                        released.await(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        for (int i = 1; i <= WORKERS; i++) {
            workers.add(worker("worker-" + i + ".log", "register"));
        }
        awaitCount("SELECT COUNT(*) FROM job_lease", WORKERS, "workers holding a lease");
        allUp.countDown();
        awaitCount("SELECT COUNT(DISTINCT job_execution_id) FROM registration_request", WORKERS, "workers that sent");
        holding.set(true);
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (held.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(held.get()).as("a request held by the platform").isPositive();
        Thread.sleep(1000);   // the requests received before the holding began are answered and stored meanwhile
        killAWorkerWithRequestsInFlight(victimExecution);
        released.countDown();

        Map<Long, Integer> exits = new HashMap<>();
        for (Process worker : workers) {
            assertThat(worker.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("worker %d ended: logs under %s",
                    worker.pid(), dir).isTrue();
            exits.put(worker.pid(), worker.exitValue());
        }
        awaitSandboxIdle();
        long victim = victimExecution.get();
        Set<Long> inFlightWhenKilled = new HashSet<>(db.read(j -> j.queryForList("SELECT id FROM device_registration "
                + "WHERE job_execution_id = ? AND status IN ('IN_FLIGHT', 'IN_DOUBT')", Long.class, victim)));
        assertThat(inFlightWhenKilled).as("devices the killed worker had in flight").isNotEmpty();
        assertThat(exits.values()).as("exit codes (the killed one 137): logs under %s", dir)
                .containsExactlyInAnyOrder(ExitCodes.OK, ExitCodes.OK, 128 + 9);

        Process rerun = worker("rerun.log", "register");
        workers.add(rerun);
        if (!rerun.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the rerun did not end: see " + dir.resolve("rerun.log"));
        }
        assertThat(rerun.exitValue()).as("rerun: devices in doubt need attention; see %s", dir.resolve("rerun.log"))
                .isEqualTo(ExitCodes.ATTENTION);

        assertThat(count("SELECT COUNT(*) FROM device_registration")).as("rows").isEqualTo(DEVICES);
        List<Map<String, Object>> rows = db.read(j -> j.queryForList(
                "SELECT id, name, status, device_id, device_key, job_execution_id FROM device_registration"));
        Map<String, SandboxDevice> issued = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));   // throws on a name twice
        Map<String, Integer> sends = new HashMap<>();
        for (Map.Entry<SentDevice, Integer> e : sandbox.sendsPerDevice().entrySet()) {
            sends.merge(e.getKey().name(), e.getValue(), Integer::sum);
        }
        List<String> violations = new ArrayList<>();
        Set<Long> inDoubt = new HashSet<>();
        for (Map<String, Object> row : rows) {
            String name = (String) row.get("name");
            long id = ((Number) row.get("id")).longValue();
            int sent = sends.getOrDefault(name, 0);
            if ("IN_DOUBT".equals(row.get("status"))) {
                inDoubt.add(id);
                if (sent > 1) {
                    violations.add(name + " in doubt and sent " + sent + " times");
                }
            } else if (!"REGISTERED".equals(row.get("status"))) {
                violations.add(name + " ended " + row.get("status"));
            } else if (sent != 1) {
                violations.add(name + " registered and sent " + sent + " times");
            } else if (issued.get(name) == null || !issued.get(name).deviceId().equals(row.get("device_id"))
                    || !issued.get(name).deviceKey().equals(row.get("device_key"))) {
                violations.add(name + " holds other credentials than the platform issued");
            }
        }
        System.out.printf("many workers: %d devices, %d in doubt (killed worker's in flight), requests per execution %s%n",
                rows.size(), inDoubt.size(), db.read(j -> j.queryForList("SELECT job_execution_id, COUNT(*) AS n FROM "
                        + "registration_request GROUP BY job_execution_id ORDER BY job_execution_id")));
        assertThat(violations).as("logs under %s", dir).isEmpty();
        assertThat(inDoubt).as("in doubt: exactly what the killed worker had in flight").isEqualTo(inFlightWhenKilled);
        assertThat(count("SELECT COUNT(DISTINCT registration_id) FROM registration_skip WHERE kind = 'IN_DOUBT'"))
                .as("each device in doubt says so in registration_skip").isEqualTo(inDoubt.size());
        assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).as("a job execution per process").isEqualTo(WORKERS + 1);
    }

    @Test
    void givenThreeWorkersImportingOneLotFileAtOnce_whenTheyAndARerunHaveEnded_thenEachLineIsOneRowSentOnceWithItsKey()
            throws Exception {
        Path lot = lot(300).write(dir);

        for (int i = 1; i <= WORKERS; i++) {
            workers.add(worker("import-" + i + ".log", "register", "--file", lot.toString()));
        }
        List<Integer> exits = new ArrayList<>();
        for (Process worker : workers) {
            assertThat(worker.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            exits.add(worker.exitValue());
        }
        Process rerun = worker("import-rerun.log", "register", "--file", lot.toString());
        workers.add(rerun);
        assertThat(rerun.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        System.out.printf("many workers: three imports of one file at once ended %s, the rerun %d%n", exits,
                rerun.exitValue());

        // A worker whose import lost the race to another fails (exit 1, restartable: the import is being reworked);
        // none may leave a row twice, a line without its row, or a device sent twice.
        assertThat(exits).as("exit codes; logs under %s", dir).allMatch(e -> e == ExitCodes.OK || e == ExitCodes.FAILED)
                .contains(ExitCodes.OK);
        assertThat(rerun.exitValue()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM lot_file")).as("lot files imported").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).as("rows").isEqualTo(300);
        assertThat(count("SELECT COUNT(DISTINCT name) FROM device_registration")).as("distinct devices").isEqualTo(300);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(300);
        assertThat(sandbox.sendsPerDevice()).hasSize(300);
        assertThat(sandbox.sendsPerDevice().values()).as("sends per device").containsOnly(1);
        Map<String, SandboxDevice> issued = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));
        db.read(j -> j.queryForList("SELECT name, device_id, device_key FROM device_registration")).forEach(row ->
                assertThat(row).containsEntry("device_id", issued.get((String) row.get("name")).deviceId())
                        .containsEntry("device_key", issued.get((String) row.get("name")).deviceKey()));
    }

    /** From a sandbox thread: kills the worker of an execution with a request written ahead and not answered. */
    private void killAWorkerWithRequestsInFlight(AtomicLong victimExecution) {
        Map<String, Object> victim = db.read(j -> j.queryForList("SELECT l.job_execution_id, l.pid FROM job_lease l "
                + "WHERE EXISTS (SELECT 1 FROM registration_request r WHERE r.job_execution_id = l.job_execution_id "
                + "AND r.answered_at IS NULL) ORDER BY l.job_execution_id")).get(0);
        long pid = ((Number) victim.get("pid")).longValue();
        Process process = workers.stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
        victimExecution.set(((Number) victim.get("job_execution_id")).longValue());
        process.destroyForcibly();   // SIGKILL
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.printf("many workers: killed pid %d (job execution %d)%n", pid, victimExecution.get());
    }

    private void awaitCount(String sql, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (countOnceMigrated(sql) < expected) {
            if (System.nanoTime() > deadline || workers.stream().noneMatch(Process::isAlive)) {
                fail(what + ": " + countOnceMigrated(sql) + " of " + expected + "; logs under " + dir);
            }
            Thread.sleep(50);
        }
    }

    /** 0 while the workers' Flyway has not created the table yet (they migrate the fresh schema at start-up). */
    private int countOnceMigrated(String sql) {
        try {
            return count(sql);
        } catch (BadSqlGrammarException notYet) {
            return 0;
        }
    }

    /** A request whose worker was killed goes on in the sandbox: let it finish before anything is checked. */
    private void awaitSandboxIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sandbox.requests().stream().anyMatch(r -> r.httpStatus() == io.bulkreg.sandbox.ReceivedRequest.PENDING)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
