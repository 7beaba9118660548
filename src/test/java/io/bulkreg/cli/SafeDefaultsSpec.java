package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.mcs.Platform;
import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.SandboxPlatform;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox only when asked, the platform on record, the address as people write it, the sample lots only in the
 * demo: a run outside the demo never sends anything, or stores anything, by accident. On H2 and PostgreSQL.
 */
@OnEveryDatabase
class SafeDefaultsSpec extends JobSpec {

    /** This spec's database with no platform configured at all, as when BULKREG_MCS_BASE_URL is missing. */
    private Map<String, Object> withoutPlatform(Object... extra) {
        Map<String, Object> p = properties(extra);
        p.remove("bulkreg.mcs.base-url");
        p.remove("bulkreg.mcs.token");
        return p;
    }

    private String endpoint() {
        return sandbox.baseUrl() + "/mcs/v2/devices";
    }

    private String recordedPlatforms() {
        return String.join(" ", jdbc().queryForList("SELECT DISTINCT platform FROM registration_request ORDER BY platform",
                String.class));
    }

    @Test
    void givenAnotherDatabaseAndNoPlatformAddress_whenRegister_thenItIsAConfigurationErrorAndNothingIsImportedOrSent() {
        Path file = LotCsv.lot("LOT-SD-1").devices("prod-sd", 3).write(dir);

        CliRun.Result run = run(withoutPlatform(), "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("No platform address is configured: set BULKREG_MCS_BASE_URL",
                "`--sandbox` (or BULKREG_MCS_USESANDBOX=true)", "Nothing was imported or sent.");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(count("SELECT COUNT(*) FROM registration_request")).isZero();
    }

    @Test
    void givenAnotherDatabase_whenRegisterAsksForTheSandboxByOption_thenItRegistersThereAndRecordsIt() {
        Path file = LotCsv.lot("LOT-SD-2").devices("prod-sd", 3).write(dir);

        CliRun.Result run = run(withoutPlatform(), "register", "--sandbox", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("Platform: the built-in sandbox, as asked", "nothing goes to a real platform");
        assertThat(devices("REGISTERED")).isEqualTo(3);
        assertThat(sandbox.requestCount()).as("the test's own platform got nothing").isZero();
        assertThat(recordedPlatforms()).isEqualTo(Platform.BUILT_IN_SANDBOX);
    }

    @Test
    void givenAnotherDatabase_whenTheSandboxIsAskedForBySetting_thenItRegistersThere() {
        Path file = LotCsv.lot("LOT-SD-3").devices("prod-sd", 2).write(dir);

        CliRun.Result run = run(withoutPlatform("bulkreg.mcs.use-sandbox", "true"), "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(recordedPlatforms()).isEqualTo(Platform.BUILT_IN_SANDBOX);
    }

    @Test
    void givenAPlatformAddress_whenRegisterAlsoAsksForTheSandbox_thenItIsAConfigurationError() {
        Path file = LotCsv.lot("LOT-SD-4").devices("prod-sd", 2).write(dir);

        CliRun.Result run = run(properties(), "register", "--sandbox", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("--sandbox was given, but BULKREG_MCS_BASE_URL");
        assertThat(sandbox.requestCount()).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
    }

    @ParameterizedTest(name = "base URL written as ''{0}''")
    @ValueSource(strings = {"", "/", "/mcs/v2", "/mcs/v2/", "/mcs/v2/devices", "/mcs/v2/devices/"})
    void givenTheBaseUrlAsTheApiDocumentationWritesIt_whenRegister_thenRequestsGoToTheDevicesEndpointAndStartUpSaysWhere(
            String suffix) {
        Path file = LotCsv.lot("LOT-SD-5").devices("prod-sd", 2).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.base-url", sandbox.baseUrl() + suffix), "register", "--file",
                file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("Platform: requests go to " + endpoint()).doesNotContain(settings.token());
        assertThat(sandbox.requestCount()).isEqualTo(1);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(recordedPlatforms()).isEqualTo(endpoint());
    }

    @Test
    void givenCredentialsFromTheSandbox_whenARunWouldSendToARealAddress_thenItIsRefusedAndSaysWhy() {
        Path first = LotCsv.lot("LOT-SD-6").devices("prod-sd", 2).write(dir);
        assertThat(run(withoutPlatform(), "register", "--sandbox", "--file", first.toString()).exitCode()).isZero();
        Path second = LotCsv.lot("LOT-SD-7").devices("prod-sd", 2).write(dir);

        CliRun.Result run = run(properties(), "register", "--file", second.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("This database keeps the credentials of built-in sandbox (2 devices registered "
                + "or in doubt there), and this run would send to " + endpoint(), "--allow-platform-change");
        assertThat(sandbox.requestCount()).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE lot_id = 'LOT-SD-7'")).isZero();
    }

    @Test
    void givenCredentialsFromOnePlatform_whenARunWouldSendToAnotherAddress_thenItIsRefusedUnlessTheOperatorAllowsIt() {
        Path first = LotCsv.lot("LOT-SD-8").devices("prod-sd", 2).write(dir);
        assertThat(run(properties(), "register", "--file", first.toString()).exitCode()).isZero();
        Path second = LotCsv.lot("LOT-SD-9").devices("prod-sd", 2).write(dir);
        try (McsSandbox other = McsSandbox.start(SandboxSettings.defaults().withPort(0))) {
            Map<String, Object> toOther = properties();
            toOther.putAll(SandboxPlatform.properties(other, SandboxSettings.defaults()));

            CliRun.Result refused = run(toOther, "register", "--file", second.toString());
            CliRun.Result allowed = run(toOther, "register", "--allow-platform-change", "--file", second.toString());

            assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.output()).contains("keeps the credentials of " + endpoint() + " (2 devices");
            assertThat(allowed.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(other.requestCount()).isEqualTo(1);
            Path third = LotCsv.lot("LOT-SD-9B").devices("prod-sd", 1).write(dir);
            CliRun.Result nextNight = run(toOther, "register", "--file", third.toString());
            CliRun.Result backToTheFirst = run(properties(), "register", "--file", third.toString());
            assertThat(nextNight.exitCode()).as("the allowed platform is now the one on record").isEqualTo(ExitCodes.OK);
            assertThat(backToTheFirst.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(recordedPlatforms()).isEqualTo(String.join(" ", List.of(endpoint(), other.baseUrl()
                    + "/mcs/v2/devices").stream().sorted().toList()));
            assertThat(jdbc().queryForList("SELECT reason FROM platform_of_record ORDER BY id", String.class))
                    .containsExactly("FIRST_RUN", "CHANGE_ALLOWED");
        }
    }

    @Test
    void givenARegisteredLot_whenReportedAndExported_thenBothShowThePlatformThatIssuedTheCredentials() throws Exception {
        Path file = LotCsv.lot("LOT-SD-10").devices("prod-sd", 2).write(dir);
        assertThat(run(properties(), "register", "--file", file.toString()).exitCode()).isZero();

        CliRun.Result report = run(properties(), "report", "--lot", "LOT-SD-10", "--format", "csv");
        CliRun.Result csv = run(properties(), "export", "--lot", "LOT-SD-10");
        CliRun.Result json = run(properties(), "export", "--lot", "LOT-SD-10", "--format", "json");
        Path output = dir.resolve("credentials.csv");
        CliRun.Result toFile = run(properties(), "export", "--lot", "LOT-SD-10", "--output", output.toString());

        assertThat(report.output()).contains("LOT-SD-10,2,2,0,0,0,0,0,0," + endpoint());
        assertThat(csv.output()).contains("prodId,serial,name,deviceId,deviceKey,chipName,platform")
                .containsPattern("(?m)^prod-sd,.*," + endpoint() + "$");
        assertThat(json.output()).contains("\"platform\" : \"" + endpoint() + "\"", "\"chipName\" : \"\"");
        assertThat(toFile.output()).contains("2 credentials of lot LOT-SD-10 written to " + output + ", issued by " + endpoint());
    }

    @Test
    void givenAShutdownGraceShorterThanTheReadTimeout_whenRegister_thenItIsAConfigurationErrorAndNothingIsSent() {
        Path file = LotCsv.lot("LOT-SD-GRACE").devices("prod-sd", 2).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.read-timeout", "30s", "bulkreg.lease.shutdown-grace", "25s"),
                "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("bulkreg.lease.shutdown-grace (BULKREG_LEASE_SHUTDOWNGRACE, 25s) must be at "
                + "least bulkreg.mcs.read-timeout (BULKREG_MCS_READTIMEOUT, 30s) plus 5s", "Nothing was imported or sent");
        assertThat(sandbox.requestCount()).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
    }

    @Test
    void givenAConfiguredInboxThatDoesNotExist_whenRegister_thenItIsAConfigurationErrorNamingTheFolder() {
        Path missing = dir.resolve("no-such-inbox");

        CliRun.Result run = run(properties("bulkreg.lots.inbox", missing.toString()), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("The lot inbox " + missing + " (BULKREG_LOTS_INBOX, bulkreg.lots.inbox) does not exist");
        assertThat(sandbox.requestCount()).isZero();
    }

    @Test
    void givenAConfiguredInboxThatIsAFile_whenRehearsed_thenItIsAConfigurationError() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("inbox.txt"), "x");

        CliRun.Result run = run(properties("bulkreg.lots.inbox", notAFolder.toString()), "rehearse");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("is not a folder");
    }

    @Test
    void givenNoInboxConfiguredOutsideTheDemo_whenRegister_thenNoSampleLotIsImportedAndUpstreamRowsAreRegistered() {
        Map<String, Object> noInbox = properties();
        noInbox.remove("bulkreg.lots.inbox");
        assertThat(run(noInbox, "report").exitCode()).as("the tables exist").isZero();
        jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES ('LOT-UP', 'prod-sd', 'From upstream', FALSE, 'UP0001', 'PENDING')");

        CliRun.Result run = run(noInbox, "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("No lot inbox configured (BULKREG_LOTS_INBOX)");
        assertThat(Path.of("jobs", "samples")).as("the sample lots are there to be taken by mistake").isDirectory();
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(1);
        assertThat(devices("REGISTERED")).isEqualTo(1);
    }

    @Test
    void givenCredentialsRegisteredBeforeThePlatformWasRecorded_whenARunWouldSend_thenTheOperatorMustConfirmThePlatformOnce() {
        Path first = LotCsv.lot("LOT-SD-11").devices("prod-sd", 2).write(dir);
        assertThat(run(properties(), "register", "--file", first.toString()).exitCode()).isZero();
        // As a database upgraded from a version that did not record the platform.
        jdbc().update("UPDATE registration_request SET platform = NULL");
        jdbc().update("DELETE FROM platform_of_record");
        Path second = LotCsv.lot("LOT-SD-12").devices("prod-sd", 2).write(dir);

        CliRun.Result refused = run(withoutPlatform(), "register", "--sandbox", "--file", second.toString());
        CliRun.Result confirmed = run(properties(), "register", "--allow-platform-change", "--file", second.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.output()).contains("This database holds 2 devices registered or in doubt before bulkreg recorded "
                + "the platform, and this run would send to built-in sandbox");
        assertThat(confirmed.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(4);
    }

    @Test
    void givenAFailedRun_whenRestartedAgainstAnotherPlatform_thenTheRestartIsRefused() {
        Path file = LotCsv.lot("LOT-SD-13").devices("prod-sd", 4).write(dir);
        sandbox.arm(io.bulkreg.sandbox.SandboxFault.Status.of(401), 1);
        CliRun.Result failed = run(properties(), "register", "--file", file.toString());
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);

        CliRun.Result toSandbox = run(withoutPlatform(), "restart", "--last-failed", "--sandbox");
        CliRun.Result withoutPlatform = run(withoutPlatform(), "restart", "--last-failed");
        CliRun.Result asBefore = run(properties(), "restart", "--last-failed");

        assertThat(toSandbox.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(toSandbox.output()).contains("keeps the credentials of " + endpoint());
        assertThat(withoutPlatform.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(withoutPlatform.output()).contains("No platform address is configured");
        assertThat(asBefore.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(asBefore.output()).contains("Platform: requests go to " + endpoint());
        assertThat(devices("REGISTERED")).isEqualTo(4);
    }

    @Test
    void givenATokenFileThatCannotBeRead_whenRegister_thenItIsAConfigurationErrorInOneSentence() {
        Path file = LotCsv.lot("LOT-SD-14").devices("prod-sd", 1).write(dir);
        Map<String, Object> p = properties("bulkreg.mcs.token-file", dir.resolve("no-such-token").toString());
        p.remove("bulkreg.mcs.token");

        CliRun.Result run = run(p, "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("The platform token file " + dir.resolve("no-such-token") + " (BULKREG_MCS_TOKEN_FILE) "
                + "cannot be read").doesNotContain("Error creating bean");
        assertThat(sandbox.requestCount()).isZero();
    }

    @Test
    void givenNoPlatformConfigured_whenRehearsed_thenItSaysThatRegisterWouldRefuse() {
        Path file = LotCsv.lot("LOT-SD-15").devices("prod-sd", 1).write(dir);

        CliRun.Result run = run(withoutPlatform(), "rehearse", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("to no platform: `register` would refuse to run");
    }
}
