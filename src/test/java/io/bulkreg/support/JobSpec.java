package io.bulkreg.support;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fixture of every end-to-end spec: a database of its own (H2 or PostgreSQL: see {@link OnEveryDatabase}),
 * a sandbox platform, a folder for lot files, and runs of the real command line against them.
 */
public abstract class JobSpec extends DatabaseSpec {

    @TempDir
    protected Path dir;

    protected TestDatabase db;
    protected McsSandbox sandbox;
    protected SandboxSettings settings;

    /** The sandbox's settings for this spec; override to arm product rules. */
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0);
    }

    @BeforeEach
    void startPlatformAndDatabase() {
        if (db != null) {
            return;   // shared by the spec's tests (see sharedByEveryTest)
        }
        db = startsFromAnEmptyDatabase() ? TestDatabase.create(database()) : TestDatabase.create(database()).migrated();
        settings = sandboxSettings();
        sandbox = McsSandbox.start(settings);
    }

    /**
     * Whether the spec's first run finds an empty database and migrates it. Every other spec's database is already
     * migrated ({@link TestDatabase#migrated}: a copy of one migrated per test JVM), as after a first run, so that
     * its runs only validate it: Flyway migrating an empty database cost a second a test.
     */
    protected boolean startsFromAnEmptyDatabase() {
        return false;
    }

    @AfterEach
    void stopAfterTheTest() {
        if (!sharedByEveryTest()) {
            stopPlatformAndDatabase();
        }
    }

    /**
     * A spec with {@code @TestInstance(PER_CLASS)} keeps one database, sandbox and folder for all its tests (on each
     * database): its tests read what one set-up left behind, and it stops them itself
     * ({@code @AfterParameterizedClassInvocation}). Every other spec starts afresh for each test.
     */
    private boolean sharedByEveryTest() {
        TestInstance lifecycle = getClass().getAnnotation(TestInstance.class);
        return lifecycle != null && lifecycle.value() == TestInstance.Lifecycle.PER_CLASS;
    }

    protected void stopPlatformAndDatabase() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }

    /** Properties of a run against this spec's database and sandbox, then {@code extra} as key, value pairs. */
    protected Map<String, Object> properties(Object... extra) {
        Map<String, Object> p = new HashMap<>(db.properties());
        p.putAll(SandboxPlatform.properties(sandbox, settings));
        p.put("bulkreg.lots.inbox", dir.toString());
        p.put("bulkreg.lots.settle-time", "0s");   // files written by a test are complete at once
        p.put("bulkreg.faults.rescue-dir", dir.resolve("rescue").toString());
        p.put("bulkreg.reports.dir", dir.resolve("reports").toString());   // not the working tree's data/reports
        // One request in flight: these specs arm faults for "the next n POSTs" and count requests in order; the
        // concurrent behaviour has specs of its own (ConcurrentRegistrationSpec, ThrottlingSpec) that set it
        p.put("bulkreg.concurrency", "1");
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    protected CliRun.Result run(Map<String, Object> properties, String... args) {
        return CliRun.run(properties, args);
    }

    /** The run report's JSON, from the path its last line gives ("Run report: PATH.html (and .json beside it)"). */
    protected static Path reportJson(CliRun.Result run) {
        Matcher path = Pattern.compile("Run report: (\\S+)\\.html").matcher(run.output());
        if (!path.find()) {
            throw new AssertionError("no run report in: " + run.output());
        }
        return Path.of(path.group(1) + ".json");
    }

    protected JdbcTemplate jdbc() {
        return db.jdbc();
    }

    protected long count(String sql, Object... args) {
        return jdbc().queryForObject(sql, Long.class, args);
    }

    protected long devices(String status) {
        return count("SELECT COUNT(*) FROM device_registration WHERE status = ?", status);
    }

    protected long skips(String kind) {
        return count("SELECT COUNT(*) FROM registration_skip WHERE kind = ?", kind);
    }
}
