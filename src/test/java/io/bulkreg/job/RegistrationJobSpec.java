package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registration job end to end, as an operator runs it: `register` and `restart` on the command line,
 * a database shared by the runs, the sandbox as the platform. Runs once per database.
 */
@OnEveryDatabase
class RegistrationJobSpec extends JobSpec {

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withRejectNamesContaining("REFUSE-ME");
    }

    @Test
    void givenALot_whenRegistered_thenEveryDeviceHoldsTheCredentialTheSandboxIssued() {
        Path lot = LotCsv.lot("LOT-E2E-1").devices("prod-a", 23).write(dir);

        // One request at a time, so that the requests are the lot cut into fives (ConcurrentRegistrationSpec: eight)
        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.concurrency", "1"), "register",
                "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        List<SandboxDevice> onPlatform = sandbox.devices();
        assertThat(onPlatform).hasSize(23);
        for (SandboxDevice device : onPlatform) {
            Map<String, Object> row = jdbc().queryForMap(
                    "SELECT status, device_id, device_key, lot_id FROM device_registration WHERE prod_id = ? AND serial = ?",
                    device.prodId(), device.serial());
            assertThat(row.get("status")).isEqualTo("REGISTERED");
            assertThat(row.get("device_id")).isEqualTo(device.deviceId());
            assertThat(row.get("device_key")).isEqualTo(device.deviceKey());
            assertThat(row.get("lot_id")).isEqualTo("LOT-E2E-1");
        }
        assertThat(sandbox.requestCount()).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenAnInboxOfManyLotFiles_whenRegisterRunsWithoutArguments_thenEveryFileIsImportedAndRegistered() {
        String longName = "LOT-INBOX-" + "x".repeat(80) + "-";
        for (int i = 1; i <= 40; i++) {
            LotCsv.lot(longName + i).device("prod-i", "Unit " + i, "false", "IN" + i, null).write(dir);
        }

        CliRun.Result run = run(properties(), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isEqualTo(40);
        assertThat(sandbox.devices()).hasSize(40);
    }

    @Test
    void givenTheSameFileTwice_whenImportedAgain_thenNothingIsAddedAndTheRunSaysSo() {
        Path lot = LotCsv.lot("LOT-E2E-2").devices("prod-a", 3).write(dir);
        run(properties(), "register", "--file", lot.toString());

        CliRun.Result second = run(properties(), "register", "--file", lot.toString());

        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(3);
        assertThat(sandbox.devices()).hasSize(3);
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isEqualTo(1);
    }

    @Test
    void givenALotFileExportedAgainWithOneMoreLine_whenImported_thenOnlyTheNewDeviceIsAddedAndSent() throws Exception {
        LotCsv csv = LotCsv.lot("LOT-E2E-7").device("prod-g", "Bench A", "true", null, null)
                .device("prod-g", "Bench B", "true", null, null).device("prod-g", "Unit 1", "false", "G1", null);
        Path lot = csv.write(dir);
        Map<String, Object> inOrder = properties("bulkreg.concurrency", "1");   // the platform's order is the file's
        run(inOrder, "register", "--file", lot.toString());
        Files.writeString(lot, csv.device("prod-g", "Bench C", "true", null, null).content());

        CliRun.Result again = run(inOrder, "register", "--file", lot.toString());

        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactly("Bench A", "Bench B", "Unit 1", "Bench C");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(4);
        // The lines imported before are there with the same content: counted, not errors (issue 9).
        assertThat(again.output()).contains("imported 1 devices from 4 lines, 3 already there");
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenBadRowsAndPlatformRejectedDevices_whenRegistered_thenOnlyThoseAreSkippedAndTheRestRegistered() {
        // 8 devices in one request; the platform refuses devices 2 and 7 without saying which.
        LotCsv csv = LotCsv.lot("LOT-E2E-3");
        for (int i = 1; i <= 8; i++) {
            csv.device("prod-b", i == 2 || i == 7 ? "Unit " + i + " REFUSE-ME" : "Unit " + i, "false", "B" + i, null);
        }
        csv.device("prod-b", "Bad serial", "false", "B-9", null)      // invalid serial: costs no request
                .device("prod-b", "Bad boolean", "maybe", "B10", null)  // isTest not a boolean
                .device("prod-b", "Duplicate", "false", "B1", null)     // serial already in the file
                .line("\"LOT-E2E-3\",\"prod-b\",\"too\",\"few\"");        // wrong column count
        Path lot = csv.write(dir);

        // One request at a time, so that all 8 devices travel in one request (ConcurrentRegistrationSpec: partitions)
        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "8", "bulkreg.concurrency", "1"), "register",
                "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial)
                .containsExactlyInAnyOrder("B1", "B3", "B4", "B5", "B6", "B8");
        assertThat(jdbc().queryForList("SELECT serial FROM device_registration WHERE status = 'REJECTED' ORDER BY serial",
                String.class)).containsExactly("B2", "B7");
        assertThat(jdbc().queryForList("SELECT kind FROM registration_skip WHERE registration_id IS NOT NULL", String.class))
                .containsExactly("API", "API");
        assertThat(jdbc().queryForList("SELECT error_code FROM registration_skip WHERE kind = 'API'", Integer.class))
                .containsOnly(4022);
        // Isolation by halves: 8 -> 4+4 -> 2+2 (each half with a culprit) -> 1+1+1+1 for the two failing pairs.
        assertThat(sandbox.requestCount()).isEqualTo(11);
        assertThat(count("SELECT COUNT(*) FROM registration_request")).isEqualTo(11);
        assertThat(jdbc().queryForList("SELECT source FROM registration_skip WHERE kind IN ('INPUT','VALIDATION') ORDER BY source",
                String.class)).hasSize(4).allSatisfy(source -> assertThat(source).startsWith(lot.toString() + ":"));
    }

    @Test
    void givenAPlatformThatGoesDownHalfway_whenTheRunIsRestarted_thenItContinuesAndNothingIsSentTwice() {
        LotCsv csv = LotCsv.lot("LOT-E2E-4");
        for (int i = 1; i <= 20; i++) {   // every third without serial: the platform would take it twice
            csv.device("prod-c", "Device " + i, "false", i % 3 == 0 ? null : "E2E4S" + i, null);
        }
        Path lot = csv.write(dir);
        sandbox.arm(new SandboxFault.Hang(Duration.ZERO), 2);        // two requests answered normally,
        sandbox.arm(SandboxFault.Status.of(503), 2);                  // then the platform is unavailable
        Map<String, Object> props = properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.faults.max-attempts", "2",
                "bulkreg.concurrency", "1");   // the armed faults meet the requests in order

        CliRun.Result first = run(props, "register", "--file", lot.toString());

        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'PENDING'")).isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
        long failed = jdbc().queryForObject("SELECT MAX(job_execution_id) FROM BATCH_JOB_EXECUTION", Long.class);

        CliRun.Result second = run(props, "restart", Long.toString(failed));

        // Sends per device from the sandbox's ledger (a serial-less device sent twice would be registered twice): once,
        // except devices 11-15, which met both 503s (not taken) and were sent a third time by the restart.
        Map<String, Integer> sends = new TreeMap<>();
        sandbox.sendsPerDevice().forEach((device, times) -> sends.merge(device.name(), times, Integer::sum));
        assertThat(sends).hasSize(20);
        for (int i = 1; i <= 20; i++) {
            assertThat(sends.get("Device " + i)).as("sends of device %d", i).isEqualTo(i >= 11 && i <= 15 ? 3 : 1);
        }
        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(20);
        assertThat(sandbox.requestCount()).isEqualTo(2 + 2 + 2);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(20);
    }

    @Test
    void givenADatabaseThatRefusesTheCredentials_whenRegistered_thenTheyAreRescuedToAFileAndStoredByTheNextRun()
            throws Exception {
        Path lot = LotCsv.lot("LOT-E2E-6").devices("prod-e", 3)
                .device("prod-e", "No serial 1", "false", null, null).device("prod-e", "No serial 2", "false", null, null)
                .write(dir);
        Map<String, Object> oneAtATime = properties("bulkreg.concurrency", "1");   // one request, one rescue file
        run(oneAtATime, "report");                                    // creates the schema
        // PostgreSQL changes no column type under a view (V6's registration_result); the job never reads the view
        jdbc().execute("DROP VIEW IF EXISTS registration_result");
        jdbc().execute("ALTER TABLE device_registration ALTER COLUMN device_id SET DATA TYPE VARCHAR(3)");

        CliRun.Result refused = run(oneAtATime, "register", "--file", lot.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.output()).contains("the next run stores them");
        assertThat(Files.list(dir.resolve("rescue"))).hasSize(1);
        CliRun.Result stillRefused = run(oneAtATime, "register", "--lot", "LOT-E2E-6");
        assertThat(stillRefused.output()).contains("could not be stored");
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'IN_DOUBT'"))
                .as("keys in a rescue file are not in doubt").isZero();
        jdbc().execute("ALTER TABLE device_registration ALTER COLUMN device_id SET DATA TYPE VARCHAR(200)");

        CliRun.Result next = run(oneAtATime, "register", "--lot", "LOT-E2E-6");

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(next.output()).as("the run that stored them says so").contains("and 5 keys stored from rescue files");
        assertThat(JsonMapper.builder().build().readTree(reportJson(next).toFile()).get("storedFromRescue").asLong())
                .as("and its report").isEqualTo(5);
        assertThat(sandbox.requestCount()).isEqualTo(1);
        assertThat(sandbox.sendsPerDevice()).as("sends per device, serial-less ones included").hasSize(5)
                .allSatisfy((device, times) -> assertThat(times).isEqualTo(1));
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(jdbc().queryForMap("SELECT status, device_id, device_key FROM device_registration WHERE name = ?",
                    device.name())).containsEntry("status", "REGISTERED").containsEntry("device_id", device.deviceId())
                    .containsEntry("device_key", device.deviceKey());
        }
        assertThat(Files.list(dir.resolve("rescue"))).isEmpty();
    }

    @Test
    void givenAWrongToken_whenRun_thenItFailsAtOnceSkipsNothingAndTheNextRunWithTheRightTokenCompletes() {
        Path lot = LotCsv.lot("LOT-E2E-5").devices("prod-d", 12).write(dir);

        CliRun.Result wrong = run(properties("bulkreg.mcs.token", "not-the-token", "bulkreg.mcs.devices-per-request", "5"),
                "register", "--file", lot.toString());

        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(wrong.output()).contains("refused the token").doesNotContain("not-the-token");
        // At most the first request of each of the 8 partitions: the first 401 stops the others before their next one
        assertThat(sandbox.requestCount()).isBetween(1, 8);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'PENDING'")).isEqualTo(12);

        CliRun.Result right = run(properties("bulkreg.mcs.devices-per-request", "5"), "register", "--lot", "LOT-E2E-5");

        assertThat(right.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(12);
        assertThat(sandbox.devices()).hasSize(12);
    }

}
