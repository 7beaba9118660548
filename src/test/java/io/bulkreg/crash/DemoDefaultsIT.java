package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged job as an operator first meets it: in a folder that holds the sample lots, with nothing configured
 * it runs the demo against the built-in sandbox; with a database of its own but the platform address missing (a typo
 * in a variable's name) it refuses, instead of storing the sandbox's made-up keys as credentials.
 */
class DemoDefaultsIT {

    private Path dir;

    @BeforeEach
    void aFolderWithTheSampleLots() throws IOException {
        assertThat(JobProcess.JAR).as("the IT runs the packaged job: run it with ./mvnw verify").isRegularFile();
        dir = Path.of("target", "demo-defaults-it").toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(dir.resolve("jobs/samples"));
        Files.copy(Path.of("jobs/samples/LOT-2026-11-A.csv"), dir.resolve("jobs/samples/LOT-2026-11-A.csv"));
        // As in the checkout: the marker says the sample is complete (a fresh copy is younger than settle-time).
        Files.copy(Path.of("jobs/samples/LOT-2026-11-A.csv.ready"), dir.resolve("jobs/samples/LOT-2026-11-A.csv.ready"));
    }

    private int runJob(String log, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JobProcess.JAR.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("BULKREG_") || k.startsWith("SPRING_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void givenNothingConfigured_whenTheJobRuns_thenItIsTheDemoAgainstTheBuiltInSandboxAndSaysSo() throws Exception {
        int exit = runJob("demo.log", Map.of());

        String output = Files.readString(dir.resolve("demo.log"));
        assertThat(exit).as(output).isEqualTo(ExitCodes.OK);
        assertThat(output).contains("Demo: taking the sample lots of jobs/samples",
                "Platform: none configured (BULKREG_MCS_BASE_URL), so the demo uses the built-in sandbox",
                "This run: 26 registered, 1 rejected by the platform", "nothing went to a real platform");
        assertThat(dir.resolve("data")).isDirectory();
    }

    @Test
    void givenADatabaseOfItsOwnAndNoPlatformAddress_whenTheJobRuns_thenItRefusesWithExitCode2AndRegistersNothing()
            throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("prod-db/bulkreg") + ";FILE_LOCK=FS";

        int exit = runJob("no-platform.log", Map.of("SPRING_DATASOURCE_URL", url,
                "SPRING_DATASOURCE_USERNAME", "sa", "BULKREG_MSC_BASE_URL", "https://mcs.example.com"));

        String output = Files.readString(dir.resolve("no-platform.log"));
        assertThat(exit).as(output).isEqualTo(ExitCodes.USAGE);
        assertThat(output).contains("No platform address is configured: set BULKREG_MCS_BASE_URL",
                "Nothing was imported or sent.").doesNotContain("Exception");
        assertThat(rows(url, "SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(rows(url, "SELECT COUNT(*) FROM registration_request")).isZero();
    }

    @Test
    void givenTheDefaultDatabaseButAnInboxOfItsOwnAndNoPlatformAddress_whenTheJobRuns_thenItIsNotTheDemoAndRefuses()
            throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.copy(Path.of("jobs/samples/LOT-2026-11-A.csv"), inbox.resolve("LOT-2026-11-A.csv"));

        int exit = runJob("own-inbox.log", Map.of("BULKREG_LOTS_INBOX", inbox.toString()));

        String output = Files.readString(dir.resolve("own-inbox.log"));
        assertThat(exit).as(output).isEqualTo(ExitCodes.USAGE);
        assertThat(output).contains("No platform address is configured").doesNotContain("built-in sandbox at");
    }

    private static long rows(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
