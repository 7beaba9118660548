package io.bulkreg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.SandboxPlatform;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints how fast a lot goes from file to credentials: import, then registration, on H2 and PostgreSQL, with
 * a platform that answers at once and one that takes 20 ms. A benchmark, not a test: it asserts only that
 * the work was done, and runs only on request:
 * {@code BULKREG_TEST_POSTGRES_URL=... ./mvnw -q test -Dtest=RegistrationBenchmark -Dbenchmark=true}
 * (add {@code -Dbenchmark.devices=N}, default 5000). Figures: docs/benchmarks.md.
 */
class RegistrationBenchmark {

    @TempDir
    Path dir;

    @Test
    void printFigures() {
        Assumptions.assumeTrue(Boolean.getBoolean("benchmark"), "benchmark: run with -Dbenchmark=true");
        int devices = Integer.getInteger("benchmark.devices", 5000);
        System.out.printf("%nbenchmark: %d devices per lot, one worker%n", devices);
        System.out.printf("%-9s %8s %10s %10s %12s %12s %10s%n", "database", "latency", "per_req", "import_s",
                "register_s", "devices/s", "requests");
        int lot = 0;
        for (TestDatabase.Kind kind : databases()) {
            for (Duration latency : List.of(Duration.ZERO, Duration.ofMillis(20))) {
                for (int perRequest : List.of(50, 100)) {
                    measure(kind, latency, perRequest, devices, "BENCH-" + (++lot));
                }
            }
        }
    }

    /** The duration of the {@code run}-th execution (1-based) of a step, from BATCH_STEP_EXECUTION. */
    private static double stepSeconds(TestDatabase db, String step, int run) {
        List<Double> seconds = db.jdbc().query("SELECT START_TIME, END_TIME FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = ? "
                + "ORDER BY STEP_EXECUTION_ID", (rs, n) -> Duration.between(rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2).toInstant()).toMillis() / 1000.0, step);
        return seconds.get(run - 1);
    }

    private List<TestDatabase.Kind> databases() {
        String pg = System.getenv(TestDatabase.POSTGRES_URL_VARIABLE);
        return pg == null || pg.isBlank() ? List.of(TestDatabase.Kind.H2) : List.of(TestDatabase.Kind.H2, TestDatabase.Kind.POSTGRES);
    }

    private void measure(TestDatabase.Kind kind, Duration latency, int perRequest, int devices, String lot) {
        SandboxSettings settings = SandboxSettings.defaults().withPort(0).withLatency(latency);
        try (TestDatabase db = TestDatabase.create(kind); McsSandbox sandbox = McsSandbox.start(settings)) {
            Path file = LotCsv.lot(lot).devices("bench-prod", devices).write(dir);
            Map<String, Object> p = new HashMap<>(db.properties());
            p.putAll(SandboxPlatform.properties(sandbox, settings));
            p.put("bulkreg.mcs.devices-per-request", Integer.toString(perRequest));
            p.put("bulkreg.lots.inbox", dir.toString());
            p.put("logging.level.io.bulkreg", "WARN");

            CliRun.run(p, "register", "--file", file.toString(), "--lot", "NO-SUCH-LOT");   // import only
            CliRun.run(p, "register", "--lot", lot);

            assertThat(sandbox.devices()).hasSize(devices);
            // Step durations from Spring Batch's own records: the process start-up is not counted.
            double importS = stepSeconds(db, "importLotFiles", 1);
            double registerS = stepSeconds(db, "registerPending", 2);
            System.out.printf("%-9s %6dms %10d %10.2f %12.2f %12.0f %10d%n", kind, latency.toMillis(), perRequest, importS,
                    registerS, devices / registerS, sandbox.requestCount());
        }
    }
}
