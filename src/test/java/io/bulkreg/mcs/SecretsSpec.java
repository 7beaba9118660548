package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The platform token and the deviceKeys never reach the logs, the job parameters or the Batch metadata. */
@OnEveryDatabase
class SecretsSpec extends JobSpec {

    final String token = "tok-" + UUID.randomUUID();

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withToken(token);
    }

    /** Everything Spring Batch stored about the runs, as text. */
    List<String> batchMetadata() {
        List<String> text = new ArrayList<>();
        for (String query : List.of(
                "SELECT PARAMETER_NAME || '=' || COALESCE(PARAMETER_VALUE, '') FROM BATCH_JOB_EXECUTION_PARAMS",
                "SELECT COALESCE(EXIT_MESSAGE, '') FROM BATCH_JOB_EXECUTION",
                "SELECT COALESCE(EXIT_MESSAGE, '') FROM BATCH_STEP_EXECUTION",
                "SELECT COALESCE(SHORT_CONTEXT, '') || COALESCE(SERIALIZED_CONTEXT, '') FROM BATCH_JOB_EXECUTION_CONTEXT",
                "SELECT COALESCE(SHORT_CONTEXT, '') || COALESCE(SERIALIZED_CONTEXT, '') FROM BATCH_STEP_EXECUTION_CONTEXT",
                "SELECT COALESCE(detail, '') FROM registration_request",
                "SELECT COALESCE(error_description, '') FROM registration_skip")) {
            text.addAll(jdbc().queryForList(query, String.class));
        }
        return text;
    }

    @Test
    void givenAFailedAndACompletedRun_whenLogsAndMetadataAreSearched_thenNeitherHoldsTheTokenNorAnyDeviceKey() {
        Path file = LotCsv.lot("LOT-S-1").devices("prod-s", 12).write(dir);
        sandbox.arm(new SandboxFault.Hang(Duration.ZERO), 1);
        sandbox.arm(SandboxFault.Status.of(503), 2);
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);   // registered, answer lost: in doubt
        Map<String, Object> p = properties("bulkreg.mcs.devices-per-request", "4", "bulkreg.faults.max-attempts", "2");

        CliRun.Result failed = run(p, "register", "--file", file.toString());
        CliRun.Result completed = run(p, "restart", "--last-failed");

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(completed.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        List<String> keys = sandbox.devices().stream().map(SandboxDevice::deviceKey).toList();
        assertThat(keys).hasSize(12);
        String logs = failed.output() + completed.output();
        assertThat(logs).doesNotContain(token);
        keys.forEach(key -> assertThat(logs).doesNotContain(key));
        List<String> metadata = batchMetadata();
        assertThat(metadata).isNotEmpty().noneMatch(t -> t.contains(token));
        keys.forEach(key -> assertThat(metadata).noneMatch(t -> t.contains(key)));
    }

    /** Every file under the spec's folder (lot files, rescue files, run reports), as text. */
    String filesWritten() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                text.append(f).append('\n').append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    @Test
    void givenEveryFailurePath_whenTheOutputAndTheFilesWrittenAreSearched_thenNeitherTheTokenNorAKeyIsFound()
            throws Exception {
        Path file = LotCsv.lot("LOT-S-F").devices("prod-s", 6).write(dir);
        String cryptoKey = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 32).getBytes());
        String badCryptoKey = Base64.getEncoder().encodeToString(("bad-" + UUID.randomUUID()).getBytes());
        String wrongToken = "wrong-" + UUID.randomUUID();
        Map<String, Object> p = properties("bulkreg.mcs.devices-per-request", "3", "bulkreg.crypto.key", cryptoKey,
                "bulkreg.reports.dir", dir.resolve("reports").toString(), "bulkreg.faults.max-attempts", "2");
        StringBuilder output = new StringBuilder();
        List<String> files = new ArrayList<>();

        Map<String, Object> wrong = new HashMap<>(p);
        wrong.put("bulkreg.mcs.token", wrongToken);
        output.append(CliRun.runToExit(wrong, "register", "--file", file.toString()).output());
        Map<String, Object> down = new HashMap<>(p);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        down.put("bulkreg.mcs.base-url", "http://127.0.0.1:" + closedPort);
        output.append(CliRun.runToExit(down, "register", "--lot", "LOT-S-F").output());
        jdbc().execute("ALTER TABLE device_registration ADD CONSTRAINT refuse_keys CHECK (device_key IS NULL)");
        CliRun.Result refused = CliRun.runToExit(p, "register", "--lot", "LOT-S-F");
        output.append(refused.output());
        assertThat(refused.output()).as("the database refused the credentials: rescued").contains("are saved in");
        files.add(filesWritten());
        jdbc().execute("ALTER TABLE device_registration DROP CONSTRAINT refuse_keys");
        output.append(CliRun.runToExit(p, "register", "--lot", "LOT-S-F").output());
        Map<String, Object> badKey = new HashMap<>(p);
        badKey.put("bulkreg.crypto.key", badCryptoKey);
        CliRun.Result misconfigured = CliRun.runToExit(badKey, "register", "--lot", "LOT-S-F");
        output.append(misconfigured.output());
        files.add(filesWritten());

        assertThat(misconfigured.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(devices("REGISTERED")).as("the rescued keys were stored").isEqualTo(6);
        List<String> keys = sandbox.devices().stream().map(SandboxDevice::deviceKey).toList();
        assertThat(keys).hasSize(6);
        List<String> secrets = new ArrayList<>(keys);
        secrets.addAll(List.of(token, wrongToken, cryptoKey, badCryptoKey));
        String everything = output + String.join("\n", files);
        assertThat(everything).contains("LOT-S-F");
        secrets.forEach(secret -> assertThat(everything).doesNotContain(secret));
    }

    @Test
    void givenAWrongToken_whenTheRunFails_thenNeitherTokenIsPrinted() {
        Path file = LotCsv.lot("LOT-S-2").devices("prod-s", 2).write(dir);
        String wrong = "wrong-" + UUID.randomUUID();

        CliRun.Result run = run(properties("bulkreg.mcs.token", wrong), "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.output()).contains("refused the token").doesNotContain(wrong).doesNotContain(token);
        assertThat(batchMetadata()).noneMatch(t -> t.contains(wrong));
    }

    @Test
    void givenTheTokenInAFile_whenRegistering_thenItIsReadFromTheFile() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        Map<String, Object> p = properties("bulkreg.mcs.token-file", tokenFile.toString());
        p.remove("bulkreg.mcs.token");

        CliRun.Result run = run(p, "register", "--file", LotCsv.lot("LOT-S-3").devices("prod-s", 2).write(dir).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(2);
    }

    @Test
    void givenTheTokenAsACommandLineArgument_whenStarting_thenItIsRefusedAsAUsageError() {
        CliRun.Result run = run(properties(), "--bulkreg.mcs.token=" + token, "report");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).doesNotContain(token);
    }

    @Test
    void givenTheTokenInAnotherSpellingOnTheCommandLine_whenStarting_thenItIsRefusedToo() {
        CliRun.Result upper = run(properties(), "--bulkreg.mcs.TOKEN=" + token, "report");
        String key32 = Base64.getEncoder().encodeToString(token.substring(0, 32).getBytes());
        CliRun.Result key = run(properties(), "--bulkreg.crypto.key=" + key32, "report");

        assertThat(upper.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(upper.output()).contains("bulkreg.mcs.token (commandLineArgs)").doesNotContain(token);
        assertThat(key.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(key.output()).contains("bulkreg.crypto.key (commandLineArgs)").doesNotContain(key32);
    }

    @Test
    void givenTheDatabasePasswordAsACommandLineArgument_whenStarting_thenItIsRefusedAsAUsageError() {
        CliRun.Result run = run(properties(), "--spring.datasource.password=db-secret-on-the-command-line", "report");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("spring.datasource.password (commandLineArgs)")
                .doesNotContain("db-secret-on-the-command-line");
    }

    @Test
    void givenADatabaseUrlWithAPasswordInItOnTheCommandLine_whenStarting_thenItIsRefusedAsAUsageError() {
        CliRun.Result run = run(properties(), "--spring.datasource.url=jdbc:postgresql://db/bulkreg?user=u&password=pw-in-url",
                "report");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("spring.datasource.url with a password in it (commandLineArgs)")
                .doesNotContain("pw-in-url");
    }

    @Test
    void givenTheTokenAsASystemPropertyOrInSpringApplicationJson_whenStarting_thenItIsRefused() {
        CliRun.Result property;
        CliRun.Result json;
        try {
            System.setProperty("bulkreg.mcs.token", token);
            property = run(properties(), "report");
        } finally {
            System.clearProperty("bulkreg.mcs.token");
        }
        try {
            System.setProperty("spring.application.json", "{\"bulkreg\":{\"mcs\":{\"token\":\"" + token + "\"}}}");
            json = run(properties(), "report");
        } finally {
            System.clearProperty("spring.application.json");
        }

        assertThat(property.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(property.output()).contains("(systemProperties)").doesNotContain(token);
        assertThat(json.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(json.output()).contains("(spring.application.json)").doesNotContain(token);
    }

    @Test
    void givenHttpClientsWireLoggingTurnedOn_whenRegistering_thenNeitherTheTokenNorAnyKeyIsLogged() {
        Path file = LotCsv.lot("LOT-S-W").devices("prod-s", 2).write(dir);

        // An argument: logging levels are read before the test's own properties are added.
        CliRun.Result run = run(properties(), "--logging.level.org.apache.hc=TRACE", "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).doesNotContain(token);
        sandbox.devices().forEach(d -> assertThat(run.output()).doesNotContain(d.deviceKey()));
    }

    @Test
    void givenAPlainHttpPlatformOffLoopback_whenStarting_thenStartUpIsRefusedUnlessExplicitlyAllowed() {
        Map<String, Object> p = properties("bulkreg.mcs.base-url", "http://platform.invalid");

        assertThatThrownBy(() -> run(p, "report")).hasStackTraceContaining("must use https")
                .satisfies(e -> assertThat(io.bulkreg.BulkregApplication.isConfigurationError(e)).as("exit code 2").isTrue());

        CliRun.Result allowed = run(properties("bulkreg.mcs.base-url", "http://platform.invalid",
                "bulkreg.mcs.allow-insecure-http", "true"), "report");
        assertThat(allowed.exitCode()).isEqualTo(ExitCodes.OK);
    }
}
