package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator in another shell (or on another host) while the nightly run goes on: `status` shows it, `report`
 * answers, `stop` ends it after the requests in hand. Each a process of its own on the run's database, H2 included.
 */
@OnEveryDatabase
class StopFromAnotherProcessIT extends ChildJobSpec {

    static final int DEVICES = 1500;

    private Process run;

    @Override
    String name() {
        return "stop-from-another-process-it";
    }

    @Override
    Duration latency() {
        return Duration.ofMillis(200);
    }

    @AfterEach
    void killTheRun() throws InterruptedException {
        if (run != null && run.isAlive()) {
            // and gone before the tear-down drops its schema: a run still holding locks deadlocked DROP SCHEMA
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One request in flight, so that the lot outlasts the start of the `stop` process (its own JVM) by far. */
    @Override
    int concurrency() {
        return 1;
    }

    private void startARunAndWaitForItsThirdRequest() throws Exception {
        Path lot = LotCsv.lot("LOT-STOP").devices("prod-s", DEVICES).write(dir);
        CountDownLatch threeRequests = new CountDownLatch(3);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                threeRequests.countDown();
            }
        });
        run = job("run.log", "register", "--file", lot.toString());
        assertThat(threeRequests.await(60, TimeUnit.SECONDS)).as("the run reached its third request").isTrue();
    }

    private String finish(Process p, String log) throws Exception {
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(log + " ended").isTrue();
        return Files.readString(dir.resolve(log));
    }

    @Test
    void givenARunInProgress_whenStopIsAskedFromAnotherProcess_thenTheRunStopsAfterTheRequestsInHandAndExitsStopped()
            throws Exception {
        startARunAndWaitForItsThirdRequest();
        Process status = job("status.log", "status");
        String shown = finish(status, "status.log");
        Matcher running = Pattern.compile("Running:\\R\\s+execution (\\d+)\\s+STARTED").matcher(shown);
        assertThat(running.find()).as("status shows the running execution:\n" + shown).isTrue();
        String id = running.group(1);

        Process stop = job("stop.log", "stop", id, "--wait", "--timeout", "60s");

        String stopSaid = finish(stop, "stop.log");
        assertThat(stop.exitValue()).as(stopSaid).isEqualTo(ExitCodes.OK);
        assertThat(stopSaid).contains("Asked job execution " + id);
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("the run ended").isTrue();
        assertThat(run.exitValue()).isEqualTo(ExitCodes.STOPPED);
        assertThat(Files.readString(dir.resolve("run.log"))).contains("Stop requested").contains("restart " + id);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status IN ('IN_FLIGHT', 'IN_DOUBT')")).isZero();
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'"))
                .isEqualTo(sandbox.devices().size()).isLessThan(DEVICES);
        assertThat(count("SELECT COUNT(*) FROM stop_request")).as("the request went with the run").isZero();
        String ended = db.read(j -> j.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = "
                + id, String.class));
        assertThat(ended).isEqualTo("STOPPED");
    }

    @Test
    void givenARunInProgress_whenReportRunsFromAnotherProcess_thenItAnswersWithTheLotBeingRegistered() throws Exception {
        startARunAndWaitForItsThirdRequest();

        Process report = job("report.log", "report", "--lot", "LOT-STOP", "--format", "csv");

        String said = finish(report, "report.log");
        assertThat(report.exitValue()).as(said).isEqualTo(ExitCodes.OK);
        assertThat(said).contains("LOT-STOP").doesNotContain("Database may be already in use");
    }
}
