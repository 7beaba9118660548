package io.bulkreg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jobs/cron/bulkreg-nightly.sh, run for real by bash with flock; the job is a stand-in script (BULKREG_CMD)
 * that prints what it got, can hold on until released, and exits with the code it is told.
 */
class CronWrapperTest {

    static final Path WRAPPER = Path.of("jobs/cron/bulkreg-nightly.sh").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path stub;
    Path log;

    @BeforeEach
    void standInJob() throws IOException {
        stub = dir.resolve("job.sh");
        Files.writeString(stub, """
                #!/usr/bin/env bash
                trap 'echo "stand-in: got TERM"; exit 5' TERM
                echo "stand-in: args $*"
                echo "stand-in: token file ${BULKREG_MCS_TOKEN_FILE:-none}"
                if [[ -n ${STUB_HOLD:-} ]]; then
                  touch "$STUB_HOLD.started"
                  for _ in $(seq 1 300); do [[ -f $STUB_HOLD.release ]] && break; sleep 0.1; done
                fi
                exit "${STUB_EXIT:-0}"
                """);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
        log = dir.resolve("log/bulkreg.log");
    }

    ProcessBuilder wrapper(Map<String, String> env, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = WRAPPER.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("BULKREG_CMD", stub.toString());
        pb.environment().put("BULKREG_HOME", dir.toString());
        pb.environment().put("BULKREG_ENV_FILE", dir.resolve("bulkreg.env").toString());
        pb.environment().put("BULKREG_LOCK_FILE", dir.resolve("bulkreg.lock").toString());
        pb.environment().put("BULKREG_LOG_FILE", log.toString());
        pb.environment().putAll(env);
        return pb;
    }

    record Ended(int exitCode, String stderr) {
    }

    static Ended finish(Process p) throws Exception {
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the wrapper ended").isTrue();
        return new Ended(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("%s appeared", file).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Test
    void givenARunHoldingTheLock_whenASecondStarts_thenTheSecondIsRefusedWithExit75AndTheFirstCompletes() throws Exception {
        Path hold = dir.resolve("hold");
        Process first = wrapper(Map.of("STUB_HOLD", hold.toString())).start();
        await(Path.of(hold + ".started"));

        Ended second = finish(wrapper(Map.of()).start());

        assertThat(second.exitCode()).isEqualTo(75);
        assertThat(second.stderr()).contains("refused: another bulkreg run holds " + dir.resolve("bulkreg.lock"));
        Files.createFile(Path.of(hold + ".release"));
        assertThat(finish(first).exitCode()).isZero();
        assertThat(log()).contains("refused: another bulkreg run").containsOnlyOnce("stand-in: args register");
    }

    @Test
    void givenAFinishedRun_whenTheNextStarts_thenTheLockIsFreeAgain() throws Exception {
        assertThat(finish(wrapper(Map.of()).start()).exitCode()).isZero();

        assertThat(finish(wrapper(Map.of()).start()).exitCode()).isZero();
    }

    @ParameterizedTest(name = "job exit {0}")
    @ValueSource(ints = {1, 2, 3})
    void givenTheJobExitsWithACode_whenRunByTheWrapper_thenTheWrapperExitsWithTheSameCode(int code) throws Exception {
        Ended run = finish(wrapper(Map.of("STUB_EXIT", String.valueOf(code))).start());

        assertThat(run.exitCode()).isEqualTo(code);
        assertThat(log()).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\S* bulkreg-nightly: end: exit " + code);
    }

    @Test
    void givenAnEnvironmentFile_whenTheWrapperRuns_thenTheJobGetsItsSettingsAndTheCommandLineHoldsNoSecret() throws Exception {
        Files.writeString(dir.resolve("bulkreg.env"), "BULKREG_MCS_TOKEN_FILE=/etc/bulkreg/mcs-token\n");

        assertThat(finish(wrapper(Map.of()).start()).exitCode()).isZero();

        assertThat(log()).contains("stand-in: token file /etc/bulkreg/mcs-token", "stand-in: args register\n");
    }

    @Test
    void givenArguments_whenTheWrapperRuns_thenTheyReachTheJobInsteadOfRegister() throws Exception {
        assertThat(finish(wrapper(Map.of(), "restart", "--last-failed").start()).exitCode()).isZero();

        assertThat(log()).contains("stand-in: args restart --last-failed\n");
    }

    @Test
    void givenALogOverItsSizeLimit_whenARunStarts_thenTheLogIsRotatedAndOnlyTheConfiguredNumberKept() throws Exception {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "x".repeat(2000));
        Files.writeString(Path.of(log + ".1"), "older");
        Files.writeString(Path.of(log + ".2"), "oldest");
        Map<String, String> limits = Map.of("BULKREG_LOG_MAX_BYTES", "1000", "BULKREG_LOG_KEEP", "2");

        assertThat(finish(wrapper(limits).start()).exitCode()).isZero();

        assertThat(Files.readString(Path.of(log + ".1"))).isEqualTo("x".repeat(2000));
        assertThat(Files.readString(Path.of(log + ".2"))).isEqualTo("older");
        assertThat(Path.of(log + ".3")).doesNotExist();
        assertThat(log()).contains("bulkreg-nightly: start").doesNotContain("xxx");
    }

    @Test
    void givenARunningJob_whenTheWrapperGetsSigterm_thenTheJobGetsItAndItsExitCodeIsPassedThrough() throws Exception {
        Path hold = dir.resolve("hold");
        Process run = wrapper(Map.of("STUB_HOLD", hold.toString())).start();
        await(Path.of(hold + ".started"));

        // SIGTERM to the wrapper, as a shutdown sends it (Process.destroy would also close the test's pipes)
        assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor()).isZero();

        // The job exits 5 (ExitCodes.STOPPED) after a graceful stop, as GracefulStopSpec sees the real one do.
        assertThat(finish(run).exitCode()).isEqualTo(ExitCodes.STOPPED);
        assertThat(log()).contains("stand-in: got TERM", "bulkreg-nightly: end: exit 5");
    }
}
