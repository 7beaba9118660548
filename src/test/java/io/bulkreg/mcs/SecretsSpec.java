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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        sandbox.arm(new SandboxFault.Hang(java.time.Duration.ZERO), 1);
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
        String key32 = java.util.Base64.getEncoder().encodeToString(token.substring(0, 32).getBytes());
        CliRun.Result key = run(properties(), "--bulkreg.crypto.key=" + key32, "report");

        assertThat(upper.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(upper.output()).contains("bulkreg.mcs.token (commandLineArgs)").doesNotContain(token);
        assertThat(key.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(key.output()).contains("bulkreg.crypto.key (commandLineArgs)").doesNotContain(key32);
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
