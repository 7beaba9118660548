package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.LotCsv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers the job could not use whole (49 credentials for 50 devices, an entry without deviceId, a 201) are kept
 * sealed, and `reconcile` stores the keys it can match to the devices of their request, through the platform's
 * GET of devices by id. docs/reliability.md states the same for operators.
 */
@OnEveryDatabase
class ReconcileSpec extends JobSpec {

    static final String KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    /** Every run with an encryption key and one request for the whole lot. */
    Map<String, Object> encrypted(int devicesPerRequest) {
        return properties("bulkreg.crypto.key", KEY, "bulkreg.crypto.key-id", "k-test",
                "bulkreg.mcs.devices-per-request", String.valueOf(devicesPerRequest));
    }

    CliRun.Result register(Path file, int devicesPerRequest) {
        return run(encrypted(devicesPerRequest), "register", "--file", file.toString());
    }

    CliRun.Result reconcile(String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "reconcile";
        System.arraycopy(extra, 0, args, 1, extra.length);
        return run(encrypted(50), args);
    }

    String serialOfDeviceInDoubt() {
        return jdbc().queryForObject("SELECT serial FROM device_registration WHERE status = 'IN_DOUBT'", String.class);
    }

    /** The exported lines of a lot, keys opened: what the flashing station gets. */
    List<String> exported(String lot) throws Exception {
        Path out = dir.resolve(lot + "-credentials.csv");
        CliRun.Result export = run(encrypted(50), "export", "--lot", lot, "--output", out.toString());
        assertThat(export.exitCode()).isEqualTo(ExitCodes.OK);
        return Files.readAllLines(out);
    }

    static void assertNoKeyIn(String text, List<SandboxDevice> devices) {
        for (SandboxDevice device : devices) {
            assertThat(text).doesNotContain(device.deviceKey());
        }
    }

    @Test
    void givenAnAnswerWith49CredentialsFor50Devices_whenRegistering_thenAll50AreInDoubtAndTheAnswerIsKeptSealed() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);

        CliRun.Result run = register(LotCsv.lot("LOT-K-1").devices("prod-k", 50).write(dir), 50);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(50);
        List<Map<String, Object>> kept = jdbc().queryForList("SELECT request_id, http_status, body_sealed, key_id, "
                + "settled_at FROM kept_answer");
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).get("request_id")).isEqualTo(jdbc().queryForObject(
                "SELECT DISTINCT request_id FROM device_registration WHERE status = 'IN_DOUBT'", String.class));
        assertThat(kept.get(0)).containsEntry("http_status", 200).containsEntry("key_id", "k-test");
        assertThat(kept.get(0).get("settled_at")).isNull();
        String body = (String) kept.get(0).get("body_sealed");
        String decoded = new String(Base64.getDecoder().decode(body), StandardCharsets.ISO_8859_1);
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(body).doesNotContain(device.deviceKey()).doesNotContain(device.deviceId());
            assertThat(decoded).doesNotContain(device.deviceKey());
        }
        assertNoKeyIn(run.output(), sandbox.devices());
        assertThat(run.output()).contains("reconcile");
    }

    @Test
    void givenAKeptAnswerOf49For50_whenReconciled_thenThe49KeysAreTheSandboxsAndTheLastDeviceStaysInDoubt() throws Exception {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);
        register(LotCsv.lot("LOT-K-2").devices("prod-k", 50).write(dir), 50);

        CliRun.Result reconcile = reconcile();

        assertThat(reconcile.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("REGISTERED")).isEqualTo(49);
        assertThat(devices("IN_DOUBT")).isEqualTo(1);
        List<SandboxDevice> held = sandbox.devices();
        SandboxDevice unanswered = held.get(49);
        assertThat(serialOfDeviceInDoubt()).isEqualTo(unanswered.serial());
        List<String> exported = exported("LOT-K-2");
        assertThat(exported).hasSize(1 + 49);
        for (SandboxDevice device : held.subList(0, 49)) {
            assertThat(exported).anySatisfy(line -> assertThat(line).startsWith(String.join(",", device.prodId(),
                    device.serial(), device.name(), device.deviceId(), device.deviceKey(), "")));
        }
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED' AND device_key_id = 'k-test'"))
                .isEqualTo(49);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'IN_DOUBT' AND resolution = 'RECONCILED'"))
                .isEqualTo(49);
        assertThat(count("SELECT COUNT(*) FROM kept_answer WHERE settled_at IS NOT NULL")).isEqualTo(1);
        assertThat(reconcile.output()).contains("49 matched, 49 stored; 1 left in doubt");
        assertNoKeyIn(reconcile.output(), held);
    }

    @Test
    void givenAnAnswerCutHalfwayThroughItsBody_whenReconciled_thenTheKeysThatArrivedWholeAreStoredAndTheRestStayInDoubt() {
        sandbox.arm(new SandboxFault.CutAnswer(), 1);
        CliRun.Result run = register(LotCsv.lot("LOT-K-CUT").devices("prod-k", 50).write(dir), 50);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(50);
        assertThat(count("SELECT COUNT(*) FROM kept_answer")).as("the half that arrived is kept").isEqualTo(1);

        CliRun.Result reconcile = reconcile();

        long stored = devices("REGISTERED");
        assertThat(stored).as(reconcile.output()).isBetween(1L, 49L);
        assertThat(devices("IN_DOUBT")).isEqualTo(50 - stored);
        List<SandboxDevice> held = sandbox.devices();
        for (SandboxDevice device : held.subList(0, (int) stored)) {
            assertThat(jdbc().queryForObject("SELECT device_id FROM device_registration WHERE serial = ?", String.class,
                    device.serial())).isEqualTo(device.deviceId());
        }
        assertNoKeyIn(run.output() + reconcile.output(), held);
    }

    @Test
    void givenAReconciledAnswer_whenReconciledAgain_thenNothingChanges() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);
        register(LotCsv.lot("LOT-K-3").devices("prod-k", 50).write(dir), 50);
        reconcile();
        List<Map<String, Object>> before = jdbc().queryForList("SELECT * FROM device_registration ORDER BY id");
        List<Map<String, Object>> keptBefore = jdbc().queryForList("SELECT * FROM kept_answer");

        CliRun.Result again = reconcile();

        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(again.output()).contains("No kept answer waits to be reconciled.");
        assertThat(jdbc().queryForList("SELECT * FROM device_registration ORDER BY id")).isEqualTo(before);
        assertThat(jdbc().queryForList("SELECT * FROM kept_answer")).isEqualTo(keptBefore);
    }

    @Test
    void givenAnAnswerWithAnEntryWithoutDeviceId_whenReconciled_thenTheOthersAreStoredAndThatDeviceStaysInDoubt() {
        sandbox.arm(new SandboxFault.EntryWithoutDeviceId(7), 1);
        CliRun.Result run = register(LotCsv.lot("LOT-K-4").devices("prod-k", 10).write(dir), 10);
        assertThat(devices("IN_DOUBT")).isEqualTo(10);
        assertNoKeyIn(run.output(), sandbox.devices());

        CliRun.Result reconcile = reconcile();

        assertThat(reconcile.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("REGISTERED")).isEqualTo(9);
        assertThat(serialOfDeviceInDoubt()).isEqualTo(sandbox.devices().get(7).serial());
        assertThat(reconcile.output()).contains("the answer carried 10 entries (1 without id or key)");
    }

    @Test
    void givenAnAnswerGivingOneKeyToTwoDevices_whenReconciled_thenNeitherIsStoredAndTheOthersAre() {
        sandbox.arm(new SandboxFault.RepeatedKey(4), 1);
        register(LotCsv.lot("LOT-K-9").devices("prod-k", 10).write(dir), 10);
        assertThat(devices("IN_DOUBT")).as("one key for two devices: nothing paired by position").isEqualTo(10);

        CliRun.Result reconcile = reconcile();

        assertThat(reconcile.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("REGISTERED")).isEqualTo(8);
        assertThat(jdbc().queryForList("SELECT serial FROM device_registration WHERE status = 'IN_DOUBT' ORDER BY serial",
                String.class)).containsExactlyInAnyOrder(sandbox.devices().get(3).serial(), sandbox.devices().get(4).serial());
        assertNoKeyIn(reconcile.output(), sandbox.devices());
    }

    @Test
    void givenA201CarryingEveryCredential_whenReconciled_thenEveryDeviceIsStoredWithTheSandboxsKey() throws Exception {
        sandbox.arm(new SandboxFault.Created(), 1);
        register(LotCsv.lot("LOT-K-5").devices("prod-k", 10).write(dir), 10);
        assertThat(devices("IN_DOUBT")).isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM kept_answer WHERE http_status = 201")).isEqualTo(1);

        CliRun.Result reconcile = reconcile();

        assertThat(reconcile.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(10);
        List<String> exported = exported("LOT-K-5");
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(exported).anySatisfy(line -> assertThat(line).contains("," + device.deviceId() + ","
                    + device.deviceKey() + ","));
        }
    }

    @Test
    void givenDevicesWithoutSerial_whenReconciled_thenOnlyThoseWithANameOfTheirOwnAreMatched() {
        // Inserted as an upstream system does: the import would take two serial-less lines of one name as one device.
        db.migrated();
        for (String name : List.of("Bench A", "Twin", "Bench B", "Twin")) {
            jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, status) "
                    + "VALUES ('LOT-K-6', 'prod-k', ?, TRUE, 'PENDING')", name);
        }
        sandbox.arm(new SandboxFault.Created(), 1);
        run(encrypted(4), "register", "--lot", "LOT-K-6");
        assertThat(devices("IN_DOUBT")).isEqualTo(4);

        CliRun.Result reconcile = reconcile();

        assertThat(reconcile.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'REGISTERED' ORDER BY name",
                String.class)).containsExactly("Bench A", "Bench B");
        assertThat(jdbc().queryForList("SELECT name FROM device_registration WHERE status = 'IN_DOUBT'", String.class))
                .containsExactly("Twin", "Twin");
    }

    @Test
    void givenAnAnswerNotReconciled_whenItsLotsDoubtIsResolved_thenTheOperatorIsToldToReconcileFirst() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);
        register(LotCsv.lot("LOT-K-8").devices("prod-k", 4).write(dir), 4);

        CliRun.Result resolve = run(encrypted(4), "resolve-in-doubt", "--lot", "LOT-K-8", "--reject");

        assertThat(resolve.output()).contains("1 answer(s) kept for devices in doubt of lot LOT-K-8 are not reconciled yet");
    }

    @Test
    void givenAKeptAnswer_whenReconciledAsADryRun_thenItCountsAndChangesNothing() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);
        register(LotCsv.lot("LOT-K-7").devices("prod-k", 10).write(dir), 10);

        CliRun.Result dry = reconcile("--dry-run");

        assertThat(dry.output()).contains("9 matched, 9 would be stored");
        assertThat(devices("IN_DOUBT")).isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM kept_answer WHERE settled_at IS NULL")).isEqualTo(1);
    }
}
