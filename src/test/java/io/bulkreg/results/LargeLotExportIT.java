package io.bulkreg.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lot far larger than the export's heap, exported by the packaged job as the flashing station gets it: every
 * credential is written as it is read from the database, none held for the whole lot (a lot of a million devices is
 * a factory's night). The JVM gets a heap that the lot's credentials, held at once, would overflow several times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeLotExportIT {

    static final int DEVICES = 200_000;
    /** About 90 MB would hold the lot's credentials as objects at once (about 450 bytes each); the job's own needs fit. */
    static final String HEAP = "-Xmx48m";
    static final String LOT = "LOT-BIG";
    /** For what is not about size: a write error on standard output. */
    static final String SMALL_LOT = "LOT-SMALL";

    private Path dir;

    @BeforeAll
    void aDatabaseHoldingALargeRegisteredLot() throws Exception {
        assertThat(Path.of("target", "bulkreg.jar")).as("the IT runs the packaged job: run it with ./mvnw verify").isRegularFile();
        dir = Path.of("target", "large-lot-export-it").toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(dir);
        // The job's default database (./data/bulkreg) with the job's own migrations; the lots are then written into it.
        String url = "jdbc:h2:file:" + dir.resolve("data/bulkreg") + ";FILE_LOCK=FS";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, device_id, "
                    + "device_key, registered_at) SELECT '" + LOT + "', 'prod-a', 'Unit ' || X, FALSE, 'S' || X, "
                    + "'REGISTERED', 'dev-' || X, 'key-0123456789abcdefghijklmnopqrstuvwxyz-' || X, CURRENT_TIMESTAMP "
                    + "FROM SYSTEM_RANGE(1, " + DEVICES + ")");
            s.executeUpdate("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status, device_id, "
                    + "device_key, registered_at) SELECT '" + SMALL_LOT + "', 'prod-b', 'Unit ' || X, FALSE, 'S' || X, "
                    + "'REGISTERED', 'dev-b' || X, 'key-b' || X, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 3)");
            s.execute("SHUTDOWN");
        }
    }

    private int job(String log, String... args) throws IOException, InterruptedException {
        return job(dir.resolve(log).toFile(), dir.resolve(log).toFile(), args);
    }

    /** The packaged job with a small heap, its standard output and error where asked. */
    private int job(File out, File err, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                        Path.of("target", "bulkreg.jar").toAbsolutePath().toString()), Stream.of(args)).toList())
                .directory(dir.toFile());
        if (out.equals(err)) {
            builder.redirectErrorStream(true).redirectOutput(out);
        } else {
            builder.redirectOutput(out).redirectError(err);
        }
        builder.environment().keySet().removeIf(k -> k.startsWith("BULKREG_") || k.startsWith("SPRING_"));
        Process process = builder.start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(args[0] + " ended").isTrue();
        return process.exitValue();
    }

    @Test
    void givenALotLargerThanTheHeap_whenExportedAsCsv_thenEveryCredentialIsWritten() throws Exception {
        int exit = job("export-csv.log", "export", "--lot", LOT, "--output", "big.csv");

        String output = Files.readString(dir.resolve("export-csv.log"));
        assertThat(exit).as(output).isEqualTo(ExitCodes.OK);
        assertThat(output).contains(DEVICES + " credentials of lot " + LOT + " written to big.csv");
        try (BufferedReader lines = Files.newBufferedReader(dir.resolve("big.csv"))) {
            assertThat(lines.readLine()).isEqualTo("prodId,serial,name,deviceId,deviceKey,chipName,platform");
            assertThat(lines.readLine()).isEqualTo("prod-a,S1,Unit 1,dev-1,key-0123456789abcdefghijklmnopqrstuvwxyz-1,,");
            List<String> rest = lines.lines().skip(DEVICES - 3).toList();
            assertThat(rest).as("the last line is the last credential, whole").containsExactly(
                    "prod-a,S" + (DEVICES - 1) + ",Unit " + (DEVICES - 1) + ",dev-" + (DEVICES - 1)
                            + ",key-0123456789abcdefghijklmnopqrstuvwxyz-" + (DEVICES - 1) + ",,",
                    "prod-a,S" + DEVICES + ",Unit " + DEVICES + ",dev-" + DEVICES
                            + ",key-0123456789abcdefghijklmnopqrstuvwxyz-" + DEVICES + ",,");
        }
    }

    @Test
    void givenALotLargerThanTheHeap_whenExportedAsJson_thenEveryCredentialIsAnElementOfOneArray() throws Exception {
        int exit = job("export-json.log", "export", "--lot", LOT, "--format", "json", "--output", "big.json");

        String output = Files.readString(dir.resolve("export-json.log"));
        assertThat(exit).as(output).isEqualTo(ExitCodes.OK);
        long elements = 0;
        try (JsonParser json = JsonMapper.builder().build().createParser(dir.resolve("big.json").toFile())) {
            assertThat(json.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_OBJECT) {
                json.skipChildren();
                elements++;
            }
            assertThat(json.currentToken()).isEqualTo(JsonToken.END_ARRAY);
        }
        assertThat(elements).isEqualTo(DEVICES);
    }

    @Test
    void givenStandardOutputOnAFullDevice_whenExported_thenItFailsSayingSo() throws Exception {
        File log = dir.resolve("export-full.log").toFile();

        int exit = job(new File("/dev/full"), log, "export", "--lot", SMALL_LOT);

        String said = Files.readString(log.toPath());
        assertThat(exit).as(said).isEqualTo(ExitCodes.FAILED);
        assertThat(said).contains("the credentials could not all be written to standard output");
    }
}
