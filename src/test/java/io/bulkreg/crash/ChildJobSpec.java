package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.DatabaseSpec;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the specs that run the packaged job as a process of its own: a folder under target/ for the
 * lot and the logs, a database the process and the test share, a sandbox in the test JVM (it outlives the
 * process). Each concrete spec runs once per database ({@link OnEveryDatabase}).
 */
abstract class ChildJobSpec extends DatabaseSpec {

    Path dir;
    ChildDatabase db;
    McsSandbox sandbox;
    SandboxSettings settings;

    /** The folder under target/ of this spec. */
    abstract String name();

    abstract Duration latency();

    @BeforeEach
    void startPlatformAndDatabase() throws IOException {
        if (database() == TestDatabase.Kind.POSTGRES) {
            TestDatabase.postgresUrlOrSkip();   // skipped before anything is set up, so tear-down has nothing to undo
        }
        assertThat(JobProcess.JAR).as("the IT runs the packaged job: run it with ./mvnw verify").isRegularFile();
        dir = Path.of("target", name(), database().name().toLowerCase()).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(dir);
        db = childDatabase();
        settings = SandboxSettings.defaults().withPort(0).withLatency(latency());
        sandbox = McsSandbox.start(settings);
    }

    @AfterEach
    void stopPlatformAndDatabase() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The database the child writes to: by default a fresh one of {@link #database()}'s kind (H2 under dir). */
    ChildDatabase childDatabase() {
        return ChildDatabase.of(database(), dir.resolve("db"));
    }

    /** Requests in flight at once in the packaged job: its default unless a spec needs another. */
    int concurrency() {
        return 8;
    }

    /** Starts the packaged job with these arguments, 10 devices per request, its output in {@code log}. */
    Process job(String log, String... args) throws IOException {
        return job(log, Map.of(), args);
    }

    /** ... with these environment variables besides. */
    Process job(String log, Map<String, String> environment, String... args) throws IOException {
        ProcessBuilder builder = JobProcess.builder(dir, db, sandbox, settings, Map.of("bulkreg.mcs.devices-per-request", 10,
                "bulkreg.concurrency", concurrency()), dir.resolve(log).toFile(), args);
        builder.environment().putAll(environment);
        return builder.start();
    }

    int count(String sql) {
        Integer n = db.read(j -> j.queryForObject(sql, Integer.class));
        return n;
    }
}
