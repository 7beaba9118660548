package io.bulkreg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.SandboxPlatform;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Issue 8's benchmark: a naive baseline, the job at concurrency 1/4/8/16 against a sandbox answering after 50 ms (and
 * at 8 once more on a larger lot, {@code benchmark.large.devices}, default 50,000), the local ceiling at zero latency on H2 and PostgreSQL next to the machine's durable commit rate; medians of several
 * runs, printed as a table and written into docs/benchmarks.md (between its figures markers). Not part of
 * {@code ./mvnw verify} (it is skipped without -Dbenchmark=true); run it with:
 * <pre>
 * BULKREG_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   ./mvnw -q test -Dtest=RegistrationBenchmark -Dbenchmark=true [-Dbenchmark.devices=10000] [-Dbenchmark.runs=3]
 * </pre>
 * {@code -Dbenchmark.only=POSTGRES} (or any part of "name database concurrency", say "0 ms latency H2") measures only the
 * matching rows, for a profile, and leaves docs/benchmarks.md as it is.
 * "register" is the registerPending step (BATCH_STEP_EXECUTION: its partitions from first claim to last store);
 * "whole run" is one `register --file` from the Spring context's start to its end (import included, JVM start not).
 */
class RegistrationBenchmark {

    static final Path DOC = Path.of("docs", "benchmarks.md");
    static final String START = "<!-- figures:start (written by RegistrationBenchmark) -->";
    static final String END = "<!-- figures:end -->";

    @TempDir
    Path dir;

    int lotNo;

    /** @param startS from the registration step's start to its first answer stored: partitions starting, cold paths */
    record Row(String name, String database, int concurrency, int latencyMs, int perRequest, int devices,
               double registerS, double wholeS, double startS, String target) {
        double registerRate() {
            return devices / registerS;
        }

        double wholeRate() {
            return devices / wholeS;
        }
    }

    @Test
    void printFigures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("benchmark"), "benchmark: run with -Dbenchmark=true");
        int devices = Integer.getInteger("benchmark.devices", 10_000);
        int runs = Integer.getInteger("benchmark.runs", 3);
        boolean postgres = System.getenv(TestDatabase.POSTGRES_URL_VARIABLE) != null
                && !System.getenv(TestDatabase.POSTGRES_URL_VARIABLE).isBlank();
        TestDatabase.Kind main = postgres ? TestDatabase.Kind.POSTGRES : TestDatabase.Kind.H2;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        List<Row> rows = new ArrayList<>();
        int naiveDevices = Math.max(50, devices / 50);
        rows.add(median(runs, () -> measure("naive: 1 device/request, 1 at a time", main, 1, 50, 1, naiveDevices, "")));
        for (int c : List.of(1, 4, 8, 16)) {
            rows.add(median(runs, () -> measure("job, 50 ms latency", main, c, 50, 50, devices,
                    c == 8 ? ">= 7,200 dev/s (90% of 8,000); whole run >= 300x naive" : "")));
        }
        // A factory's night is hundreds of thousands of devices: the step's fixed start weighs less in a larger lot.
        int large = Integer.getInteger("benchmark.large.devices", 50_000);
        if (large > devices) {
            rows.add(median(runs, () -> measure("job, 50 ms latency, larger lot", main, 8, 50, 50, large,
                    ">= 7,200 dev/s (90% of 8,000); whole run >= 300x naive")));
        }
        rows.add(median(runs, () -> measure("ceiling, 0 ms latency", TestDatabase.Kind.H2, 8, 0, 50, devices,
                ">= 20,000 dev/s, or 80% of the commit rate's")));
        if (postgres) {
            rows.add(median(runs, () -> measure("ceiling, 0 ms latency", TestDatabase.Kind.POSTGRES, 8, 0, 50, devices,
                    ">= 10,000 dev/s, or 80% of the commit rate's")));
        }
        double h2Commits = medianOf(runs, () -> commitsPerSecond("jdbc:h2:file:" + dir.resolve("commits-" + (++lotNo))
                + ";WRITE_DELAY=0", "sa"));
        double pgCommits = postgres ? medianOf(runs, () -> commitsPerSecond(System.getenv(TestDatabase.POSTGRES_URL_VARIABLE),
                null)) : Double.NaN;

        String figures = render(rows, runs, load, h2Commits, pgCommits, rows.get(0));
        System.out.println(figures);
        if (System.getProperty("benchmark.only", "").isBlank()) {
            writeIntoDoc(figures);
        }
    }

    /**
     * Import alone (issue 8, item 3): a lot of {@code benchmark.import.lines} lines (default 100,000 and 1,000,000;
     * two thirds with a serial, one third without) into a fresh H2 file database (as bulkreg opens its default one)
     * and, where configured, a fresh PostgreSQL schema; one import per size and database, in this JVM, through
     * LotImporter (no Spring context). Printed, not written into docs/benchmarks.md. Run it with
     * <pre>
     * BULKREG_TEST_POSTGRES_URL=... ./mvnw -q test -Dtest='RegistrationBenchmark#importFigures' -Dbenchmark=true
     * </pre>
     */
    @Test
    void importFigures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("benchmark"), "benchmark: run with -Dbenchmark=true");
        String env = System.getenv(TestDatabase.POSTGRES_URL_VARIABLE);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Import, measured %s on %d cores, load average "
                + "%.1f at the start (Java %s); thread_cpu_s: CPU time of the importing thread; "
                + "server_cpu_s: PostgreSQL's backend (local server); h2_file_mb: the file as the import left it:%n```%n%-10s %10s %10s %10s %10s %10s %12s %10s %12s %14s%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.version"), "database", "lines",
                "devices", "import_s", "lines/s", "thread_cpu_s", "lines/cpu_s", "h2_file_mb", "server_cpu_s", "lines/all_cpu_s"));
        for (String size : System.getProperty("benchmark.import.lines", "100000,1000000").split(",")) {
            int lines = Integer.parseInt(size.trim());
            Path file = dir.resolve("IMPORT-" + lines + ".csv");
            writeLot(file, "IMPORT-" + lines, lines);
            String h2 = "jdbc:h2:file:" + dir.resolve("import-" + lines) + ";FILE_LOCK=FS"
                    + System.getProperty("benchmark.h2.options", "");
            if (!"false".equals(System.getProperty("benchmark.import.h2"))) {
                out.append(importOnce("H2 file", h2, "sa", "h2", null, file, lines,
                        dir.resolve("import-" + lines + ".mv.db")));
            }
            if (env != null && !env.isBlank()) {
                String schema = "bench_import_" + lines;
                String pg = env + (env.contains("?") ? "&" : "?") + "currentSchema=" + schema;
                out.append(importOnce("POSTGRES", pg, "", "postgresql", schema, file, lines, null));
            }
        }
        out.append("```\n");
        System.out.println(out);
    }

    private static String importOnce(String database, String url, String user, String dialect, String schema, Path file,
            int lines, Path h2File) {
        var ds = new SingleConnectionDataSource(url, user, "", true);
        try {
            var flyway = Flyway.configure().dataSource(ds)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect);
            if (schema != null) {
                flyway.schemas(schema).defaultSchema(schema);
            }
            flyway.load().migrate();
            var template = new JdbcTemplate(ds);
            var client = JdbcClient.create(ds);
            var importer = new io.bulkreg.lot.LotImporter(client, template, new io.bulkreg.device.SkipLog(template),
                    new io.bulkreg.lot.RefusedLotFiles(client), new io.bulkreg.device.NewTransaction(
                            new DataSourceTransactionManager(ds)),
                    new io.bulkreg.lot.LotProperties(null, 65536, io.bulkreg.lot.UnknownColumns.IGNORE,
                            io.bulkreg.lot.Separator.AUTO, null, Duration.ofMinutes(1), null));
            var threads = ManagementFactory.getThreadMXBean();
            // PostgreSQL on this machine: its backend's CPU time too, from /proc (the same single connection)
            Path backend = schema == null ? null : Path.of("/proc", template.queryForObject("SELECT pg_backend_pid()",
                    String.class), "stat");
            double serverStarted = cpuSecondsOf(backend);
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            var result = importer.importFile(file, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            double serverCpu = cpuSecondsOf(backend) - serverStarted;
            assertThat(result.devicesImported()).as(result.toString()).isEqualTo(lines);
            // The file as the import left it (before the close compacts it): what a run's disk must hold.
            String size = h2File == null ? "" : String.format(Locale.ROOT, "%,.0f", sizeOf(h2File) / 1e6);
            String server = Double.isNaN(serverCpu) ? "" : String.format(Locale.ROOT, "%.2f", serverCpu);
            String both = Double.isNaN(serverCpu) ? "" : String.format(Locale.ROOT, "%,.0f", lines / (cpu + serverCpu));
            return String.format(Locale.ROOT, "%-10s %,10d %,10d %10.2f %,10.0f %10.2f %,12.0f %10s %12s %14s%n", database,
                    lines, result.devicesImported(), seconds, lines / seconds, cpu, lines / cpu, size, server, both);
        } finally {
            if (schema != null) {
                new JdbcTemplate(ds).execute("DROP SCHEMA " + schema + " CASCADE");
            }
            ds.destroy();
        }
    }

    /**
     * Peak memory of a whole run (issue 8, item 5): {@code java -Xmx256m -jar target/bulkreg.jar register --file F} as a
     * child process, on the default H2 database (./data/bulkreg under a folder of its own), against a sandbox of this
     * JVM answering at once, for a lot of each size in {@code benchmark.rss.devices} (default 10,000 and 1,000,000;
     * the same lines as {@link #importFigures}). Its peak resident set is VmHWM of /proc/PID/status, read every 50 ms
     * until it exits (the high-water mark only grows, so the last reading is the peak to within 50 ms). Needs the
     * jar ({@code ./mvnw -o -q package -DskipTests}); Linux only. Printed, not written into docs/benchmarks.md:
     * <pre>
     * ./mvnw -q test -Dtest='RegistrationBenchmark#peakMemory' -Dbenchmark=true
     * </pre>
     */
    @Test
    void peakMemory() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("benchmark"), "benchmark: run with -Dbenchmark=true");
        Path jar = Path.of("target", "bulkreg.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "no target/bulkreg.jar: ./mvnw -o -q package -DskipTests");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "VmHWM is read from /proc (Linux)");
        String heap = System.getProperty("benchmark.rss.heap", "-Xmx256m");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Peak RSS of `java %s -jar target/bulkreg.jar "
                + "register --file F` (H2 default database, sandbox of 0 ms latency in another JVM), measured %s on %d "
                + "cores, load average %.1f at the start:%n```%n%10s %6s %10s %12s %10s %12s%n", heap, LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(), "devices", "exit", "whole_s", "devices/s", "VmHWM_MB", "x_smallest"));
        double first = Double.NaN;
        for (String size : System.getProperty("benchmark.rss.devices", "10000,1000000").split(",")) {
            int devices = Integer.parseInt(size.trim());
            Path work = Files.createDirectories(dir.resolve("rss-" + devices));
            Path file = work.resolve("RSS-" + devices + ".csv");
            writeLot(file, "RSS-" + devices, devices);
            SandboxSettings settings = SandboxSettings.defaults().withPort(0).withLatency(Duration.ZERO);
            try (McsSandbox sandbox = McsSandbox.start(settings)) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), heap, "-jar", jar.toString(), "register", "--file", file.toString()));
                Map<String, Object> platform = new LinkedHashMap<>(SandboxPlatform.properties(sandbox, settings));
                String token = (String) platform.remove("bulkreg.mcs.token");
                platform.put("logging.level.io.bulkreg", "WARN");
                platform.forEach((k, v) -> command.add("--" + k + "=" + v));
                ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(work.resolve("run.log").toFile());
                builder.environment().keySet().removeIf(k -> k.startsWith("BULKREG_") || k.startsWith("SPRING_"));
                builder.environment().put("BULKREG_MCS_TOKEN", token);
                long started = System.nanoTime();
                Process child = builder.start();
                Path status = Path.of("/proc", Long.toString(child.pid()), "status");
                long peakKb = 0;
                while (child.isAlive()) {
                    peakKb = Math.max(peakKb, vmHwmKb(status));
                    Thread.sleep(50);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                int exit = child.waitFor();
                int sent = sandbox.devices().size();
                double mb = peakKb / 1024.0;
                if (Double.isNaN(first)) {
                    first = mb;
                }
                out.append(String.format(Locale.ROOT, "%,10d %6d %10.1f %,12.0f %10.0f %12.2f%n", devices, exit, seconds,
                        sent / seconds, mb, mb / first));
                assertThat(exit).as(Files.readString(work.resolve("run.log"))).isZero();
                assertThat(sent).isEqualTo(devices);
            }
        }
        out.append("```\n");
        System.out.println(out);
    }

    /** VmHWM of a live process, in kB; 0 once it is gone. */
    private static long vmHwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process ended between isAlive and the read
        }
        return 0;
    }

    /** utime + stime of a local process, from /proc/PID/stat (clock ticks of 1/100 s); NaN without one. */
    private static double cpuSecondsOf(Path stat) {
        if (stat == null || !Files.exists(stat)) {
            return Double.NaN;
        }
        try {
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A lot file of {@code lines} devices, written as it is made: two in three with a serial, one without. */
    static void writeLot(Path file, String lot, int lines) throws IOException {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(LotCsv.HEADER + "\n");
            for (int i = 1; i <= lines; i++) {
                boolean serialLess = i % 3 == 0;
                out.write(lot + ",bench-prod," + (serialLess ? "Bench " : "Unit ") + i + ",false,"
                        + (serialLess ? "" : "S" + i) + ",unit " + i + "\n");
            }
        }
    }

    private Row measure(String name, TestDatabase.Kind kind, int concurrency, int latencyMs, int perRequest, int devices,
            String target) {
        String only = System.getProperty("benchmark.only", "");
        if (!only.isBlank() && !(name + " " + kind + " " + concurrency).contains(only)) {
            return new Row(name + " (not measured: benchmark.only)", kind.name(), concurrency, latencyMs, perRequest,
                    devices, Double.NaN, Double.NaN, Double.NaN, target);
        }
        SandboxSettings settings = SandboxSettings.defaults().withPort(0).withLatency(Duration.ofMillis(latencyMs));
        String lot = "BENCH-" + (++lotNo);
        try (TestDatabase db = TestDatabase.create(kind); McsSandbox sandbox = McsSandbox.start(settings)) {
            Path inbox = Files.createDirectories(dir.resolve(lot));
            Path file = LotCsv.lot(lot).devices("bench-prod", devices).write(inbox);
            Map<String, Object> p = new HashMap<>(db.properties());
            p.putAll(SandboxPlatform.properties(sandbox, settings));
            p.put("bulkreg.mcs.devices-per-request", Integer.toString(perRequest));
            p.put("bulkreg.concurrency", Integer.toString(concurrency));
            p.put("bulkreg.lots.inbox", inbox.toString());
            p.put("logging.level.io.bulkreg", "WARN");

            long started = System.nanoTime();
            CliRun.Result run = CliRun.run(p, "register", "--file", file.toString());
            double wholeS = (System.nanoTime() - started) / 1e9;

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(sandbox.devices()).hasSize(devices);
            double registerS = db.jdbc().queryForObject("SELECT START_TIME, END_TIME FROM BATCH_STEP_EXECUTION WHERE "
                    + "STEP_NAME = 'registerPending'", (rs, n) -> Duration.between(rs.getTimestamp(1).toInstant(),
                            rs.getTimestamp(2).toInstant()).toMillis() / 1000.0);
            double startS = db.jdbc().queryForObject("SELECT (SELECT START_TIME FROM BATCH_STEP_EXECUTION WHERE "
                    + "STEP_NAME = 'registerPending'), (SELECT MIN(answered_at) FROM registration_request)",
                    (rs, n) -> Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())
                            .toMillis() / 1000.0);
            if (Boolean.getBoolean("benchmark.timeline")) {
                db.jdbc().queryForList("SELECT STEP_NAME, START_TIME, END_TIME FROM BATCH_STEP_EXECUTION ORDER BY START_TIME")
                        .forEach(r -> System.out.println("TIMELINE step " + r));
                System.out.println("TIMELINE requests " + db.jdbc().queryForMap("SELECT MIN(sent_at) AS first_sent, "
                        + "MAX(sent_at) AS last_sent, MIN(answered_at) AS first_answered, MAX(answered_at) AS last_answered, "
                        + "COUNT(*) AS n FROM registration_request"));
            }
            return new Row(name, kind.name(), concurrency, latencyMs, perRequest, devices, registerS, wholeS, startS, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run whose registration time is the median of {@code runs}. */
    private static Row median(int runs, Supplier<Row> measure) {
        List<Row> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(measure.get());
        }
        all.sort((a, b) -> Double.compare(a.registerS(), b.registerS()));
        return all.get(all.size() / 2);
    }

    private static double medianOf(int runs, DoubleSupplier measure) {
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(measure.getAsDouble());
        }
        Collections.sort(all);
        return all.get(all.size() / 2);
    }

    /** Single-row INSERT + COMMIT, one connection, for two seconds: the durable commits one claimer can make. */
    private static double commitsPerSecond(String url, String user) {
        try (Connection c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, "")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_commit");
                s.execute("CREATE TABLE bench_commit (id BIGINT PRIMARY KEY, v VARCHAR(40))");
                if (user == null) {
                    s.execute("SET synchronous_commit = on");
                }
            }
            c.setAutoCommit(false);
            long n = 0;
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_commit VALUES (?, 'x')")) {
                while (System.nanoTime() < end) {
                    insert.setLong(1, ++n);
                    insert.executeUpdate();
                    c.commit();
                }
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE bench_commit");
            }
            c.commit();
            return rate;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String render(List<Row> rows, int runs, double load, double h2Commits, double pgCommits, Row naive) {
        StringBuilder out = new StringBuilder();
        Runtime rt = Runtime.getRuntime();
        long memoryMb = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        out.append(String.format(Locale.ROOT, "Measured %s on %d cores, %,d MB of memory, load average %.1f at the start; "
                + "medians of %d runs (Java %s).%n%n", LocalDate.now(), rt.availableProcessors(), memoryMb, load, runs,
                System.getProperty("java.version")));
        out.append("```\n");
        out.append(String.format(Locale.ROOT, "%-38s %-9s %4s %7s %7s %7s %10s %11s %8s %9s %11s  %s%n", "configuration",
                "database", "conc", "latency", "per_req", "devices", "register_s", "register/s", "start_s", "whole_s",
                "x_naive", "target"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-38s %-9s %4d %5dms %7d %7d %10.2f %11.0f %8.2f %9.2f %11.0f  %s%n",
                    r.name(), r.database(), r.concurrency(), r.latencyMs(), r.perRequest(), r.devices(), r.registerS(),
                    r.registerRate(), r.startS(), r.wholeS(), r.wholeRate() / naive.wholeRate(), r.target()));
        }
        out.append("```\n\n");
        out.append(String.format(Locale.ROOT, "Durable commits of one connection (single-row INSERT + COMMIT, 2 s): H2 file "
                + "(WRITE_DELAY=0) %,.0f/s; PostgreSQL (synchronous_commit on) %s.%n", h2Commits,
                Double.isNaN(pgCommits) ? "not measured" : String.format(Locale.ROOT, "%,.0f/s", pgCommits)));
        out.append(String.format(Locale.ROOT, "Each request costs one commit on the way (its credentials, with the claim "
                + "of the next request), and a partition's first claim one more: at 50 devices per request one "
                + "connection's commit rate allows H2 %,.0f and PostgreSQL %s devices/s, if commits were all that ran, "
                + "and without several connections' commits grouped. start_s: from the registration step's start to its "
                + "first answer stored (partitions starting, the first requests on cold paths).%n", h2Commits * 50,
                Double.isNaN(pgCommits) ? "-" : String.format(Locale.ROOT, "%,.0f", pgCommits * 50)));
        return out.toString();
    }

    private static void writeIntoDoc(String figures) throws IOException {
        if (!Files.exists(DOC)) {
            return;
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int from = doc.indexOf(START);
        int to = doc.indexOf(END);
        if (from < 0 || to < from) {
            System.out.println("docs/benchmarks.md has no figures markers: not written");
            return;
        }
        Files.writeString(DOC, doc.substring(0, from + START.length()) + "\n" + figures + doc.substring(to),
                StandardCharsets.UTF_8);
    }
}
