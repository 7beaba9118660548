package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator types after a night that went wrong: restart, status, and commands naming a lot. */
@OnEveryDatabase
class RestartAndLotsSpec extends JobSpec {

    Map<String, Object> fivePerRequest() {
        return properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.faults.max-attempts", "2");
    }

    /** A run of 20 devices that fails after 10 (the platform goes down), and its execution id. */
    long failedRunOf(Path lot) {
        sandbox.arm(new SandboxFault.Hang(Duration.ZERO), 2);
        sandbox.arm(SandboxFault.Status.of(503), 2);
        assertThat(run(fivePerRequest(), "register", "--file", lot.toString()).exitCode()).isEqualTo(ExitCodes.FAILED);
        return jdbc().queryForObject("SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION", Long.class);
    }

    @Test
    void givenAFailedRunWhoseLotFileWasArchivedSince_whenRestarted_thenItSaysWhichExecutionAndCompletesFromTheTable()
            throws Exception {
        Path lot = LotCsv.lot("LOT-R-1").devices("prod-r", 20).write(dir);
        long failed = failedRunOf(lot);
        Files.move(lot, dir.resolve("archived.csv"));

        CliRun.Result restart = run(fivePerRequest(), "restart", Long.toString(failed));

        assertThat(restart.exitCode()).as(restart.output()).isEqualTo(ExitCodes.OK);
        assertThat(restart.output()).contains("Continuing job execution " + failed + " (FAILED, all lots");
        assertThat(devices("REGISTERED")).isEqualTo(20);
    }

    @Test
    void givenACompletedExecution_whenRestarted_thenOnePlainSentenceSaysThereIsNothingToContinue() {
        Path lot = LotCsv.lot("LOT-R-2").devices("prod-r", 3).write(dir);
        assertThat(run(fivePerRequest(), "register", "--file", lot.toString()).exitCode()).isEqualTo(ExitCodes.OK);

        CliRun.Result restart = run(fivePerRequest(), "restart", "1");

        assertThat(restart.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(restart.output()).contains("Job execution 1 completed at ").contains(": there is nothing to continue.")
                .doesNotContain("Exception", "JobInstanceAlreadyComplete");
    }

    @Test
    void givenNoSuchExecution_whenRestarted_thenOnePlainSentenceAndAUsageError() {
        CliRun.Result restart = run(fivePerRequest(), "restart", "4242");

        assertThat(restart.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(restart.output()).contains("There is no job execution 4242 (see status).").doesNotContain("Exception");
    }

    @Test
    void givenAFailedRunWhoseLotALaterRunFinished_whenRestartLastFailed_thenItIsPassedOver() {
        Path lot = LotCsv.lot("LOT-R-3").devices("prod-r", 20).write(dir);
        failedRunOf(lot);
        assertThat(run(fivePerRequest(), "register", "--lot", "LOT-R-3").exitCode()).isEqualTo(ExitCodes.OK);

        CliRun.Result restart = run(fivePerRequest(), "restart", "--last-failed");

        assertThat(restart.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(restart.output()).contains("No failed run to restart.");
    }

    @Test
    void givenALotThatDoesNotExist_whenReportExportOrResolveNameIt_thenEachIsAUsageError() {
        Path lot = LotCsv.lot("LOT-R-4").devices("prod-r", 2).write(dir);
        run(fivePerRequest(), "register", "--file", lot.toString());

        for (String[] command : new String[][] {{"report", "--lot", "NOPE"}, {"export", "--lot", "NOPE"},
                {"resolve-in-doubt", "--lot", "NOPE", "--reject"}}) {
            CliRun.Result result = run(fivePerRequest(), command);
            assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(ExitCodes.USAGE);
            assertThat(result.output()).contains("there is no lot NOPE in this database");
        }
        assertThat(run(fivePerRequest(), "report", "--lot", "LOT-R-4").exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void givenAFailedRun_whenStatusIsAsked_thenItShowsTheExecutionItsFiguresAndHowToContinue() {
        Path lot = LotCsv.lot("LOT-R-5").devices("prod-r", 20).write(dir);
        long failed = failedRunOf(lot);

        CliRun.Result status = run(fivePerRequest(), "status");

        assertThat(status.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(status.output()).contains("Running: none.")
                .containsPattern("execution " + failed + "\\s+FAILED")
                .contains("10 registered, 0 rejected, 0 in doubt, 4 requests")
                .contains("(continue: restart " + failed + ")")
                .contains("Devices in doubt: none.");
    }
}
