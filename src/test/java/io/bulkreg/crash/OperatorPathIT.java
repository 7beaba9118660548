package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's "A first night, step by step", done as an operator does it: each step a process of the packaged
 * job against the sandbox, in the doc's order, the token in a file. Each step's exit code and key lines are asserted
 * on the process's output and looked up in the doc's code block of that very command (the blocks in the same order):
 * a message or an exit code that changes fails this test until the doc quotes it again.
 */
@OnEveryDatabase
class OperatorPathIT extends ChildJobSpec {

    static final String LOT = "LOT-2026-11-A";
    static final int DEVICES = 600;
    static final Path DOC = Path.of("docs", "operations.md");
    static final String SECTION = "## A first night, step by step";

    /**
     * While set, the sandbox holds each request up to 3 s (under the client's 5 s read timeout): the run to be stopped
     * outlasts the start of `status` and `stop`, however busy the machine.
     */
    private volatile boolean slow;
    private volatile CountDownLatch requests = new CountDownLatch(0);
    private Path token;
    private Process run;
    private String doc;
    /** Where in the doc the next step's block is looked for: the steps come in the doc's order. */
    private int cursor;

    @Override
    String name() {
        return "operator-path-it";
    }

    @Override
    Duration latency() {
        return Duration.ofMillis(5);
    }

    /** One request in flight, as the stop must land while the run goes on. */
    @Override
    int concurrency() {
        return 1;
    }

    @AfterEach
    void killTheRun() throws InterruptedException {
        if (run != null && run.isAlive()) {
            // and gone before the tear-down drops its schema: a run still holding locks deadlocked DROP SCHEMA
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The packaged job with these arguments, the token from the file BULKREG_MCS_TOKEN_FILE. The first step runs
     * {@code java -jar}, as the doc does, and migrates the fresh database through the jar's nested jars (on PostgreSQL
     * the only IT that does); the others start from the extracted jar ({@link ExtractedJob}): what the doc quotes
     * (exits, lines) does not depend on how the classes are loaded, and each starts with half the CPU.
     */
    private Process start(JobProcess.Launch launch, String log, String... args) throws IOException {
        ProcessBuilder builder = JobProcess.builder(launch, dir, db, sandbox, settings,
                Map.of("bulkreg.mcs.devices-per-request", 10, "bulkreg.concurrency", concurrency()), List.of(),
                dir.resolve(log).toFile(), args);
        builder.environment().remove("BULKREG_MCS_TOKEN");
        builder.environment().put("BULKREG_MCS_TOKEN_FILE", token.toString());
        return builder.start();
    }

    /** Runs one step to its end and checks it against the doc's next block of its command. */
    private String step(int exit, List<String> lines, String... args) throws Exception {
        return step(JobProcess.Launch.EXTRACTED, exit, lines, args);
    }

    private String step(JobProcess.Launch launch, int exit, List<String> lines, String... args) throws Exception {
        String log = String.join("-", args).replaceAll("[^A-Za-z0-9-]", "_") + "-" + cursor + ".log";
        String block = nextDocBlockOf(String.join(" ", args));
        return finish(start(launch, log, args), log, block, exit, lines, args);
    }

    /**
     * Waits for the step's process; asserts its exit code and lines, then that the doc's block of this command says the
     * same exit code and quotes the same lines.
     */
    private String finish(Process p, String log, String block, int exit, List<String> lines, String... args)
            throws Exception {
        String command = String.join(" ", args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command + " ended").isTrue();
        String output = Files.readString(dir.resolve(log));
        assertThat(p.exitValue()).as(command + ":\n" + output).isEqualTo(exit);
        for (String line : lines) {
            assertThat(output).as(command + " says").contains(line);
        }
        assertThat(block).as("the doc's exit code of `" + command + "`").contains("exit " + exit + "\n");
        for (String line : lines) {
            assertThat(block).as("the doc quotes what `" + command + "` says").contains(line);
        }
        return output;
    }

    /** The doc's next code block that runs this command: from the command to the end of the block. */
    private String nextDocBlockOf(String command) {
        String shown = "$ java -jar bulkreg.jar " + command + "; echo \"exit $?\"\n";
        int at = doc.indexOf(shown, cursor);
        assertThat(at).as(DOC + " shows `" + shown.strip() + "` after the previous step, in " + SECTION).isNotNegative();
        int end = doc.indexOf("```", at);
        cursor = end;
        return doc.substring(at, end);
    }

    @Test
    void givenANewOperator_whenTheyFollowTheDocFromAWrongTokenToTheFlashingStationsFile_thenEachStepAnswersAsItSays()
            throws Exception {
        String whole = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(whole).as(DOC + " has the section").contains(SECTION);
        doc = whole.substring(whole.indexOf(SECTION));
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                requests.countDown();
                try {
                    for (int i = 0; i < 60 && slow; i++) {
                        Thread.sleep(50);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // 0. The jar is built (ChildJobSpec checked target/bulkreg.jar); the lot arrives; the token file is wrong.
        LotCsv.lot(LOT).devices("prod-a", DEVICES).write(dir);
        token = dir.resolve("mcs-token");
        Files.writeString(token, "not-the-token\n");

        // 1. The first run: the platform refuses the token.
        step(JobProcess.Launch.PACKAGED_JAR, ExitCodes.FAILED, List.of("Job execution 1: FAILED",
                        "The run stopped: the platform refused the token (HTTP 401 code 4001: token is incorrect): check "
                                + "BULKREG_MCS_TOKEN / BULKREG_MCS_TOKEN_FILE and the token's rights on the product; nothing "
                                + "was skipped, the next run continues",
                        "Continue with `restart 1` (or `restart --last-failed`)",
                        "/data/reports/run-1.html (and .json beside it)"),
                "register", "--file", LOT + ".csv");
        assertThat(sandbox.devices()).isEmpty();

        // 2. What happened.
        step(ExitCodes.OK, List.of("execution 1  FAILED", "(continue: restart 1)", "Devices in doubt: none."), "status");

        // 3. The token fixed, the failed run continued; it goes on while the operator looks at it from another shell.
        Files.writeString(token, settings.token() + "\n");
        slow = true;
        requests = new CountDownLatch(1);
        String restartBlock = nextDocBlockOf("restart --last-failed");
        run = start(JobProcess.Launch.EXTRACTED, "restart-1.log", "restart", "--last-failed");
        assertThat(requests.await(120, TimeUnit.SECONDS)).as("the restart is sending").isTrue();

        // 4. From another shell: what runs, then stop it.
        step(ExitCodes.OK, List.of("Running:", "execution 2  STARTED"), "status");
        step(ExitCodes.OK, List.of("Asked job execution 2"), "stop", "2", "--wait");
        slow = false;
        finish(run, "restart-1.log", restartBlock, ExitCodes.STOPPED, List.of(
                        "Continuing job execution 1 (FAILED, all lots, begun ",
                        "Job execution 2: STOPPED",
                        "The run was stopped on request (SIGTERM or `stop`) after the requests in hand: STOPPED, nothing "
                                + "in flight. Continue it with `restart 2` (or `restart --last-failed`), or let the next run "
                                + "pick it up.",
                        "/data/reports/run-2.html (and .json beside it)"),
                "restart", "--last-failed");
        int stoppedAt = sandbox.devices().size();
        assertThat(stoppedAt).as("stopped before the end").isBetween(1, DEVICES - 1);

        // 5. Continue the stopped run to its end.
        step(ExitCodes.OK, List.of("Continuing job execution 2 (STOPPED, all lots, begun ", "Job execution 3: COMPLETED"),
                "restart", "2");
        // Registered once each (the 10 devices of the refused request were sent twice: the 401 registered nothing).
        assertThat(sandbox.devices()).hasSize(DEVICES);
        assertThat(sandbox.devices().stream().map(SandboxDevice::serial).distinct()).hasSize(DEVICES);

        // 6. The lot's figures, then its credentials into a file for the flashing station.
        step(ExitCodes.OK, List.of("LOT-2026-11-A                 600        600        0                0        0        0         0            0"),
                "report", "--lot", LOT);
        step(ExitCodes.OK, List.of("600 credentials of lot LOT-2026-11-A written to LOT-2026-11-A-credentials.csv"),
                "export", "--lot", LOT, "--output", LOT + "-credentials.csv");
        Path credentials = dir.resolve(LOT + "-credentials.csv");
        assertThat(Files.readAllLines(credentials)).hasSize(DEVICES + 1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
    }
}
