package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.Tmpfs;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What an operator does after a run: resolve devices in doubt, export credentials, read the report. */
@OnEveryDatabase
class OperatorCommandsSpec extends JobSpec {

    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withRejectNamesContaining("REFUSE-ME");
    }

    Map<String, Object> fivePerRequest(Object... extra) {
        Map<String, Object> p = properties(extra);
        p.put("bulkreg.mcs.devices-per-request", "5");
        return p;
    }

    Path lotWithFiveInDoubt(String lot) {
        Path file = LotCsv.lot(lot).devices("prod-o", 10).write(dir);
        sandbox.arm(SandboxFault.Status.of(500), 1);   // a 500 that (in the sandbox) registered nothing
        assertThat(run(fivePerRequest(), "register", "--file", file.toString()).exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
        return file;
    }

    @Test
    void givenALotFile_whenRehearsed_thenItSaysWhatARunWouldDoAndWritesAndSendsNothing() {
        LotCsv csv = LotCsv.lot("LOT-O-0").devices("prod-o", 12);
        csv.device("prod-o", "Bad", "false", "O-0", null);
        Path file = csv.write(dir);

        CliRun.Result rehearsal = run(fivePerRequest(), "rehearse", "--file", file.toString());

        assertThat(rehearsal.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rehearsal.output()).contains("nothing was written", "imported 12 devices from 13 lines",
                file + ":14: serial: must be 1 to 49 letters and digits", "Would send 12 devices in 3 requests of up to 5");
        assertThat(sandbox.requestCount()).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isZero();

        CliRun.Result real = run(fivePerRequest(), "register", "--file", file.toString());

        assertThat(real.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.requestCount()).isEqualTo(3);
    }

    @Test
    void givenADatabaseAnOlderBulkregMigrated_whenRehearsed_thenItsSchemaIsLeftAsItIsAndTheRehearsalSaysWhy() {
        db.close();
        db = TestDatabase.create(database()).migratedByFlywayUpTo("16");
        long migrations = count("SELECT COUNT(*) FROM \"flyway_schema_history\"");
        Path file = LotCsv.lot("LOT-O-OLD").devices("prod-o", 2).write(dir);

        CliRun.Result rehearsal = run(fivePerRequest(), "rehearse", "--file", file.toString());

        assertThat(rehearsal.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(rehearsal.output()).contains("schema is at version 16 and this bulkreg needs version",
                "A rehearsal changes nothing", "Nothing was imported or sent");
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\"")).as("migrations applied").isEqualTo(migrations);
        CliRun.Result real = run(fivePerRequest(), "register", "--file", file.toString());
        assertThat(real.exitCode()).as("a run migrates and registers").isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\"")).isGreaterThan(migrations);
    }

    @Test
    void givenADatabaseWhoseLastMigrationFailed_whenRehearsed_thenItStopsOnTheFailedMigrationNotOnTheUpgradeAdvice() {
        db.close();
        // The last migration before V16 (V15 is PostgreSQL's only); V17 stays pending
        db = TestDatabase.create(database()).migratedByFlywayUpTo(database() == TestDatabase.Kind.H2 ? "14" : "15");
        // As a V16 that failed half-way leaves the history (on H2, whose schema changes are not rolled back)
        jdbc().update("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", "
                + "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                + "SELECT MAX(\"installed_rank\") + 1, '16', 'failed', 'SQL', 'V16__failed.sql', 0, 'test', 0, FALSE "
                + "FROM \"flyway_schema_history\"");
        Path file = LotCsv.lot("LOT-O-FAILED").devices("prod-o", 2).write(dir);

        CliRun.Result rehearsal = CliRun.runToExit(fivePerRequest(), "rehearse", "--file", file.toString());

        assertThat(rehearsal.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rehearsal.output()).contains("failed migration to version 16").doesNotContain("A rehearsal changes nothing");
    }

    @Test
    void givenDevicesInDoubt_whenResolvedWithResend_thenTheNextRunSendsThemAndRecordsTheResolution() {
        lotWithFiveInDoubt("LOT-O-1");

        CliRun.Result resolve = run(fivePerRequest(), "resolve-in-doubt", "--lot", "LOT-O-1", "--resend");
        CliRun.Result next = run(fivePerRequest(), "register", "--lot", "LOT-O-1");

        assertThat(resolve.output()).contains("5 devices in doubt of lot LOT-O-1 will be sent again");
        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(10);
        assertThat(sandbox.devices()).hasSize(10);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'IN_DOUBT' AND resolution = 'RESENT'")).isEqualTo(5);
    }

    @Test
    void givenFiftyDevicesInDoubtThatThePlatformHolds_whenResentAndRegistered_thenOneRunCompletesWithTheFiftyHeldByThePlatform() {
        Path file = LotCsv.lot("LOT-O-HELD").devices("prod-o", 50).write(dir);
        Map<String, Object> fifty = properties("bulkreg.mcs.devices-per-request", "50");
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);   // registered, then the answer lost: a crash's doubt
        assertThat(run(fifty, "register", "--file", file.toString()).exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(50);

        run(fifty, "resolve-in-doubt", "--lot", "LOT-O-HELD", "--resend");
        CliRun.Result next = run(fifty, "register", "--lot", "LOT-O-HELD");

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(next.output()).doesNotContain("in a row were refused")
                .as("the summary tells them from refused devices").contains(" registered, 0 rejected by the platform")
                .contains("and 50 already held by the platform");
        assertThat(jdbc().queryForList("SELECT status FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID", String.class))
                .as("the crashed run, then one run that completes").containsExactly("COMPLETED", "COMPLETED");
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'HELD_BY_PLATFORM' AND error_code = 4014"))
                .isEqualTo(50);
        assertThat(skips("API")).as("none taken for a bad device").isZero();
        assertThat(devices("REJECTED")).isEqualTo(50);
        assertThat(sandbox.devices()).as("none registered twice").hasSize(50);
        assertThat(run(fifty, "report", "--lot", "LOT-O-HELD", "--format", "csv").output())
                .as("the lot's figures tell them from refused devices too: 0 rejected, 50 held by the platform")
                .contains("lot,total,registered,rejected,held_by_platform,in_doubt,")
                .contains("\nLOT-O-HELD,50,0,0,50,0,0,0,0,");
    }

    /** A rescue file of the request that left these devices in doubt (a run judged dead that rescued its keys late). */
    Path rescueFileOf(String lot, String deviceIdPrefix) throws Exception {
        String request = jdbc().queryForObject("SELECT DISTINCT request_id FROM device_registration WHERE lot_id = ? "
                + "AND status = 'IN_DOUBT'", String.class, lot);
        List<Long> ids = jdbc().queryForList("SELECT id FROM device_registration WHERE request_id = ? ORDER BY id",
                Long.class, request);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < ids.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"registrationId\":").append(ids.get(i))
                    .append(",\"deviceId\":\"").append(deviceIdPrefix).append(i)
                    .append("\",\"deviceKey\":\"rescued-key-").append(i).append("\",\"keyId\":null,\"chipName\":null}");
        }
        Path rescue = Files.createDirectories(dir.resolve("rescue")).resolve(request + ".credentials.json");
        Files.writeString(rescue, json.append("]").toString());
        return rescue;
    }

    @Test
    void givenDevicesInDoubtWhoseKeysWaitInARescueFile_whenResolvedWithResend_thenTheKeysAreStoredAndNoneIsSentAgain()
            throws Exception {
        lotWithFiveInDoubt("LOT-O-R1");
        Path rescue = rescueFileOf("LOT-O-R1", "rescued-id-");
        int requests = sandbox.requestCount();

        CliRun.Result resolve = run(fivePerRequest(), "resolve-in-doubt", "--lot", "LOT-O-R1", "--resend");
        run(fivePerRequest(), "register", "--lot", "LOT-O-R1");

        assertThat(resolve.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(resolve.output()).contains("Stored 5 rescued credentials", "0 devices in doubt of lot LOT-O-R1");
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE device_id LIKE 'rescued-id-%' "
                + "AND device_key LIKE 'rescued-key-%' AND status = 'REGISTERED'")).isEqualTo(5);
        assertThat(sandbox.requestCount()).as("nothing sent again").isEqualTo(requests);
        assertThat(rescue).doesNotExist();
    }

    @Test
    void givenDevicesInDoubtWhoseRescueFileTheDatabaseRefuses_whenResolvedWithResend_thenTheyStayInDoubtAndTheFileIsNamed()
            throws Exception {
        lotWithFiveInDoubt("LOT-O-R2");
        Path rescue = rescueFileOf("LOT-O-R2", "x".repeat(300));   // a device id over device_id's 200 characters
        int requests = sandbox.requestCount();

        CliRun.Result resolve = run(fivePerRequest(), "resolve-in-doubt", "--lot", "LOT-O-R2", "--resend");
        run(fivePerRequest(), "register", "--lot", "LOT-O-R2");

        assertThat(resolve.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(resolve.output()).contains("0 devices in doubt of lot LOT-O-R2",
                "5 devices in doubt of lot LOT-O-R2 were left as they are", rescue.toString());
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'IN_DOUBT' AND request_id IS NOT NULL"))
                .as("still under their request, so the rescue can be stored on them").isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE resolution IS NOT NULL")).isZero();
        assertThat(sandbox.requestCount()).as("nothing sent again").isEqualTo(requests);
        assertThat(rescue).exists();
    }

    @Test
    void givenDevicesInDoubt_whenResolvedWithReject_thenTheyAreRejectedAndNeverSent() {
        lotWithFiveInDoubt("LOT-O-2");
        int requests = sandbox.requestCount();

        run(fivePerRequest(), "resolve-in-doubt", "--lot", "LOT-O-2", "--reject");
        run(fivePerRequest(), "register", "--lot", "LOT-O-2");

        assertThat(devices("REJECTED")).isEqualTo(5);
        assertThat(sandbox.requestCount()).isEqualTo(requests);
    }

    @Test
    void givenTestDevicesInDoubtAndTheResendSetting_whenTheNextRunStarts_thenOnlyTheTestDevicesAreSentAgain() {
        LotCsv csv = LotCsv.lot("LOT-O-3");
        for (int i = 1; i <= 4; i++) {
            csv.device("prod-o", "Bench " + i, "true", null, null);
        }
        csv.device("prod-o", "Unit 1", "false", "O3S1", null).device("prod-o", "Unit 2", "false", "O3S2", null);
        Path file = csv.write(dir);
        sandbox.arm(SandboxFault.Status.of(504), 1);
        run(properties("bulkreg.mcs.devices-per-request", "6"), "register", "--file", file.toString());
        assertThat(devices("IN_DOUBT")).isEqualTo(6);

        run(properties("bulkreg.faults.resend-in-doubt-test-devices", "true"), "register", "--lot", "LOT-O-3");

        assertThat(jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'REGISTERED' ORDER BY name",
                String.class)).containsExactly("Bench 1", "Bench 2", "Bench 3", "Bench 4");
        assertThat(devices("IN_DOUBT")).isEqualTo(2);
    }

    @Test
    void givenTestDevicesWhoseKeysWaitInARescueFile_whenTheNextRunResendsTestDevicesInDoubt_thenThoseAreNotSentAgain() {
        LotCsv csv = LotCsv.lot("LOT-O-15");
        for (int i = 1; i <= 3; i++) {
            csv.device("prod-o", "Bench " + i, "true", null, null);
        }
        Path file = csv.write(dir);
        // The database takes no key: the first run rescues them to a file, the next cannot store that file either.
        jdbc().execute("ALTER TABLE device_registration ADD CONSTRAINT no_key_accepted CHECK (device_key IS NULL)");
        run(properties(), "register", "--file", file.toString());
        assertThat(sandbox.devices()).hasSize(3);
        // In doubt while their keys wait in the file: what another worker's recovery does after taking the lease over.
        jdbc().update("UPDATE device_registration SET status = 'IN_DOUBT' WHERE lot_id = 'LOT-O-15'");

        run(properties("bulkreg.faults.resend-in-doubt-test-devices", "true"), "register", "--lot", "LOT-O-15");

        assertThat(sandbox.devices()).as("each test device registered once: its key is in the rescue file").hasSize(3);
        jdbc().execute("ALTER TABLE device_registration DROP CONSTRAINT no_key_accepted");
        run(properties(), "register", "--lot", "LOT-O-15");
        assertThat(devices("REGISTERED")).as("the rescue stored once the database takes keys").isEqualTo(3);
    }

    @Test
    void givenAnEncryptionKey_whenRegistered_thenTheDatabaseHoldsCiphertextAndExportGivesTheIssuedKeys() throws Exception {
        Path file = LotCsv.lot("LOT-O-4").devices("prod-o", 6).write(dir);
        Map<String, Object> encrypted = properties("bulkreg.crypto.key", KEY, "bulkreg.crypto.key-id", "2026-11");

        run(encrypted, "register", "--file", file.toString());
        Path out = dir.resolve("credentials.csv");
        CliRun.Result export = run(encrypted, "export", "--lot", "LOT-O-4", "--output", out.toString());

        assertThat(export.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> stored = jdbc().queryForList("SELECT device_key FROM device_registration", String.class);
        List<String> exported = Files.readAllLines(out);
        assertThat(exported).hasSize(7);
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(stored).doesNotContain(device.deviceKey());
            assertThat(exported).contains(String.join(",", device.prodId(), device.serial(), device.name(),
                    device.deviceId(), device.deviceKey(), "", sandbox.baseUrl() + "/mcs/v2/devices"));
        }
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE device_key_id = '2026-11'")).isEqualTo(6);
    }

    @Test
    void givenALotRegistered_whenExportedToAFile_thenOnlyItsOwnerCanReadIt() throws Exception {
        Path file = LotCsv.lot("LOT-O-5").devices("prod-o", 2).write(dir);
        run(properties(), "register", "--file", file.toString());
        Path out = dir.resolve("credentials.json");

        run(properties(), "export", "--lot", "LOT-O-5", "--format", "json", "--output", out.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(Files.readString(out)).contains(sandbox.devices().get(0).deviceKey(), sandbox.devices().get(1).deviceKey());
    }

    /** A lot of {@code devices} registered on the sandbox. */
    void registered(String lot, int devices) {
        run(properties(), "register", "--file", LotCsv.lot(lot).devices("prod-o", devices).write(dir).toString());
    }

    /** The run of a lot of one device, its execution then shown as running (as a process that died would leave it). */
    long executionShownRunning(String lot) {
        registered(lot, 1);
        long id = count("SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION");
        jdbc().update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', END_TIME = NULL WHERE JOB_EXECUTION_ID = ?", id);
        return id;
    }

    /** Runs {@code body} while {@code folder} is mounted (skipped where it could not be: not root), then unmounts it. */
    static void whileMounted(Path folder, boolean mounted, Executable body) throws Throwable {
        Assumptions.assumeTrue(mounted, "needs root to mount a tmpfs (CI runs as root)");
        try {
            body.execute();
        } finally {
            Tmpfs.unmount(folder);
        }
    }

    @Test
    void givenAnOutputFolderOnAFullFilesystem_whenExported_thenItFailsSayingSoAndLeavesNoFile() throws Throwable {
        registered("LOT-O-9", 20);
        Path full = dir.resolve("full");
        Path out = full.resolve("credentials.csv");

        whileMounted(full, Tmpfs.mountFull(full), () -> {
            CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-9", "--output", out.toString());

            assertThat(export.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(export.output()).contains("the credentials could not all be written beside " + out,
                    "nothing was written to " + out);
            assertThat(out).doesNotExist();
            try (Stream<Path> left = Files.list(full)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("nothing but the filler, no partial file")
                        .containsExactly("fill");
            }
            assertThat(export.output()).doesNotContain(sandbox.devices().get(0).deviceKey());
        });
    }

    @Test
    void givenAFullFilesystem_whenALargerLotIsExported_thenItStopsAtTheFirstRefusedWriteInsteadOfReadingTheWholeLot()
            throws Throwable {
        registered("LOT-O-10", 400);
        Path full = dir.resolve("full");

        whileMounted(full, Tmpfs.mountFull(full), () -> {
            CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-10", "--output",
                    full.resolve("credentials.csv").toString());

            assertThat(export.exitCode()).isEqualTo(ExitCodes.FAILED);
            Matcher stopped = Pattern.compile("stopped after (\\d+)\\)").matcher(export.output());
            assertThat(stopped.find()).as(export.output()).isTrue();
            assertThat(Integer.parseInt(stopped.group(1))).as("credentials read before the export gave up").isLessThan(400);
        });
    }

    @Test
    void givenAnOutputInAFolderThatDoesNotExist_whenExported_thenItFailsNamingTheFolderNotATemporaryFile() {
        registered("LOT-O-11", 2);
        Path missing = dir.resolve("no-such-folder");

        CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-11", "--output",
                missing.resolve("credentials.csv").toString());

        assertThat(export.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(export.output()).contains("cannot write " + missing.resolve("credentials.csv") + ": no file can be "
                + "created in " + missing + " (no such folder)").doesNotContain(".partial", "Exception");
    }

    @Test
    void givenAnOutputOnAReadOnlyFilesystem_whenExported_thenItFailsSayingWhyAndLeavesNothing() throws Throwable {
        registered("LOT-O-12", 2);
        Path readOnly = dir.resolve("read-only");
        Path out = readOnly.resolve("credentials.csv");

        whileMounted(readOnly, Tmpfs.mountReadOnly(readOnly), () -> {
            CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-12", "--output", out.toString());

            assertThat(export.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(export.output()).contains("cannot write " + out + ": no file can be created in " + readOnly
                    + " (Read-only file system)").doesNotContain(".partial");
        });
    }

    @Test
    void givenAMistypedTimeout_whenAskingARunningExecutionToStop_thenItIsAUsageErrorAndNoStopIsAsked() {
        long id = executionShownRunning("LOT-O-16");

        CliRun.Result stop = run(properties(), "stop", String.valueOf(id), "--wait", "--timeout", "5min");

        assertThat(stop.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(stop.output()).contains("'5min' is not a duration: write 90s, 5m, 1h or PT2M30S");
        assertThat(count("SELECT COUNT(*) FROM stop_request")).as("no stop asked").isZero();
    }

    @Test
    void givenATimeoutWithoutUnit_whenParsed_thenItIsSecondsAsTheHelpSays() {
        assertThat(new StopCommand.DurationConverter().convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(new StopCommand.DurationConverter().convert("5m")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void givenARunningExecutionOlderThanTheLimit_whenStatusIsAsked_thenItIsListedAsRunning() {
        long older = executionShownRunning("LOT-O-17");
        registered("LOT-O-18", 1);

        CliRun.Result status = run(properties(), "status", "--limit", "1");

        assertThat(status.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(status.output()).doesNotContain("Running: none.").contains("Running:\n  execution " + older + " ");
    }

    @Test
    void givenAnUnknownFormat_whenExported_thenItIsAUsageErrorNamingTheOption() {
        registered("LOT-O-13", 2);

        CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-13", "--format", "xml");

        assertThat(export.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(export.output()).contains("--format", "'xml' is not a format: csv or json")
                .doesNotContain(sandbox.devices().get(0).deviceKey(), "No enum constant");
    }

    @Test
    void givenThePlatformIssuesKeysOfThousandsOfCharacters_whenRegistered_thenEachIsStoredWholeAndExported() throws Exception {
        Path file = LotCsv.lot("LOT-O-14").devices("prod-o", 3).write(dir);
        sandbox.arm(new SandboxFault.LongKeys(3_000), 1);   // the contract sets no length on a deviceKey

        CliRun.Result register = run(properties(), "register", "--file", file.toString());
        Path out = dir.resolve("long-keys.csv");
        run(properties(), "export", "--lot", "LOT-O-14", "--output", out.toString());

        assertThat(register.exitCode()).as(register.output()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(3);
        String exported = Files.readString(out);
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(device.deviceKey()).hasSize(3_000);
            assertThat(exported).contains("," + device.deviceKey() + ",");
            assertThat(register.output()).doesNotContain(device.deviceKey().substring(0, 40));
        }
    }

    @Test
    void givenAKeyOtherThanTheOneThatEncrypted_whenExporting_thenItFailsNamingTheKeyIdAndPrintsNoKey() {
        Path file = LotCsv.lot("LOT-O-6").devices("prod-o", 2).write(dir);
        run(properties("bulkreg.crypto.key", KEY, "bulkreg.crypto.key-id", "old"), "register", "--file", file.toString());

        CliRun.Result export = run(properties(), "export", "--lot", "LOT-O-6");

        assertThat(export.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(export.output()).doesNotContain(sandbox.devices().get(0).deviceKey());
    }

    @Test
    void givenRegisteredAndRejectedDevices_whenReportedAsCsv_thenEachLotHasItsCounts() {
        LotCsv csv = LotCsv.lot("LOT-O-7").devices("prod-o", 3);
        csv.device("prod-o", "x REFUSE-ME", "false", "O7X", null);
        run(properties(), "register", "--file", csv.write(dir).toString());

        CliRun.Result report = run(properties(), "report", "--format", "csv");

        assertThat(report.output()).contains(
                "lot,total,registered,rejected,held_by_platform,in_doubt,pending,in_flight,input_errors",
                "LOT-O-7,4,3,1,0,0,0,0,0");
    }

    @Test
    void givenSingleDeviceMode_whenRegistered_thenOneDevicePerRequestWithChipNameAndARefusedDeviceIsSkippedAlone() {
        LotCsv csv = LotCsv.lot("LOT-O-8").devices("prod-o", 4);
        csv.device("prod-o", "y REFUSE-ME", "false", "O8Y", null);

        CliRun.Result result = run(properties("bulkreg.mcs.single-device", "true"), "register", "--file", csv.write(dir).toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.requestCount()).isEqualTo(5);
        assertThat(devices("REGISTERED")).isEqualTo(4);
        assertThat(skips("API")).isEqualTo(1);
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(jdbc().queryForMap("SELECT device_id, device_key, chip_name FROM device_registration WHERE serial = ?",
                    device.serial())).containsEntry("device_id", device.deviceId()).containsEntry("device_key", device.deviceKey());
        }
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE chip_name IS NOT NULL")).isEqualTo(4);
    }
}
