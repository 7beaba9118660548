package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of a run, pushed at its end to a real Prometheus Pushgateway (Debian's prometheus-pushgateway, started
 * here on a free port; .ci/run installs it) and read back from it over HTTP, as Prometheus would scrape them.
 */
class MetricsPushgatewayOnH2Test extends JobSpec {

    private Process pushgateway;
    private int port;

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }

    static Optional<Path> binary() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(d -> Path.of(d, "prometheus-pushgateway"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @BeforeEach
    void startPushgateway() throws Exception {
        Optional<Path> binary = binary();
        assumeTrue(binary.isPresent(), "prometheus-pushgateway is not installed (apt-get install prometheus-pushgateway; "
                + ".ci/run installs it): the Pushgateway test is skipped");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        pushgateway = new ProcessBuilder(binary.get().toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("pushgateway.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Pushgateway did not start: " + Files.readString(dir.resolve("pushgateway.log")));
    }

    @AfterEach
    void stopPushgateway() throws InterruptedException {
        if (pushgateway != null) {
            pushgateway.destroy();
            pushgateway.waitFor();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenAPushgateway_whenARunEnds_thenItsDeviceAndRequestFiguresCanBeReadFromIt() throws Exception {
        LotCsv csv = LotCsv.lot("LOT-M-1").devices("prod-m", 12);
        Path lot = csv.write(dir);
        sandbox.arm(SandboxFault.Status.of(503), 1);   // one request throttled, then taken

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5",
                        "management.prometheus.metrics.export.pushgateway.enabled", "true",
                        "management.prometheus.metrics.export.pushgateway.address", "127.0.0.1:" + port,
                        "management.prometheus.metrics.export.pushgateway.job", "bulkreg-test"),
                "register", "--file", lot.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.OK);
        String metrics = get("/metrics").body();
        assertThat(metrics).containsPattern("bulkreg_devices_registered_devices_total\\{[^}]*job=\"bulkreg-test\"[^}]*} 12")
                .containsPattern("bulkreg_devices_rejected_devices_total\\{[^}]*} 0")
                .containsPattern("bulkreg_requests_total\\{[^}]*outcome=\"REGISTERED\"[^}]*} 3")
                .containsPattern("bulkreg_request_latency_seconds_count\\{[^}]*outcome=\"REGISTERED\"[^}]*} 3")
                .contains("bulkreg_rate_limit_wait_seconds_count");
        assertThat(metrics).doesNotContain("sandbox-token");
    }
}
