package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.Pushgateway;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of a run, pushed at its end to a real Prometheus Pushgateway (Debian's prometheus-pushgateway, started
 * here on a free port; .ci/run installs it) and read back from it over HTTP, as Prometheus would scrape them.
 */
class MetricsPushgatewayOnH2Test extends JobSpec {

    private Pushgateway pushgateway;

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }

    @BeforeEach
    void startPushgateway() throws Exception {
        pushgateway = Pushgateway.start(dir);
    }

    @AfterEach
    void stopPushgateway() throws InterruptedException {
        if (pushgateway != null) {
            pushgateway.close();
        }
    }

    /** This spec's run properties, pushing to the Pushgateway as {@code job}, then {@code extra} pairs. */
    private Map<String, Object> pushing(String job, Object... extra) {
        Map<String, Object> p = properties(extra);
        p.putAll(pushgateway.properties(job));
        return p;
    }

    @Test
    void givenAPushgateway_whenARunEnds_thenItsDeviceAndRequestFiguresCanBeReadFromIt() throws Exception {
        LotCsv csv = LotCsv.lot("LOT-M-1").devices("prod-m", 12);
        Path lot = csv.write(dir);
        sandbox.arm(SandboxFault.Status.of(503), 1);   // one request throttled, then taken

        CliRun.Result run = run(pushing("bulkreg-test", "bulkreg.mcs.devices-per-request", "5"),
                "register", "--file", lot.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.OK);
        String metrics = pushgateway.metrics();
        assertThat(metrics).containsPattern("bulkreg_devices_registered_devices_total\\{[^}]*job=\"bulkreg-test\"[^}]*} 12")
                .containsPattern("bulkreg_devices_rejected_devices_total\\{[^}]*} 0")
                .containsPattern("bulkreg_requests_total\\{[^}]*outcome=\"REGISTERED\"[^}]*} 3")
                .containsPattern("bulkreg_request_latency_seconds_count\\{[^}]*outcome=\"REGISTERED\"[^}]*} 3")
                .contains("bulkreg_rate_limit_wait_seconds_count");
        assertThat(metrics).doesNotContain("sandbox-token");
    }

    @Test
    void givenARunsFiguresPushed_whenStatusReportAndRehearseRunWithThePushgatewayConfigured_thenTheFiguresStay()
            throws Exception {
        Path lot = LotCsv.lot("LOT-M-3").devices("prod-m", 7).write(dir);
        CliRun.Result run = run(pushing("bulkreg-kept"), "register", "--file", lot.toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.OK);

        run(pushing("bulkreg-kept"), "status");
        run(pushing("bulkreg-kept"), "report");
        run(pushing("bulkreg-kept"), "rehearse", "--file", lot.toString());

        assertThat(Pushgateway.value(pushgateway.metrics(), "bulkreg_devices_registered_devices_total",
                "job=\"bulkreg-kept\"")).as("the run's figures, not replaced by empty ones").isEqualTo(7);
    }

    @Test
    void givenAPlatformThatAnswers429WithRetryAfterOneSecond_whenARunEnds_thenThePushedWaitMeterHoldsThatSecond()
            throws Exception {
        Path lot = LotCsv.lot("LOT-M-2").devices("prod-m", 5).write(dir);
        sandbox.arm(new SandboxFault.Status(429, 1), 1);   // the first request throttled, "Retry-After: 1"

        CliRun.Result run = run(pushing("bulkreg-wait", "bulkreg.faults.retry-after-cap", "5s"),   // the fixture's: 100 ms
                "register", "--file", lot.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.OK);
        String metrics = pushgateway.metrics();
        assertThat(Pushgateway.value(metrics, "bulkreg_rate_limit_wait_seconds_count", "cause=\"throttled\"")).isEqualTo(1);
        assertThat(Pushgateway.value(metrics, "bulkreg_rate_limit_wait_seconds_sum", "cause=\"throttled\""))
                .as("the Retry-After's second, waited").isBetween(1.0, 5.0);
        assertThat(Pushgateway.value(metrics, "bulkreg_rate_limit_wait_seconds_sum", "cause=\"rate_limit\""))
                .as("no rate limit is set").isZero();
    }
}
