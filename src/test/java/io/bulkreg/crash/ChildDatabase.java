package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The database a job started as a separate process writes to, and that the test reads back once no such
 * process runs. H2 is a file database (an embedded in-memory one would die with the process); PostgreSQL is
 * a fresh schema of {@link TestDatabase}.
 */
abstract class ChildDatabase implements AutoCloseable {

    /** Spring properties of the child, as environment variables (never on its command line). */
    abstract Map<String, String> environment();

    /** Reads the database; only while no child process runs (an H2 file is opened by one process at a time). */
    abstract <T> T read(Function<JdbcTemplate, T> query);

    @Override
    public abstract void close();

    /** Applies bulkreg's migrations, as a first run would: for rows an upstream system inserts before any run. */
    void migrate() {
        throw new UnsupportedOperationException("migrate() is for the PostgreSQL child database");
    }

    static ChildDatabase of(TestDatabase.Kind kind, Path dir) {
        return kind == TestDatabase.Kind.H2 ? new H2File(dir) : new Postgres(TestDatabase.create(kind));
    }

    /** A child database in this PostgreSQL test database (a spec that cuts a database off needs one of its own). */
    static ChildDatabase of(TestDatabase postgres) {
        return new Postgres(postgres);
    }

    static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
    }

    /** The product's default kind of H2 URL (application.yml), on a file of its own under target/. */
    private static final class H2File extends ChildDatabase {
        private final String url;

        H2File(Path dir) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("bulkreg") + ";FILE_LOCK=FS";
        }

        @Override
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SPRING_DATASOURCE_URL", url);
            env.put("SPRING_DATASOURCE_USERNAME", "sa");
            env.put("SPRING_DATASOURCE_PASSWORD", "");
            return env;
        }

        @Override
        <T> T read(Function<JdbcTemplate, T> query) {
            // A connection of its own, closed at once: H2 closes the file with its last connection.
            SingleConnectionDataSource ds = new SingleConnectionDataSource(url, "sa", "", true);
            try {
                return query.apply(new JdbcTemplate(ds));
            } finally {
                ds.destroy();
            }
        }

        @Override
        public void close() {
            // The files stay under target/ for diagnosis; the next build cleans them.
        }
    }

    private static final class Postgres extends ChildDatabase {
        private final TestDatabase db;

        Postgres(TestDatabase db) {
            this.db = db;
        }

        @Override
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            db.properties().forEach((k, v) -> env.put(variable(k), String.valueOf(v)));
            return env;
        }

        @Override
        <T> T read(Function<JdbcTemplate, T> query) {
            return query.apply(db.jdbc());
        }

        @Override
        void migrate() {
            db.migrated();
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
