package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.Pushgateway;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM, as Kubernetes sends it to a CronJob's pod: the job stops after the request in hand, leaves nothing
 * in flight or in doubt, and its restart completes the lot. Runs once per database.
 */
@OnEveryDatabase
class GracefulStopIT extends ChildJobSpec {

    static final int DEVICES = 200;

    @Override
    String name() {
        return "graceful-stop-it";
    }

    @Override
    Duration latency() {
        return Duration.ofMillis(50);
    }

    @Test
    void givenARunInProgress_whenSigtermArrives_thenItStopsAfterTheRequestInHandAndTheRestartCompletesTheLot()
            throws Exception {
        // A third without serial: the platform would take a second registration of those, so only the count of sends
        // per device, from the platform's ledger, can show one sent twice.
        LotCsv csv = LotCsv.lot("LOT-TERM").devices("prod-t", DEVICES - DEVICES / 3);
        for (int i = 1; i <= DEVICES / 3; i++) {
            csv.device("prod-t", "Serialless " + i, "false", null, "unit without serial " + i);
        }
        Path lot = csv.write(dir);
        CountDownLatch threeRequests = new CountDownLatch(3);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                threeRequests.countDown();
            }
        });
        Process run = job("run-1.log", "register", "--file", lot.toString());
        assertThat(threeRequests.await(60, TimeUnit.SECONDS)).as("the run reached its third request").isTrue();

        run.destroy();   // SIGTERM

        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("the process ended within the grace period").isTrue();
        assertThat(run.exitValue()).as("stopped on request, not 143").isEqualTo(ExitCodes.STOPPED);
        String output = Files.readString(dir.resolve("run-1.log"));
        assertThat(output).contains("stops after the request in hand").contains("stopped; continue it with `restart");
        int held = sandbox.devices().size();
        assertThat(held).isBetween(30, DEVICES - 10);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(held);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status IN ('IN_FLIGHT', 'IN_DOUBT')")).isZero();
        String status = db.read(j -> j.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION", String.class));
        assertThat(status).isEqualTo("STOPPED");
        // Every partition (bulkreg.concurrency 8 by default: 8 places at the platform and 2 spare partitions) stopped
        // after its request in hand, none ran on
        List<String> partitions = db.read(j -> j.queryForList("SELECT STATUS FROM BATCH_STEP_EXECUTION "
                + "WHERE STEP_NAME LIKE 'registerShare%'", String.class));
        assertThat(partitions).hasSize(10).containsOnly("STOPPED");

        Process restart = job("run-2.log", "restart", "--last-failed");

        assertThat(restart.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(restart.exitValue()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(DEVICES);
        // Sent once each, as the platform received them (serial-less devices included).
        assertThat(sandbox.sendsPerDevice().values()).as("sends per device").hasSize(DEVICES).containsOnly(1);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(DEVICES);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED' AND serial IS NULL"))
                .isEqualTo(DEVICES / 3);
    }

    @Test
    void givenAPushgateway_whenSigtermStopsARun_thenItsMetersArePushedAndItsRunReportIsWritten() throws Exception {
        try (Pushgateway pushgateway = Pushgateway.start(dir)) {
            Path lot = LotCsv.lot("LOT-TERM-M").devices("prod-t", DEVICES).write(dir);
            CountDownLatch threeRequests = new CountDownLatch(3);
            sandbox.setListener(new SandboxListener() {
                @Override
                public void received(int requestNo, int deviceCount) {
                    threeRequests.countDown();
                }
            });
            Process run = job("run-m.log", pushgateway.environment("bulkreg-sigterm"), "register", "--file", lot.toString());
            assertThat(threeRequests.await(60, TimeUnit.SECONDS)).as("the run reached its third request").isTrue();

            run.destroy();   // SIGTERM

            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("the process ended within the grace period").isTrue();
            String output = Files.readString(dir.resolve("run-m.log"));
            assertThat(run.exitValue()).as(output).isEqualTo(ExitCodes.STOPPED);
            Matcher report = Pattern.compile("Run report: (\\S+\\.html)").matcher(output);
            assertThat(report.find()).as("the run's last lines give its report:\n" + output).isTrue();
            Path html = Path.of(report.group(1));
            assertThat(html).isRegularFile();
            assertThat(html.resolveSibling(html.getFileName().toString().replace(".html", ".json"))).isRegularFile();
            int held = sandbox.devices().size();
            assertThat(Files.readString(html)).contains("STOPPED").contains("<b id=\"registered\" class=\"ok\">" + held + "</b>");
            String metrics = pushgateway.metrics();
            assertThat(Pushgateway.value(metrics, "bulkreg_devices_registered_devices_total", "job=\"bulkreg-sigterm\""))
                    .as("the stopped run's devices, pushed").isEqualTo(held);
            assertThat(held).isBetween(1, DEVICES - 10);
        }
    }
}
