package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

        assertThat(report.output()).contains("lot,total,registered,rejected,in_doubt,pending,in_flight,input_errors",
                "LOT-O-7,4,3,1,0,0,0,0");
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
