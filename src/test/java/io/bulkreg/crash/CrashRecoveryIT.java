package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.registration.ConcurrencyProperties;
import io.bulkreg.registration.ProtocolPoint;
import io.bulkreg.sandbox.ReceivedRequest;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job as a separate JVM (target/bulkreg.jar), killed with SIGKILL at many points of its runs and started
 * again until the lot is done; then every device is checked against the sandbox, which runs in this JVM and
 * so remembers everything it registered across the kills. Runs once per database.
 *
 * <p>Kill points: while a request is in flight (the platform then registers the devices for a dead client),
 * right after an answer was written (before or while its credentials are committed), at a random delay after a
 * run's first request (between requests, during commits) and at a random delay from the process start (start-up,
 * import, recovery, the first claims). The seed is printed; {@code -Dbulkreg.crash.seed=N} replays a plan.
 */
@OnEveryDatabase
class CrashRecoveryIT extends ChildJobSpec {

    static final int DEVICES = 1200;
    static final int DEVICES_PER_REQUEST = 10;
    /**
     * Places at the platform in each run: parallel, yet few enough that the lot outlasts the planned kills. Every
     * dispatcher claims its next request ahead, in the commit that stores an answer. On H2 2 places and 2 partitions: a
     * place is always free for it. On PostgreSQL 4 places and 5 partitions: it may wait for one, claimed and not sent.
     */
    int concurrency() {
        return database() == TestDatabase.Kind.POSTGRES ? 4 : 2;
    }

    /**
     * Kills planned: two of each short kind, then two from the start of a run. With a spare partition, a dispatcher
     * also waits for a place with a request claimed ahead: a kind of its own.
     */
    int kills() {
        return 2 * KillPoint.shortKinds(spare()).length + 2;
    }

    boolean spare() {
        return partitions() > concurrency();
    }

    /** The registration step's dispatchers: a kill leaves up to this many requests' devices in doubt. */
    int partitions() {
        return new ConcurrencyProperties(concurrency()).partitions();
    }
    static final Duration LATENCY = Duration.ofMillis(30);
    static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    static final int EXIT_KILLED = 128 + 9;


    final Killer killer = new Killer();

    @Override
    String name() {
        return "crash-it";
    }

    @Override
    Duration latency() {
        return LATENCY;
    }

    @BeforeEach
    void killAsPlanned() {
        sandbox.setListener(killer);
    }

    @AfterEach
    void killWhatIsLeft() {
        killer.killCurrent();
    }

    @Test
    void givenRunsKilledAtEveryStage_whenRestartedUntilTheLotIsDone_thenEveryPlatformDeviceIsStoredOrInDoubtAndNoneTwice()
            throws Exception {
        long seed = Long.getLong("bulkreg.crash.seed", new Random().nextLong());
        System.out.printf("crash test (%s): seed %d, lot of %d devices, %d per request, %d places (%d partitions), "
                + "%d kills planned%n", database(), seed, DEVICES, DEVICES_PER_REQUEST, concurrency(), partitions(), kills());
        Random random = new Random(seed);
        // A third without serial: the platform would take a second registration of those, so only bulkreg's own
        // protocol keeps them from being sent twice.
        int serialless = DEVICES / 3;
        LotCsv csv = LotCsv.lot("CRASH1").devices("prod-crash", DEVICES - serialless);
        for (int i = 1; i <= serialless; i++) {
            csv.device("prod-crash", "Serialless " + i, "false", null, "unit without serial " + i);
        }
        Path lot = csv.write(dir);

        Map<String, Integer> killsByPoint = new LinkedHashMap<>();
        Map<String, Integer> pointHits = new TreeMap<>();
        int runNo = 0;
        boolean done = false;
        for (int k = 0; k < kills() && !done; k++) {
            KillPoint point = KillPoint.plan(k, kills(), random, concurrency(), spare());
            Child run = start(++runNo, lot, point);
            int exit = run.awaitExit();
            Map<String, Integer> hits = pointsHit(run.log);
            hits.forEach((name, n) -> pointHits.merge(name, n, Integer::sum));
            if (point.halts() && exit == EXIT_KILLED) {
                // Halted by the job itself at the named point: its log says so at that hit, and shows at most one later
                // hit per other partition (a thread that printed its own hit while the halt was under way).
                assertThat(Files.readString(run.log.toPath(), StandardCharsets.ISO_8859_1))
                        .as("run %d halted %s: see %s", runNo, point, run.log)
                        .contains("protocol point " + point.haltAt() + " hit " + point.n() + ": halting");
                assertThat(hits.get(point.haltAt())).as("run %d halted %s: see %s", runNo, point, run.log)
                        .isBetween(point.n(), point.n() + partitions() - 1);
                killsByPoint.merge(point.kind(), 1, Integer::sum);
                System.out.printf("  run %2d: halted %s (points hit: %s)%n", runNo, point, hits);
            } else if (point.halts()) {
                assertThat(exit).as("run %d (planned halt %s) ended by itself: see %s", runNo, point, run.log)
                        .isIn(ExitCodes.OK, ExitCodes.ATTENTION);
                System.out.printf("  run %2d: completed before %s could be hit, exit %d%n", runNo, point, exit);
                done = true;
            } else if (run.killed && exit != EXIT_KILLED) {
                // The kill met a run already exiting (several requests in flight finish a lot's last devices fast):
                // it ended by itself, and its exit code must say it completed.
                assertThat(exit).as("run %d exiting when killed %s: see %s", runNo, point, run.log)
                        .isIn(ExitCodes.OK, ExitCodes.ATTENTION);
                System.out.printf("  run %2d: completed as %s was hit, exit %d%n", runNo, point, exit);
                done = true;
            } else if (run.killed) {
                killsByPoint.merge(point.kind(), 1, Integer::sum);
                System.out.printf("  run %2d: killed %s (%d requests of this run received; points hit: %s)%n", runNo,
                        run.killedAt, run.received.get(), hits);
            } else {
                assertThat(exit).as("run %d (planned kill %s) ended by itself: see %s", runNo, point, run.log)
                        .isIn(ExitCodes.OK, ExitCodes.ATTENTION);
                System.out.printf("  run %2d: completed before %s could be hit, exit %d%n", runNo, point, exit);
                done = true;
            }
            awaitSandboxIdle();
        }
        while (!done) {
            Child run = start(++runNo, lot, null);
            int exit = run.awaitExit();
            System.out.printf("  run %2d: ran to the end, exit %d%n", runNo, exit);
            assertThat(exit).as("run %d after the kills: see %s", runNo, run.log)
                    .isIn(ExitCodes.OK, ExitCodes.ATTENTION, ExitCodes.FAILED);
            done = exit != ExitCodes.FAILED;
            assertThat(runNo).as("the lot never completed after the kills: see the logs under %s", dir)
                    .isLessThan(kills() + 4);
        }
        int kills = killsByPoint.values().stream().mapToInt(Integer::intValue).sum();

        Outcome outcome = check(lot);

        System.out.printf("crash test (%s): %d kills %s, %d devices, %d registered, %d in doubt (of which %d held by the "
                + "platform), %d registered twice, %d runs, seed %d; protocol points hit in the killed runs %s%n",
                database(), kills, killsByPoint, outcome.rows, outcome.registered, outcome.inDoubt,
                outcome.inDoubtOnPlatform, outcome.registeredTwice, runNo, seed, pointHits);
        assertThat(outcome.violations).as("seed %d; child logs under %s", seed, dir).isEmpty();
        assertThat(outcome.inDoubt).as("in doubt within kills x partitions x devices per request (seed %d)", seed)
                .isLessThanOrEqualTo(kills * partitions() * DEVICES_PER_REQUEST);
        assertThat(kills).as("kills that hit a running job (seed %d)", seed).isGreaterThanOrEqualTo(kills() / 2);
        if (spare()) {
            assertThat(killsByPoint).as("a run halted while a request claimed ahead waited for its place (seed %d)", seed)
                    .containsKey(KillPoint.HALT + ProtocolPoint.CLAIMED_AHEAD_WAITING);
            assertThat(outcome.inDoubt - outcome.inDoubtOnPlatform).as("devices in doubt that never reached the "
                    + "platform: claimed ahead, never sent (seed %d)", seed).isPositive();
        }
    }

    /** The device-by-device checks of the issue; every violation is listed, not only the first. */
    private Outcome check(Path lot) throws IOException {
        Outcome o = new Outcome();
        List<Row> rows = db.read(jdbc -> jdbc.query(
                "SELECT id, prod_id, name, serial, status, device_id, device_key FROM device_registration",
                (rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7))));
        Set<Long> withInDoubtSkip = new HashSet<>(db.read(jdbc -> jdbc.queryForList(
                "SELECT registration_id FROM registration_skip WHERE kind = 'IN_DOUBT' AND registration_id IS NOT NULL",
                Long.class)));
        Map<String, Row> byName = new HashMap<>();
        rows.forEach(r -> byName.put(r.key(), r));
        List<SandboxDevice> onPlatform = sandbox.devices();
        Map<String, SandboxDevice> platformById = new HashMap<>();
        Set<String> onPlatformNames = new HashSet<>();
        for (SandboxDevice d : onPlatform) {
            platformById.put(d.deviceId(), d);
            onPlatformNames.add(d.prodId() + "/" + d.name());
        }
        o.rows = rows.size();

        // (3) no row lost: every line of the lot has its row, and no row is left waiting or in flight
        List<String> lines = Files.readAllLines(lot).subList(1, DEVICES + 1);
        for (String line : lines) {
            String name = line.split(",")[2].replace("\"", "");
            if (!byName.containsKey("prod-crash/" + name)) {
                o.violations.add("lot line " + line + " has no row");
            }
        }
        for (Row r : rows) {
            if (!r.status.equals("REGISTERED") && !r.status.equals("IN_DOUBT")) {
                o.violations.add("row " + r.id + " (" + r.name + ") ended " + r.status
                        + (onPlatformNames.contains(r.key()) ? " although the platform holds it" : ""));
            }
        }
        // (1) every device the platform holds is stored with the same credentials, or flagged IN_DOUBT
        for (SandboxDevice d : onPlatform) {
            Row r = byName.get(d.prodId() + "/" + d.name());
            if (r == null) {
                o.violations.add("platform device " + d.name() + " has no row");
            } else if (r.status.equals("REGISTERED")) {
                if (!d.deviceId().equals(r.deviceId) || !d.deviceKey().equals(r.deviceKey)) {
                    o.violations.add("row " + r.id + " (" + r.name + ") holds other credentials than the platform issued");
                }
            } else if (!r.status.equals("IN_DOUBT")) {
                o.violations.add("platform device " + d.name() + " is " + r.status + " in the database: its key is lost");
            }
        }
        // (2) nothing sent twice (no operator asked for a resend here, and no fault made the platform refuse a
        // request): counted from what the platform received, since it would refuse a second registration of a serial
        // (and take one of a serial-less device)
        Map<String, Integer> sends = new HashMap<>();
        sandbox.sendsPerDevice().forEach((device, times) -> sends.merge(device.prodId() + "/" + device.name(), times,
                Integer::sum));
        for (Row r : rows) {
            int times = sends.getOrDefault(r.key(), 0);
            if (times > 1) {
                o.registeredTwice++;
                o.violations.add("device " + r.name + " sent " + times + " times");
            }
        }
        // (4) every IN_DOUBT row says so in registration_skip; (5) every stored credential is one the platform issued
        for (Row r : rows) {
            if (r.status.equals("IN_DOUBT")) {
                o.inDoubt++;
                if (onPlatformNames.contains(r.key())) {
                    o.inDoubtOnPlatform++;
                }
                if (!withInDoubtSkip.contains(r.id)) {
                    o.violations.add("IN_DOUBT row " + r.id + " (" + r.name + ") has no registration_skip of kind IN_DOUBT");
                }
            } else if (r.status.equals("REGISTERED")) {
                o.registered++;
                SandboxDevice d = r.deviceId == null ? null : platformById.get(r.deviceId);
                if (d == null || !d.deviceKey().equals(r.deviceKey) || !d.name().equals(r.name)
                        || !orEmpty(d.serial()).equals(orEmpty(r.serial))) {
                    o.violations.add("REGISTERED row " + r.id + " (" + r.name + ") holds a credential the platform never issued");
                }
            }
        }
        assertThat(rows).as("rows of the lot").hasSize(DEVICES);
        return o;
    }

    private static String orEmpty(String serial) {
        return serial == null ? "" : serial;
    }

    private record Row(long id, String prodId, String name, String serial, String status, String deviceId, String deviceKey) {
        /** Names are unique in the crash lot; serials are not all there. */
        String key() {
            return prodId + "/" + name;
        }

    }

    private static final class Outcome {
        final List<String> violations = new ArrayList<>();
        int rows;
        int registered;
        int inDoubt;
        int inDoubtOnPlatform;
        int registeredTwice;
    }

    /** Where a run is killed; the kind and its parameter come from the seeded random. */
    record KillPoint(String kind, int n, long millis) {

        static final String HALT = "halt-at-";

        /**
         * The kinds that each cost the lot a few requests, cycled first; the two from-start kills come last. With a
         * spare partition, also a halt where a request claimed ahead waits for its place.
         */
        static int[] shortKinds(boolean spare) {
            return spare ? new int[] {0, 1, 2, 4, 5, 6} : new int[] {0, 1, 2, 4, 5};
        }

        /**
         * A from-start kill lets a run go on for seconds, and on a fast machine one such run registered most of the lot
         * (106 requests in 3.7 s), leaving too few devices for the kills after it: they come last.
         */
        static KillPoint plan(int k, int kills, Random random, int concurrency, boolean spare) {
            int[] kinds = shortKinds(spare);
            int kind = k >= kills - 2 ? 3 : kinds[k % kinds.length];
            return switch (kind) {
                case 0 -> new KillPoint("in-flight", 1 + random.nextInt(2), 0);
                case 1 -> new KillPoint("after-answer", 1 + random.nextInt(2), 0);
                case 2 -> new KillPoint("after-first-request", 0, random.nextInt(400));
                // 1-5 s at 2 places, 1-3 s at 4: more places send the lot's rest sooner, past the kill.
                case 3 -> new KillPoint("from-start", 0, 1000 + random.nextInt(8000 / concurrency));
                // The job halts itself (as SIGKILL would) at a named point of its protocol: where no timing can aim.
                case 4 -> new KillPoint(HALT + ProtocolPoint.ANSWER_READ, 1 + random.nextInt(3), 0);
                case 5 -> new KillPoint(HALT + ProtocolPoint.BEFORE_STORE_COMMIT, 1 + random.nextInt(3), 0);
                default -> new KillPoint(HALT + ProtocolPoint.CLAIMED_AHEAD_WAITING, 1 + random.nextInt(3), 0);
            };
        }

        boolean halts() {
            return kind.startsWith(HALT);
        }

        String haltAt() {
            return kind.substring(HALT.length());
        }

        /** The child's {@value ProtocolPoint#PROPERTY}: every run counts its points; a halting one halts at one. */
        String haltProperty() {
            return "-D" + ProtocolPoint.PROPERTY + "=" + (halts() ? haltAt() + ":" + n : ProtocolPoint.ANSWER_READ + ":0");
        }

        @Override
        public String toString() {
            return switch (kind) {
                case "in-flight" -> "while request " + n + " of the run was in flight";
                case "after-answer" -> "right after the answer to request " + n + " of the run";
                case "after-first-request" -> millis + " ms after the run's first request";
                case "halt-at-ANSWER_READ" -> "at the hit " + n + " of ANSWER_READ (an answer read, nothing stored)";
                case "halt-at-BEFORE_STORE_COMMIT" -> "at the hit " + n + " of BEFORE_STORE_COMMIT (credentials written, "
                        + "not committed)";
                default -> millis + " ms after the process started";
            };
        }
    }

    /** One run of the job as a process of its own. */
    final class Child {
        final int runNo;
        final KillPoint point;
        final Process process;
        final File log;
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        /** Sandbox numbers of this run's requests: a killed run's last request may be answered during the next run. */
        final Set<Integer> requestNos = ConcurrentHashMap.newKeySet();
        final CountDownLatch firstRequest = new CountDownLatch(1);
        volatile boolean killed;
        volatile String killedAt;

        Child(int runNo, KillPoint point, Process process, File log) {
            this.runNo = runNo;
            this.point = point;
            this.process = process;
            this.log = log;
        }

        /** SIGKILL (destroyForcibly on Linux), and wait until the process is gone. */
        synchronized void kill(String at) {
            if (killed || !process.isAlive()) {
                return;
            }
            killedAt = at;
            killed = true;
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int awaitExit() throws InterruptedException {
            Thread timer = null;
            if (point != null && point.kind().equals("from-start")) {
                timer = daemon(() -> sleepThenKill(point.millis(), point.toString()));
            } else if (point != null && point.kind().equals("after-first-request")) {
                timer = daemon(() -> {
                    try {
                        firstRequest.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    sleepThenKill(point.millis(), point.toString());
                });
            }
            boolean exited = process.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (timer != null) {
                timer.interrupt();
            }
            if (!exited) {
                kill("after " + RUN_LIMIT);
                fail("run " + runNo + " did not end within " + RUN_LIMIT + ": see " + log);
            }
            killer.current = null;
            return process.exitValue();
        }

        private Thread daemon(Runnable r) {
            Thread t = new Thread(r, "crash-killer-" + runNo);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void sleepThenKill(long millis, String at) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            kill(at);
        }
    }

    /** Kills the current run at the request-related points, from the sandbox's handler threads. */
    final class Killer implements SandboxListener {
        volatile Child current;

        @Override
        public void received(int requestNo, int deviceCount) {
            Child c = current;
            if (c == null) {
                return;
            }
            c.requestNos.add(requestNo);
            int nth = c.received.incrementAndGet();
            c.firstRequest.countDown();
            if (c.point != null && c.point.kind().equals("in-flight") && nth == c.point.n()) {
                // The client dies first; then this request goes on and the platform registers its devices.
                c.kill(c.point + " (sandbox request " + requestNo + ", " + deviceCount + " devices)");
            }
        }

        @Override
        public void answered(int requestNo, int status) {
            Child c = current;
            if (c == null || status != 200 || !c.requestNos.contains(requestNo)) {
                return;
            }
            int nth = c.answered.incrementAndGet();
            if (c.point != null && c.point.kind().equals("after-answer") && nth == c.point.n()) {
                c.kill(c.point + " (sandbox request " + requestNo + ")");
            }
        }

        void killCurrent() {
            Child c = current;
            if (c != null) {
                c.kill("at the end of the test");
            }
        }
    }

    private Child start(int runNo, Path lot, KillPoint point) throws IOException {
        File log = dir.resolve(String.format("run-%02d.log", runNo)).toFile();
        ProcessBuilder builder = JobProcess.builder(dir, db, sandbox, settings,
                Map.of("bulkreg.mcs.devices-per-request", DEVICES_PER_REQUEST, "bulkreg.concurrency", concurrency()),
                List.of((point == null ? new KillPoint("none", 0, 0) : point).haltProperty()), log, "register", "--file",
                lot.toString());
        // Set before the process exists, so that none of its requests is missed.
        Child[] holder = new Child[1];
        Process process;
        synchronized (killer) {
            process = builder.start();
            holder[0] = new Child(runNo, point, process, log);
            killer.current = holder[0];
        }
        return holder[0];
    }

    /** How often the run hit each protocol point, from the lines the job prints when the test enables them. */
    static Map<String, Integer> pointsHit(File log) throws IOException {
        Map<String, Integer> hits = new TreeMap<>();
        Pattern line = Pattern.compile("protocol point (\\w+) hit (\\d+)");
        for (String l : Files.readAllLines(log.toPath(), StandardCharsets.ISO_8859_1)) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                hits.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
            }
        }
        return hits;
    }

    /** A request whose client was killed goes on in the sandbox: let it finish before anything is checked. */
    private void awaitSandboxIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sandbox.requests().stream().anyMatch(r -> r.httpStatus() == ReceivedRequest.PENDING)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
