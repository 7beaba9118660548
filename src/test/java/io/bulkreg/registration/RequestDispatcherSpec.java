package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulkreg.device.CryptoProperties;
import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.device.DeviceRow;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.SkipLog;
import io.bulkreg.mcs.DeviceRequest;
import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.support.MigratedDatabase;
import io.bulkreg.support.ScriptedPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The dispatcher carrying out the fault policy's decisions, against a scripted platform and the real state changes
 * on an in-memory database: what each answer does to the devices, in milliseconds.
 */
class RequestDispatcherSpec {

    static final long EXECUTION = 7;
    static final String INSTANCE = "instance-of-execution-7";

    @TempDir
    Path dir;

    MigratedDatabase db;
    ScriptedPlatform platform;
    List<Duration> pauses = new ArrayList<>();
    AtomicBoolean leaseHeld = new AtomicBoolean(true);
    /** Whether the process was asked to stop (SIGTERM, `stop`), as every dispatcher here sees it. */
    AtomicBoolean stopAsked = new AtomicBoolean();

    @BeforeEach
    void aDatabaseAndAPlatform() {
        db = MigratedDatabase.create();
        platform = new ScriptedPlatform();
        // The lease of the run the dispatchers send for: every claim and store checks it is still this run's.
        db.jdbc().update("INSERT INTO job_lease (job_execution_id, host, pid, heartbeat_at, instance_id) "
                + "VALUES (?, 'here', 1, CURRENT_TIMESTAMP, ?)", EXECUTION, INSTANCE);
    }

    @AfterEach
    void close() {
        db.close();
    }


    /** Refuses (400) every request that carries one of these device names; registers the others. */
    static Function<List<DeviceRequest>, RegistrationOutcome> refusing(Set<String> culprits) {
        return devices -> devices.stream().anyMatch(d -> culprits.contains(d.name()))
                ? new RegistrationOutcome.Rejected(new McsError(400, 4013, null, "the product requires a serial"))
                : ScriptedPlatform.registersAll().apply(devices);
    }

    SendPermits permits = SendPermits.of(4);
    /** The waits the dispatcher reported, in order. */
    List<String> waits = Collections.synchronizedList(new ArrayList<>());
    List<Duration> waited = Collections.synchronizedList(new ArrayList<>());

    FaultProperties faults() {
        return new FaultProperties(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 3, 25,
                false, 3, dir.resolve("rescue"), 30, Set.of(4014), rescueFallbackDir);
    }

    DeviceRegistrations registrations() {
        return registrations(db.dataSource());
    }

    static DeviceRegistrations registrations(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DeviceKeyVault vault = new DeviceKeyVault(new CryptoProperties(null, null, "k1"));
        return new DeviceRegistrations(JdbcClient.create(dataSource), jdbc, new SkipLog(jdbc), vault,
                new NewTransaction(new DataSourceTransactionManager(dataSource)),
                new KeptAnswers(JdbcClient.create(dataSource), vault));
    }

    /** bulkreg.faults.rescue-fallback-dir; null: the default, under the temporary folder. */
    Path rescueFallbackDir;

    RequestDispatcher dispatcher() {
        return dispatcher(db.dataSource(), new RunStop(), pauses::add);
    }

    RequestDispatcher dispatcher(RequestDispatcher.Pause pause) {
        return dispatcher(db.dataSource(), new RunStop(), pause);
    }

    RequestDispatcher dispatcher(DataSource dataSource, RunStop stop) {
        return dispatcher(dataSource, stop, pauses::add);
    }

    /** A dispatcher of the run that {@code stop} belongs to, its state changes on {@code dataSource}. */
    RequestDispatcher dispatcher(DataSource dataSource, RunStop stop, RequestDispatcher.Pause pause) {
        FaultProperties faults = faults();
        return new RequestDispatcher(platform, registrations(dataSource), new FaultPolicy(faults),
                new CredentialRescue(faults), new RequestDispatcher.Execution(EXECUTION, INSTANCE, leaseHeld::get, stop,
                        stopAsked::get), pause,
                permits, (cause, duration) -> {
                    waits.add(cause.name());
                    waited.add(duration);
                });
    }

    /** {@code count} pending devices named D1, D2, ... of lot L, as the import leaves them. */
    List<DeviceRow> pendingDevices(int count) {
        for (int i = 1; i <= count; i++) {
            db.jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, source) "
                    + "VALUES ('L', 'prod', ?, FALSE, ?, 'PENDING', ?)", "D" + i, "S" + i, "lot.csv:" + (i + 1));
        }
        return db.jdbcClient().sql("SELECT " + DeviceRow.COLUMNS + " FROM device_registration ORDER BY id")
                .query(DeviceRow::fromRow).list();
    }

    long devices(String status) {
        return db.count("SELECT COUNT(*) FROM device_registration WHERE status = ?", status);
    }

    @Test
    void givenAnEightDeviceRequestWithTwoCulprits_whenDispatched_thenSplittingIsolatesThemInElevenRequests() {
        List<DeviceRow> devices = pendingDevices(8);
        platform.answer = refusing(Set.of("D3", "D6"));

        dispatcher().dispatch(devices);

        assertThat(platform.requests).hasSize(11);
        assertThat(devices("REGISTERED")).isEqualTo(6);
        assertThat(db.jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'REJECTED' ORDER BY id",
                String.class)).containsExactly("D3", "D6");
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'API' AND error_code = 4013 "
                + "AND job_execution_id = ?", EXECUTION)).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM registration_request WHERE job_execution_id = ? AND platform = 'scripted'",
                EXECUTION)).isEqualTo(11);
    }

    @Test
    void givenTheDatabaseRefusesAnAnswersCredentials_whenDispatched_thenTheyAreRescuedToAFileAndTheRunStops() throws Exception {
        List<DeviceRow> devices = pendingDevices(3);
        // The real database refuses every stored key from now on, as a full or broken disk would.
        db.jdbc().execute("ALTER TABLE device_registration ADD CONSTRAINT no_key_accepted CHECK (device_key IS NULL)");

        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("they are saved in").hasMessageContaining("the next run stores them");

        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        List<CredentialRescue.Rescued> rescued = new CredentialRescue(faults()).pending();
        assertThat(rescued).singleElement().satisfies(r -> assertThat(r.credentials())
                .extracting(StoredCredential::deviceKey).containsExactly("key-D1", "key-D2", "key-D3"));
        assertThat(Files.getPosixFilePermissions(rescued.get(0).file())).hasSize(2);   // rw-------
        assertThat(devices("IN_FLIGHT")).as("they stay in flight until the next run stores the rescue").isEqualTo(3);
    }

    @Test
    void givenTheDatabaseRefusesAnAnswerToKeep_whenDispatched_thenItGoesToAFileAndTheNextRunKeepsItInTheTable() {
        List<DeviceRow> devices = pendingDevices(3);
        byte[] body = thePlatformAnswersOneCredentialForThreeDevices();
        theDatabaseRefusesEveryAnswerToKeep();

        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isNotNull();

        CredentialRescue rescue = new CredentialRescue(faults());
        assertThat(rescue.pendingAnswers()).singleElement().satisfies(r -> {
            assertThat(r.answer().httpStatus()).isEqualTo(200);
            assertThat(Base64.getDecoder().decode(r.answer().bodySealed())).isEqualTo(body);
        });
        assertThat(devices("IN_FLIGHT")).isEqualTo(3);
        db.jdbc().execute("ALTER TABLE kept_answer DROP CONSTRAINT no_answer_accepted");

        new InFlightRecovery(db.jdbcClient(), new SkipLog(db.jdbc()), rescue, registrations()).storeRescued();

        assertThat(db.count("SELECT COUNT(*) FROM kept_answer WHERE http_status = 200 AND settled_at IS NULL")).isEqualTo(1);
        assertThat(rescue.pendingAnswers()).isEmpty();
    }

    @Test
    void givenNeitherTheDatabaseNorAnyRescueFolderTakesAnAnswerToKeep_whenDispatched_thenItKeepsTryingUntilOneDoes()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(3);
        thePlatformAnswersOneCredentialForThreeDevices();
        theDatabaseRefusesEveryAnswerToKeep();
        CredentialRescue rescue = noRescueFolderTakesAFile();
        List<Duration> waits = new ArrayList<>();

        try {
            assertThatThrownBy(() -> dispatcher(d -> {
                waits.add(d);
                if (waits.size() == 3) {
                    db.jdbc().execute("ALTER TABLE kept_answer DROP CONSTRAINT no_answer_accepted");
                }
            }).dispatch(devices)).isInstanceOf(DataAccessException.class).hasMessageMatching("(?is).*no_answer_accepted.*");

            assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
            assertThat(db.count("SELECT COUNT(*) FROM kept_answer WHERE http_status = 200 AND settled_at IS NULL"))
                    .as("the answer, kept once the database took it").isEqualTo(1);
            assertThat(devices("IN_DOUBT")).isEqualTo(3);
        } finally {
            Files.deleteIfExists(rescue.fallbackDir());
        }
    }

    @Test
    void givenTheRunsLeaseIsTakenMidRun_whenTheNextRequestIsDue_thenTheRunStopsBeforeSendingIt() {
        List<DeviceRow> devices = pendingDevices(4);
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatch(devices.subList(0, 2));
        leaseHeld.set(false);   // another run judged this one dead and recovered it

        assertThatThrownBy(() -> dispatcher.dispatch(devices.subList(2, 4))).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("recovered this one as abandoned");

        assertThat(platform.requests).hasSize(1);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(devices("PENDING")).as("nothing claimed after the lease was lost").isEqualTo(2);
    }

    @Test
    void givenTheLeaseIsTakenWhileARequestWaitsForItsRateLimitTurn_whenTheTurnComes_thenItIsNotSentAndItsDevicesWaitAgain()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(4);
        permits = new SendPermits(1, 1, Duration.ofSeconds(30));   // one request a second: the second waits ~1 s
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatch(devices.subList(0, 2));
        Thread takeover = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            leaseHeld.set(false);   // judged dead while it waited, and recovered
        });
        takeover.start();

        assertThatThrownBy(() -> dispatcher.dispatch(devices.subList(2, 4))).isInstanceOf(RunAbortedException.class);
        takeover.join();

        assertThat(platform.requests).as("the waiting request was not sent").hasSize(1);
        assertThat(devices("PENDING")).as("given back: nothing left in flight to end in doubt").isEqualTo(2);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {404, 405, 406, 413, 414, 415})
    void givenAnAnswerThatIsNotAboutTheDevices_whenDispatched_thenTheRunFailsAndTheDevicesWaitAgain(int status) {
        List<DeviceRow> devices = pendingDevices(8);
        platform.answer = d -> new RegistrationOutcome.Rejected(new McsError(status, null, null, "no"));

        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("which is not about the devices");

        assertThat(platform.requests).as("not split").hasSize(1);
        assertThat(devices("PENDING")).isEqualTo(8);
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip")).isZero();
        assertThat(db.jdbc().queryForObject("SELECT outcome FROM registration_request", String.class)).isEqualTo("NOT_TAKEN");
    }

    @Test
    void givenAThrottledPlatform_whenDispatched_thenTheSameDevicesAreSentAgainAfterTheBackoffAndRegistered() {
        List<DeviceRow> devices = pendingDevices(2);
        List<Integer> attempts = new ArrayList<>();
        platform.answer = d -> {
            attempts.add(attempts.size() + 1);
            return attempts.size() == 1 ? new RegistrationOutcome.NotTaken("429", new McsError(429, null, null, null),
                    Duration.ofSeconds(2)) : ScriptedPlatform.registersAll().apply(d);
        };

        dispatcher().dispatch(devices);

        assertThat(platform.requests).hasSize(2);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2));
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(db.jdbc().queryForList("SELECT outcome FROM registration_request ORDER BY sent_at", String.class))
                .containsExactlyInAnyOrder("NOT_TAKEN", "REGISTERED");
    }

    @Test
    void givenA429WithRetryAfter_whenDispatched_thenTheTimeWaitedBeforeTheResendIsReportedAsThrottled() {
        List<DeviceRow> devices = pendingDevices(2);
        List<Integer> attempts = new ArrayList<>();
        platform.answer = d -> {
            attempts.add(attempts.size() + 1);
            return attempts.size() == 1 ? new RegistrationOutcome.NotTaken("429", new McsError(429, null, null, null),
                    Duration.ofMillis(300)) : ScriptedPlatform.registersAll().apply(d);
        };

        dispatcher(RequestDispatcher.Pause.THREAD_SLEEP).dispatch(devices);

        assertThat(waits).containsExactly("THROTTLED");
        assertThat(waited.get(0)).as("the time really waited").isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        assertThat(devices("REGISTERED")).isEqualTo(2);
    }

    @Test
    void givenAnswersInDoubtInARow_whenTheBreakerTrips_thenTheDevicesAreInDoubtAndTheRunStops() {
        List<DeviceRow> devices = pendingDevices(6);
        platform.answer = d -> new RegistrationOutcome.InDoubt("read timeout", null);
        RequestDispatcher dispatcher = dispatcher();

        dispatcher.dispatch(devices.subList(0, 2));
        dispatcher.dispatch(devices.subList(2, 4));
        assertThatThrownBy(() -> dispatcher.dispatch(devices.subList(4, 6))).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("3 requests in a row ended in doubt");

        assertThat(devices("IN_DOUBT")).isEqualTo(6);
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'IN_DOUBT' AND job_execution_id = ?",
                EXECUTION)).isEqualTo(6);
    }

    @Test
    void givenARecoveryFlaggedTheDevicesWhileTheirRequestWasInFlight_whenTheAnswerIsInDoubt_thenNoSecondSkipIsRecorded() {
        List<DeviceRow> devices = pendingDevices(2);
        // Another run judged this one dead and recovered it: its devices are IN_DOUBT with the recovery's skip rows.
        platform.beforeAnswer = () -> db.jdbc().update("UPDATE device_registration SET status = 'IN_DOUBT' "
                + "WHERE status = 'IN_FLIGHT'");
        platform.answer = d -> new RegistrationOutcome.InDoubt("read timeout", null);

        dispatcher().dispatch(devices);

        assertThat(devices("IN_DOUBT")).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip WHERE job_execution_id = ?", EXECUTION))
                .as("skips of devices this answer did not change").isZero();
    }

    @Test
    void givenARecoveryFlaggedTheDeviceWhileItsRequestWasInFlight_whenThePlatformRefusesIt_thenItStaysInDoubtWithoutASkip() {
        List<DeviceRow> devices = pendingDevices(1);
        platform.beforeAnswer = () -> db.jdbc().update("UPDATE device_registration SET status = 'IN_DOUBT' "
                + "WHERE status = 'IN_FLIGHT'");
        platform.answer = refusing(Set.of("D1"));

        dispatcher().dispatch(devices);

        assertThat(devices("IN_DOUBT")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip WHERE job_execution_id = ?", EXECUTION)).isZero();
    }

    @Test
    void givenADeviceAnotherWorkerClaimedFirst_whenDispatched_thenOnlyTheRestIsSent() {
        List<DeviceRow> devices = pendingDevices(3);
        db.jdbc().update("UPDATE device_registration SET status = 'IN_FLIGHT', request_id = 'other' WHERE name = 'D2'");

        dispatcher().dispatch(devices);

        assertThat(platform.requests).singleElement().satisfies(r -> assertThat(r).extracting(DeviceRequest::name)
                .containsExactly("D1", "D3"));
    }

    @Test
    void givenAConfiguredFallbackFolder_whenTheDatabaseAndTheRescueFolderRefuseTheKeys_thenTheyAreRescuedThere()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();
        Files.writeString(dir.resolve("rescue"), "a file where the folder should be");
        Path fallback = dir.resolve("on-the-volume/rescue-fallback");
        rescueFallbackDir = fallback;

        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining(fallback.toString());
        assertThat(new CredentialRescue(faults()).pending()).singleElement()
                .satisfies(r -> assertThat(r.file()).startsWith(fallback));
        assertThat(new CredentialRescue(faults()).fallbackDir().getParent()).as("a folder of this installation's under it")
                .isEqualTo(fallback);
    }

    /** A 200 with one credential for three devices: in doubt, the answer to be kept. */
    byte[] thePlatformAnswersOneCredentialForThreeDevices() {
        byte[] body = "{\"credentials\":[{\"deviceId\":\"id-D1\",\"deviceKey\":\"key-D1\"}]}".getBytes();
        platform.answer = d -> new RegistrationOutcome.InDoubt("HTTP 200 with 1 credential(s) for 3 device(s)", 200,
                new io.bulkreg.mcs.RawAnswer(200, body));
        return body;
    }

    /** The commit that flags the devices in doubt and keeps their answer fails. */
    void theDatabaseRefusesEveryAnswerToKeep() {
        db.jdbc().execute("ALTER TABLE kept_answer ADD CONSTRAINT no_answer_accepted CHECK (http_status < 0)");
    }

    /** A file where the rescue folder should be, and one where its fallback folder should be. */
    CredentialRescue noRescueFolderTakesAFile() throws IOException {
        Files.writeString(dir.resolve("rescue"), "not a folder");
        CredentialRescue rescue = new CredentialRescue(faults());
        Files.createDirectories(rescue.fallbackDir().getParent());
        Files.writeString(rescue.fallbackDir(), "not a folder either");
        return rescue;
    }

    void theDatabaseRefusesEveryKey() {
        db.jdbc().execute("ALTER TABLE device_registration ADD CONSTRAINT no_key_accepted CHECK (device_key IS NULL)");
    }

    @Test
    void givenAnInterruptWhileTheStoreWaitsToRetry_whenDispatched_thenTheKeysAreRescuedAtOnceAndTheRunStops() {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();

        assertThatThrownBy(() -> dispatcher(d -> {
            throw new InterruptedException("SIGTERM's stop");
        }).dispatch(devices)).isInstanceOf(RunAbortedException.class).hasMessageContaining("they are saved in");

        assertThat(new CredentialRescue(faults()).pending()).singleElement()
                .satisfies(r -> assertThat(r.credentials()).hasSize(2));
        assertThat(Thread.interrupted()).as("the interrupt is kept for its owner").isTrue();
    }

    @Test
    void givenARescueFolderThatCannotBeWritten_whenTheDatabaseRefusesTheKeys_thenTheyAreRescuedToTheFallbackFolder()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();
        Files.writeString(dir.resolve("rescue"), "a file where the folder should be");
        CredentialRescue rescue = new CredentialRescue(faults());

        try {
            assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class)
                    .hasMessageContaining(rescue.fallbackDir().toString());

            assertThat(rescue.pending()).singleElement().satisfies(r -> assertThat(r.file()).startsWith(rescue.fallbackDir()));
        } finally {
            deleteFolder(rescue.fallbackDir());
        }
    }

    @Test
    void givenNeitherTheDatabaseNorAnyRescueFolderTakesTheKeys_whenDispatched_thenItKeepsTryingUntilTheDatabaseComesBack()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();
        CredentialRescue rescue = noRescueFolderTakesAFile();
        List<Duration> waits = new ArrayList<>();

        try {
            assertThatThrownBy(() -> dispatcher(d -> {
                waits.add(d);
                if (waits.size() == 4) {
                    db.jdbc().execute("ALTER TABLE device_registration DROP CONSTRAINT no_key_accepted");
                }
            }).dispatch(devices)).isInstanceOf(RunAbortedException.class)
                    .hasMessageContaining("were stored after the database came back");

            assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            assertThat(devices("REGISTERED")).isEqualTo(2);
        } finally {
            Files.deleteIfExists(rescue.fallbackDir());
        }
    }

    @Test
    void givenARescueFileThatCannotBeRead_whenRescuesAreListed_thenItIsMovedAsideAndTheOthersAreStillStored() throws Exception {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();
        assertThatThrownBy(() -> dispatcher().dispatch(devices.subList(0, 1))).isInstanceOf(RunAbortedException.class);
        Files.writeString(dir.resolve("rescue/broken.credentials.json"), "{ cut off by a full disk");
        db.jdbc().execute("ALTER TABLE device_registration DROP CONSTRAINT no_key_accepted");
        CredentialRescue rescue = new CredentialRescue(faults());

        int stored = new InFlightRecovery(db.jdbcClient(), new SkipLog(db.jdbc()), rescue, registrations()).storeRescued();

        assertThat(stored).isEqualTo(1);
        assertThat(devices("REGISTERED")).isEqualTo(1);
        assertThat(dir.resolve("rescue/broken.credentials.json.unreadable")).exists();
        assertThat(rescue.pending()).isEmpty();
    }

    @Test
    void givenARescueWhoseKeysTheDatabaseAlreadyHolds_whenStored_thenItCountsAsStoredAndTheFileIsDone() {
        List<DeviceRow> devices = pendingDevices(2);
        theDatabaseRefusesEveryKey();
        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class);
        db.jdbc().execute("ALTER TABLE device_registration DROP CONSTRAINT no_key_accepted");
        CredentialRescue rescue = new CredentialRescue(faults());
        CredentialRescue.Rescued file = rescue.pending().get(0);
        // The commit that "failed" did succeed: the database holds the keys already.
        registrations().storeRescued(file.requestId(), file.credentials());

        int stored = new InFlightRecovery(db.jdbcClient(), new SkipLog(db.jdbc()), rescue, registrations()).storeRescued();

        assertThat(stored).isZero();
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(rescue.pending()).isEmpty();
    }

    static void deleteFolder(Path folder) throws Exception {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void givenEightDispatchersOfferedTheSameDevices_whenTheyRunInParallel_thenNoDeviceIsSentTwice() throws Exception {
        List<DeviceRow> devices = pendingDevices(400);
        DataSource pooled = db.connectionPerUse();
        RunStop stop = new RunStop();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            RequestDispatcher dispatcher = dispatcher(pooled, stop);
            int offset = t * 7;   // every dispatcher goes through every device, each from another place and in requests of 10
            runs.add(threads.submit(() -> {
                for (int i = 0; i < devices.size(); i += 10) {
                    int from = (i + offset * 10) % devices.size();
                    dispatcher.dispatch(devices.subList(from, Math.min(devices.size(), from + 10)));
                }
            }));
        }
        for (var run : runs) {
            run.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        Map<String, Long> sends = platform.requests.stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(DeviceRequest::name, Collectors.counting()));
        assertThat(sends).hasSize(400);
        assertThat(sends.values()).as("sends per device").containsOnly(1L);
        assertThat(devices("REGISTERED")).isEqualTo(400);
    }

    @Test
    void givenAThrottledPlatform_when429sOutnumberMaxAttempts_thenTheRequestIsStillRegisteredWithFewerInFlight() {
        List<DeviceRow> devices = pendingDevices(2);
        List<Integer> answers = new ArrayList<>();
        platform.answer = d -> {
            answers.add(answers.size() + 1);
            return answers.size() <= 5 ? new RegistrationOutcome.NotTaken("429", new McsError(429, null, null, null),
                    Duration.ofSeconds(1)) : ScriptedPlatform.registersAll().apply(d);
        };

        dispatcher().dispatch(devices);   // max-attempts is 3

        assertThat(platform.requests).hasSize(6);
        assertThat(pauses).hasSize(5).allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(permits.limit()).as("halved from 4 on each 429, down to 1; +1 for the answer taken").isEqualTo(2);
    }

    @Test
    void givenAnUnreachablePlatform_whenItStaysDown_thenTheRunStillFailsAfterMaxAttempts() {
        List<DeviceRow> devices = pendingDevices(2);
        platform.answer = d -> new RegistrationOutcome.NotTaken("connection refused", null, null);

        assertThatThrownBy(() -> dispatcher().dispatch(devices)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("after 3 attempts");

        assertThat(platform.requests).hasSize(3);
        assertThat(devices("PENDING")).isEqualTo(2);
    }

    @Test
    void givenOneDispatcherOfARunStopped_whenAnotherIsAboutToSend_thenItStopsForTheSameReasonWithoutSending() {
        List<DeviceRow> devices = pendingDevices(4);
        RunStop stop = new RunStop();
        platform.answer = d -> new RegistrationOutcome.Unauthorized(new McsError(401, 4001, null, "token is incorrect"));
        assertThatThrownBy(() -> dispatcher(db.dataSource(), stop).dispatch(devices.subList(0, 2)))
                .isInstanceOf(RunAbortedException.class);
        platform.answer = ScriptedPlatform.registersAll();

        assertThatThrownBy(() -> dispatcher(db.dataSource(), stop).dispatch(devices.subList(2, 4)))
                .isInstanceOf(RunAbortedException.class).hasMessageContaining("refused the token");

        assertThat(platform.requests).hasSize(1);
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    /**
     * Commits as the dispatcher's state changes ask, counting them (a durable commit is the unit of local cost); once
     * armed, reports the next commit as failed after it landed: a connection lost in COMMIT.
     */
    static final class ObservedTransactions extends DataSourceTransactionManager {
        final AtomicInteger commits = new AtomicInteger();
        final AtomicBoolean loseNextCommit = new AtomicBoolean();

        ObservedTransactions(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            super.doCommit(status);
            commits.incrementAndGet();
            if (loseNextCommit.getAndSet(false)) {
                throw new TransactionSystemException("connection lost in COMMIT");
            }
        }
    }

    @Test
    void givenMoreRequestsToFollow_whenALotIsSent_thenEachStoreClaimsTheNextRequestInTheSameCommit() {
        pendingDevices(20);
        ObservedTransactions transactions = new ObservedTransactions(db.dataSource());
        RequestDispatcher dispatcher = dispatcher(transactions);

        while (dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true)) {
            // one request a call
        }

        assertThat(platform.requests).hasSize(10);
        assertThat(devices("REGISTERED")).isEqualTo(20);
        // the first claim, ten stores each with the next claim, the claim that finds nothing: 12, where a claim and a
        // store of their own for each request made 21
        assertThat(transactions.commits).hasValue(12);
    }

    @Test
    void givenNoMoreRequestsToFollow_whenARequestIsStored_thenNothingIsClaimedAhead() {
        pendingDevices(6);

        dispatcher().dispatchNext(PendingDevices.of("L"), 2, () -> false);

        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenARequestClaimedAhead_whenTheNextCallComes_thenThoseDevicesAreSentUnderTheRequestLoggedForThem() {
        pendingDevices(6);
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);
        String ahead = db.jdbc().queryForObject("SELECT DISTINCT request_id FROM device_registration WHERE status = 'IN_FLIGHT'",
                String.class);
        assertThat(db.jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'IN_FLIGHT' ORDER BY id",
                String.class)).containsExactly("D3", "D4");

        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> false);

        assertThat(platform.requests.get(1)).extracting(DeviceRequest::name).containsExactly("D3", "D4");
        assertThat(db.jdbc().queryForList("SELECT DISTINCT request_id FROM device_registration WHERE name IN ('D3', 'D4')",
                String.class)).containsExactly(ahead);
        assertThat(db.jdbc().queryForObject("SELECT outcome FROM registration_request WHERE request_id = ?", String.class,
                ahead)).isEqualTo("REGISTERED");
        assertThat(devices("PENDING")).isEqualTo(2);
    }

    @Test
    void givenARequestClaimedAhead_whenItIsGivenBack_thenItsDevicesWaitAgainAndTheRequestIsLoggedNotTaken() {
        pendingDevices(6);
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);

        dispatcher.giveBackClaimedAhead("not sent: the partition's step ended (STOPPED)");

        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(platform.requests).hasSize(1);
        assertThat(db.jdbc().queryForList("SELECT outcome FROM registration_request ORDER BY sent_at, outcome",
                String.class)).containsExactlyInAnyOrder("REGISTERED", "NOT_TAKEN");
    }

    @Test
    void givenARequestClaimedAhead_whenTheRunStopsBeforeItIsSent_thenNothingIsSentAndItsDevicesWaitAgain() {
        pendingDevices(6);
        RunStop stop = new RunStop();
        RequestDispatcher dispatcher = dispatcher(db.dataSource(), stop);
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);
        stop.stopWith("another partition's request was refused the token");

        assertThatThrownBy(() -> dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true))
                .isInstanceOf(RunAbortedException.class);

        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenTheLeaseIsTakenWhileARequestIsClaimedAhead_whenTheNextCallComes_thenNothingIsSent() {
        pendingDevices(6);
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);
        leaseHeld.set(false);

        assertThatThrownBy(() -> dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true))
                .isInstanceOf(RunAbortedException.class);

        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
    }

    /** The one place at the platform, held by another partition's request. */
    SendPermits.Permit placeOfAnotherPartition;

    /**
     * A dispatcher of a process with one place at the platform: its first request (D1, D2) registered, its next (D3,
     * D4) claimed ahead in that store's commit, and the place taken meanwhile by another partition's request.
     */
    RequestDispatcher aRequestClaimedAheadAndThePlaceTaken() {
        pendingDevices(6);
        permits = SendPermits.of(1);
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);
        placeOfAnotherPartition = permits.tryAcquire().orElseThrow();
        return dispatcher;
    }

    /** The dispatcher's next call on a thread of its own, as a partition makes it. */
    record NextCall(Thread thread, CompletableFuture<Boolean> sent) {
    }

    static NextCall nextCallOf(RequestDispatcher dispatcher) {
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                sent.complete(dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> false));
            } catch (RuntimeException e) {
                sent.completeExceptionally(e);
            }
        }, "partition");
        thread.setDaemon(true);
        thread.start();
        return new NextCall(thread, sent);
    }

    /** Once the call's thread waits (for its place, its rate-limit turn): its request is claimed and not sent. */
    static NextCall waiting(NextCall call) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (call.thread().getState() != Thread.State.TIMED_WAITING && call.thread().getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - giveUp).as("the call waits within 10 s").isNegative();
            Thread.sleep(10);
        }
        return call;
    }

    @Test
    void givenARequestWaitingForItsRateLimitTurn_whenItsThreadIsInterrupted_thenNothingIsSentAndItsDevicesWaitAgain()
            throws Exception {
        pendingDevices(4);
        permits = new SendPermits(2, 1, Duration.ofSeconds(30));   // one request a second
        RequestDispatcher dispatcher = dispatcher();
        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> false);   // took this second's token
        NextCall next = waiting(nextCallOf(dispatcher));   // D3, D4 claimed, waiting for the next token

        next.thread().interrupt();

        assertThatThrownBy(() -> next.sent().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RunAbortedException.class);
        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(2);
    }

    @Test
    void givenEveryPlaceTakenWhileARequestIsClaimedAhead_whenAPlaceIsFreed_thenTheRequestTakesItAndLeaves() throws Exception {
        NextCall next = waiting(nextCallOf(aRequestClaimedAheadAndThePlaceTaken()));
        assertThat(platform.requests).as("waiting for a place: not sent").hasSize(1);

        placeOfAnotherPartition.answered();

        assertThat(next.sent().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(platform.requests).hasSize(2);
        assertThat(platform.requests.get(1)).extracting(DeviceRequest::name).containsExactly("D3", "D4");
        assertThat(devices("REGISTERED")).isEqualTo(4);
        assertThat(permits.tryAcquireNow()).as("its place given back with the answer").isPresent();
    }

    @Test
    void givenARequestClaimedAheadWaitingForAPlace_whenTheProcessIsAskedToStop_thenItIsNotSentAndItsDevicesWaitAgain()
            throws Exception {
        RequestDispatcher dispatcher = aRequestClaimedAheadAndThePlaceTaken();
        NextCall next = waiting(nextCallOf(dispatcher));

        stopAsked.set(true);

        assertThat(next.sent().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(platform.requests).as("only the first request left").hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(dispatcher.hasClaimedAhead()).isFalse();
        assertThat(db.jdbc().queryForList("SELECT outcome FROM registration_request ORDER BY sent_at, outcome",
                String.class)).containsExactlyInAnyOrder("REGISTERED", "NOT_TAKEN");
    }

    @Test
    void givenTheLeaseIsLostWhileARequestClaimedAheadWaitsForAPlace_whenItWouldLeave_thenNothingIsSentAndItsDevicesWaitAgain()
            throws Exception {
        NextCall next = waiting(nextCallOf(aRequestClaimedAheadAndThePlaceTaken()));

        leaseHeld.set(false);

        assertThatThrownBy(() -> next.sent().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RunAbortedException.class);
        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenTheLeaseTakenOverInTheDatabaseWhileARequestWaitedLongForItsPlace_whenItWouldLeave_thenNothingIsSent()
            throws Exception {
        NextCall next = waiting(nextCallOf(aRequestClaimedAheadAndThePlaceTaken()));   // its heartbeat: still held
        db.jdbc().update("UPDATE job_lease SET instance_id = 'another-worker' WHERE job_execution_id = ?", EXECUTION);
        Thread.sleep(RequestDispatcher.LEASE_LOOKED_UP_AFTER.toMillis() + 300);

        placeOfAnotherPartition.answered();

        assertThatThrownBy(() -> next.sent().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RunAbortedException.class);
        assertThat(platform.requests).as("only the request sent before the takeover").hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenTheLeaseLookUpFailsAfterALongWaitForAPlace_whenTheRequestWouldLeave_thenItIsNotSentAndItsDevicesWaitAgain()
            throws Exception {
        NextCall next = waiting(nextCallOf(aRequestClaimedAheadAndThePlaceTaken()));
        db.jdbc().execute("ALTER TABLE job_lease RENAME TO job_lease_unreadable");   // the look-up fails, the rest works
        Thread.sleep(RequestDispatcher.LEASE_LOOKED_UP_AFTER.toMillis() + 300);

        placeOfAnotherPartition.answered();

        assertThatThrownBy(() -> next.sent().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DataAccessException.class);
        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).as("not left in flight, to be flagged in doubt though never sent").isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenARequestClaimedAheadWaitingForAPlace_whenItsThreadIsInterrupted_thenNothingIsSentAndItsDevicesWaitAgain()
            throws Exception {
        NextCall next = waiting(nextCallOf(aRequestClaimedAheadAndThePlaceTaken()));

        next.thread().interrupt();

        assertThatThrownBy(() -> next.sent().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RunAbortedException.class);
        assertThat(platform.requests).hasSize(1);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    @Test
    void givenThePlatformThrottled_whenTheNextRequestIsStored_thenNothingIsClaimedAheadOfThePlacesLeft() {
        pendingDevices(6);
        throttlesTheFirstRequest();
        RequestDispatcher dispatcher = dispatcher();

        dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);

        assertThat(permits.limit()).as("halved by the 429").isLessThan(4);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(dispatcher.hasClaimedAhead()).isFalse();
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(4);
    }

    /** The first request is throttled (429, back off 2 s); the others are registered. */
    void throttlesTheFirstRequest() {
        List<Integer> attempts = new ArrayList<>();
        platform.answer = d -> {
            attempts.add(attempts.size() + 1);
            return attempts.size() == 1 ? new RegistrationOutcome.NotTaken("429", new McsError(429, null, null, null),
                    Duration.ofSeconds(2)) : ScriptedPlatform.registersAll().apply(d);
        };
    }

    /** What another worker's claim gets right now: the devices it would send. */
    List<String> anotherWorkerClaims() {
        Claim claim = registrations().claimNext(PendingDevices.of("L"), 10, RequestId.random(),
                new LeaseHolder(EXECUTION, INSTANCE), "scripted");
        return claim instanceof Claim.Request r ? r.request().devices().stream().map(DeviceRow::name).toList() : List.of();
    }

    @Test
    void givenAThrottledRequest_whileItsDispatcherBacksOff_thenNoOtherWorkerTakesItsDevices() {
        List<DeviceRow> devices = pendingDevices(2);
        throttlesTheFirstRequest();
        List<List<String>> claimedByOthers = new ArrayList<>();

        dispatcher(d -> claimedByOthers.add(anotherWorkerClaims())).dispatch(devices);

        assertThat(claimedByOthers).containsExactly(List.of());
        assertThat(platform.requests).hasSize(2);
        assertThat(devices("REGISTERED")).isEqualTo(2);
    }

    @Test
    void givenARequestRefusedWhole_whileItsHalvesAreSent_thenNoOtherWorkerTakesItsDevices() {
        List<DeviceRow> devices = pendingDevices(4);
        platform.answer = refusing(Set.of("D4"));
        List<List<String>> claimedByOthers = new ArrayList<>();
        platform.beforeAnswer = () -> {
            if (platform.requests.size() == 2) {   // the first half is on its way; the second waits its turn
                claimedByOthers.add(anotherWorkerClaims());
            }
        };

        dispatcher().dispatch(devices);

        assertThat(claimedByOthers).containsExactly(List.of());
        assertThat(devices("REGISTERED")).isEqualTo(3);
        assertThat(db.jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'REJECTED'", String.class))
                .containsExactly("D4");
    }

    @Test
    void givenAThrottledRequest_whenTheRunStopsDuringTheBackoff_thenItsDevicesWaitAgain() {
        List<DeviceRow> devices = pendingDevices(2);
        throttlesTheFirstRequest();

        assertThatThrownBy(() -> dispatcher(d -> {
            throw new InterruptedException("SIGTERM");
        }).dispatch(devices)).isInstanceOf(RunAbortedException.class);

        assertThat(devices("PENDING")).isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).isZero();
    }

    @Test
    void givenAProcessThatDiedDuringABackoff_whenTheNextRunRecovers_thenTheHeldDevicesWaitAgainAndNoneIsInDoubt() {
        List<DeviceRow> devices = pendingDevices(2);
        throttlesTheFirstRequest();
        assertThatThrownBy(() -> dispatcher(d -> {
            throw new OutOfMemoryError("the process dies here");
        }).dispatch(devices)).isInstanceOf(OutOfMemoryError.class);
        assertThat(devices("IN_FLIGHT")).as("held for the resend when the process died").isEqualTo(2);
        db.jdbc().update("DELETE FROM job_lease WHERE job_execution_id = ?", EXECUTION);   // its lease ended with it

        int inDoubt = new InFlightRecovery(db.jdbcClient(), new SkipLog(db.jdbc()), new CredentialRescue(faults()),
                registrations()).recover(EXECUTION + 1);

        assertThat(inDoubt).isZero();
        assertThat(devices("PENDING")).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenTheCommitOfAStoreWithTheNextClaimFails_whenDispatched_thenTheKeysAreStoredAloneAtOnceAndNothingStaysClaimed() {
        pendingDevices(4);
        // The next claim cannot mark D3 in flight: the store with it fails whole, the store alone passes.
        db.jdbc().execute("ALTER TABLE device_registration ADD CONSTRAINT d3_stays_put "
                + "CHECK (status <> 'IN_FLIGHT' OR name <> 'D3') NOCHECK");

        dispatcher().dispatchNext(PendingDevices.of("L"), 2, () -> true);

        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(devices("PENDING")).isEqualTo(2);
        assertThat(pauses).as("not one of the store's attempts: no wait before the store alone").isEmpty();
        assertThat(new CredentialRescue(faults()).pending()).isEmpty();
    }

    @Test
    void givenAThrottledRequest_whenTheProcessIsAskedToStopDuringTheBackoff_thenItsDevicesWaitAgainAndTheCallReturns() {
        List<DeviceRow> devices = pendingDevices(2);
        throttlesTheFirstRequest();
        AtomicBoolean sigterm = new AtomicBoolean();
        FaultProperties faults = faults();
        RequestDispatcher dispatcher = new RequestDispatcher(platform, registrations(), new FaultPolicy(faults),
                new CredentialRescue(faults), new RequestDispatcher.Execution(EXECUTION, INSTANCE, leaseHeld::get,
                        new RunStop(), sigterm::get), d -> sigterm.set(true), permits, (cause, waited) -> { });

        dispatcher.dispatch(devices);

        assertThat(platform.requests).as("not sent again").hasSize(1);
        assertThat(devices("PENDING")).isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).isZero();
    }
    /** A dispatcher of a process whose SIGTERM (or `stop`) flag is {@code stopAsked}. */
    RequestDispatcher dispatcherAskedToStopBy(AtomicBoolean stopAsked) {
        FaultProperties faults = faults();
        return new RequestDispatcher(platform, registrations(), new FaultPolicy(faults), new CredentialRescue(faults),
                new RequestDispatcher.Execution(EXECUTION, INSTANCE, leaseHeld::get, new RunStop(), stopAsked::get),
                pauses::add, permits, (cause, waited) -> { });
    }

    @Test
    void givenARequestRefusedWhole_whenTheProcessIsAskedToStopWhileItIsAnswered_thenNoHalfIsSentAndItsDevicesWaitAgain() {
        List<DeviceRow> devices = pendingDevices(4);
        platform.answer = refusing(Set.of("D4"));
        AtomicBoolean sigterm = new AtomicBoolean();
        platform.beforeAnswer = () -> sigterm.set(true);

        RequestDispatcher dispatcher = dispatcherAskedToStopBy(sigterm);
        dispatcher.dispatch(devices);

        assertThat(dispatcher.takeTally().settled()).isZero();
        assertThat(platform.requests).as("the refused request only").hasSize(1);
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenARequestRefusedWhole_whenTheProcessIsAskedToStopWhileItsFirstHalfIsAnswered_thenTheSecondHalfWaitsAgain() {
        List<DeviceRow> devices = pendingDevices(4);
        platform.answer = refusing(Set.of("D4"));
        AtomicBoolean sigterm = new AtomicBoolean();
        platform.beforeAnswer = () -> sigterm.set(platform.requests.size() == 2);

        RequestDispatcher dispatcher = dispatcherAskedToStopBy(sigterm);
        dispatcher.dispatch(devices);

        assertThat(dispatcher.takeTally()).isEqualTo(new RequestDispatcher.Tally(2, 0, 0));
        assertThat(platform.requests).as("the refused request and its first half").hasSize(2);
        assertThat(db.jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'REGISTERED' ORDER BY id",
                String.class)).containsExactly("D1", "D2");
        assertThat(db.jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'PENDING' ORDER BY id",
                String.class)).containsExactly("D3", "D4");
        assertThat(devices("IN_FLIGHT")).isZero();
    }

    @Test
    void givenAHalfThrottled_whenTheProcessIsAskedToStopDuringItsBackoff_thenTheOtherHalfIsNotSentEither() {
        List<DeviceRow> devices = pendingDevices(4);
        AtomicBoolean sigterm = new AtomicBoolean();
        platform.answer = d -> platform.requests.size() == 1
                ? refusing(Set.of("D4")).apply(d)
                : new RegistrationOutcome.NotTaken("429", new McsError(429, null, null, null), Duration.ofSeconds(2));
        FaultProperties faults = faults();
        RequestDispatcher dispatcher = new RequestDispatcher(platform, registrations(), new FaultPolicy(faults),
                new CredentialRescue(faults), new RequestDispatcher.Execution(EXECUTION, INSTANCE, leaseHeld::get,
                        new RunStop(), sigterm::get), d -> sigterm.set(true), permits, (cause, waited) -> { });

        dispatcher.dispatch(devices);

        assertThat(platform.requests).as("the refused request and its throttled first half").hasSize(2);
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(devices("IN_FLIGHT")).isZero();
    }

    /** A dispatcher whose state changes commit through {@code transactions}. */
    RequestDispatcher dispatcher(DataSourceTransactionManager transactions) {
        FaultProperties faults = faults();
        DataSource dataSource = db.dataSource();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DeviceKeyVault vault = new DeviceKeyVault(new CryptoProperties(null, null, "k1"));
        DeviceRegistrations registrations = new DeviceRegistrations(JdbcClient.create(dataSource), jdbc,
                new SkipLog(jdbc), vault, new NewTransaction(transactions), new KeptAnswers(JdbcClient.create(dataSource), vault));
        return new RequestDispatcher(platform, registrations, new FaultPolicy(faults), new CredentialRescue(faults),
                new RequestDispatcher.Execution(EXECUTION, INSTANCE, leaseHeld::get, new RunStop()), pauses::add,
                permits, (cause, duration) -> { });
    }

    @Test
    void givenTheCommitOfAStoreWithTheNextClaimLandsButReportsAFailure_whenDispatched_thenTheKeysCountAsStoredAndTheClaimWaitsAgain() {
        pendingDevices(4);
        permits = SendPermits.of(1);
        ObservedTransactions transactions = new ObservedTransactions(db.dataSource());
        platform.beforeAnswer = () -> transactions.loseNextCommit.set(true);   // the commit after the answer: the store's
        RequestDispatcher dispatcher = dispatcher(transactions);

        boolean sent = dispatcher.dispatchNext(PendingDevices.of("L"), 2, () -> true);

        assertThat(sent).isTrue();
        assertThat(dispatcher.takeTally().stored()).isEqualTo(2);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(dispatcher.hasClaimedAhead()).isFalse();
        assertThat(devices("PENDING")).as("the claim that landed with the keys, given back").isEqualTo(2);
        assertThat(devices("IN_FLIGHT")).isZero();
        assertThat(db.jdbc().queryForList("SELECT outcome FROM registration_request ORDER BY sent_at", String.class))
                .as("the request stored, and the one claimed with it logged as not taken")
                .containsExactly("REGISTERED", "NOT_TAKEN");
        assertThat(permits.tryAcquireNow()).as("the place the claim held, free again").isPresent();
        assertThat(pauses).as("no store retried").isEmpty();
        assertThat(new CredentialRescue(faults()).pending()).as("no rescue file").isEmpty();
    }

    @Test
    void givenTheCommitOfAStoreLandsButReportsAFailure_whenDispatched_thenTheKeysCountAsStoredWithoutRetryOrRescue() {
        List<DeviceRow> devices = pendingDevices(2);
        ObservedTransactions transactions = new ObservedTransactions(db.dataSource());
        platform.beforeAnswer = () -> transactions.loseNextCommit.set(true);
        RequestDispatcher dispatcher = dispatcher(transactions);

        dispatcher.dispatch(devices);

        assertThat(dispatcher.takeTally().stored()).isEqualTo(2);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(pauses).as("no store retried").isEmpty();
        assertThat(new CredentialRescue(faults()).pending()).as("no rescue file").isEmpty();
    }
    @Test
    void givenTheLeaseIsTakenOverAndTheStoresCommitLandsButReportsAFailure_whenDispatched_thenTheKeysAreStoredAndTheRunStops() {
        List<DeviceRow> devices = pendingDevices(2);
        ObservedTransactions transactions = new ObservedTransactions(db.dataSource());
        platform.beforeAnswer = () -> {
            db.jdbc().update("UPDATE job_lease SET instance_id = 'the-run-that-took-over'");
            transactions.loseNextCommit.set(true);
        };
        RequestDispatcher dispatcher = dispatcher(transactions);

        assertThatThrownBy(() -> dispatcher.dispatch(devices)).isInstanceOf(RunAbortedException.class);

        assertThat(db.count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED' AND device_key IS NOT NULL"))
                .isEqualTo(2);
        assertThat(new CredentialRescue(faults()).pending()).as("no rescue file").isEmpty();
    }

    @Test
    void givenARequestRefusedWhole_whenTheProcessIsAskedToStopWhileAHalfWaitsForItsRateLimitTurn_thenTheHalfIsNotSent()
            throws Exception {
        List<DeviceRow> devices = pendingDevices(4);
        permits = new SendPermits(4, 1, Duration.ofSeconds(5));   // one request a second: the half waits its turn
        platform.answer = refusing(Set.of("D4"));
        AtomicBoolean sigterm = new AtomicBoolean();
        platform.beforeAnswer = () -> new Thread(() -> {
            try {
                Thread.sleep(300);   // the half has begun to wait for its turn (about a second)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sigterm.set(true);
        }).start();
        RequestDispatcher dispatcher = dispatcherAskedToStopBy(sigterm);

        dispatcher.dispatch(devices);

        assertThat(platform.requests).as("the refused request only").hasSize(1);
        assertThat(devices("PENDING")).isEqualTo(4);
        assertThat(devices("IN_FLIGHT")).isZero();
    }
}
