package io.bulkreg.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database of its own for one test: a named in-memory H2 database, or a fresh schema in the PostgreSQL
 * database that {@value #POSTGRES_URL_VARIABLE} names. Several runs of the job (each a Spring context, like
 * separate processes) share it, and the test reads it back with {@link #jdbc()}.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String POSTGRES_URL_VARIABLE = "BULKREG_TEST_POSTGRES_URL";

    public enum Kind {
        H2, POSTGRES
    }

    private static volatile boolean warned;

    private final Kind kind;
    private final String url;
    private final String schema;
    private final SingleConnectionDataSource dataSource;

    private TestDatabase(Kind kind, String url, String schema) {
        this.kind = kind;
        this.url = url;
        this.schema = schema;
        this.dataSource = new SingleConnectionDataSource(url, user(kind), "", true);
    }

    public static TestDatabase create(Kind kind) {
        if (kind == Kind.H2) {
            return new TestDatabase(kind, "jdbc:h2:mem:" + freshName("t") + ";DB_CLOSE_DELAY=-1", null);
        }
        return createIn(postgresUrlOrSkip(), "t");
    }

    /**
     * A fresh schema in another database of the PostgreSQL server of {@value #POSTGRES_URL_VARIABLE} (one a test
     * created, to cut it off without touching the connections of the shared one).
     */
    public static TestDatabase createInPostgresDatabase(String database) {
        return createIn(withDatabase(postgresUrlOrSkip(), database), "t");
    }

    /** A fresh schema, named {@code prefix} and a random part, in the PostgreSQL database of {@code databaseUrl}. */
    static TestDatabase createIn(String databaseUrl, String prefix) {
        String name = freshName(prefix);
        return new TestDatabase(Kind.POSTGRES, databaseUrl + (databaseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name, name);
    }

    private static String freshName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** The URL with another database name: jdbc:postgresql://host:port/NAME?params. */
    public static String withDatabase(String postgresUrl, String database) {
        int query = postgresUrl.indexOf('?') < 0 ? postgresUrl.length() : postgresUrl.indexOf('?');
        int slash = postgresUrl.lastIndexOf('/', query);
        return postgresUrl.substring(0, slash + 1) + database + postgresUrl.substring(query);
    }

    /** Skips a PostgreSQL test where no server is configured; fails it where one is configured but does not answer. */
    public static String postgresUrlOrSkip() {
        String base = System.getenv(POSTGRES_URL_VARIABLE);
        if ((base == null || base.isBlank()) && !warned) {
            warned = true;   // once per test JVM, on the console, not only in the reports
            System.err.println("PostgreSQL tests are skipped: " + POSTGRES_URL_VARIABLE + " is not set (bash .ci/run sets it)");
        }
        Assumptions.assumeTrue(base != null && !base.isBlank(), "PostgreSQL tests skipped: " + POSTGRES_URL_VARIABLE
                + " is not set. Run them with " + POSTGRES_URL_VARIABLE
                + "=jdbc:postgresql://127.0.0.1:5432/test?user=postgres ./mvnw verify (bash .ci/run sets it).");
        try (Connection c = DriverManager.getConnection(base)) {
            return base;
        } catch (SQLException e) {
            // Set but not answering is a broken test set-up, not a reason to skip: CI must not go green untested.
            throw new IllegalStateException(POSTGRES_URL_VARIABLE + " is set, but no PostgreSQL answers at " + base + " ("
                    + e.getMessage() + "). Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main "
                    + "start, or unset the variable to skip the PostgreSQL tests", e);
        }
    }

    /**
     * Applies bulkreg's migrations here without Spring: the state a first run leaves (every migration applied and
     * recorded in Flyway's history), for the fast specifications of the state changes and for the end-to-end specs
     * whose runs need not start from an empty database. Flyway migrates one template per test JVM (and PostgreSQL
     * database); each database is then a copy of it ({@link MigratedTemplates}), so that the runs of the job only
     * validate it, as on every night after the first.
     */
    public TestDatabase migrated() {
        if (hasFlywayHistory()) {
            return migratedByFlyway();   // migrated already (by a run, or before): Flyway applies what is missing, if anything
        }
        if (kind == Kind.H2) {
            MigratedTemplates.copyH2Into(jdbc());
        } else {
            MigratedTemplates.copyPostgresInto(url.substring(0, url.lastIndexOf("currentSchema=") - 1), schema, jdbc());
        }
        return this;
    }

    private boolean hasFlywayHistory() {
        return jdbc().queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE LOWER(table_name) = 'flyway_schema_history' AND table_schema = CURRENT_SCHEMA", Long.class) > 0;
    }

    /** Applies bulkreg's migrations here with Flyway, as a first run of the job does. */
    TestDatabase migratedByFlyway() {
        return migratedByFlywayUpTo(null);
    }

    /** Applies bulkreg's migrations up to {@code version} (all if null), as an older bulkreg left the database. */
    public TestDatabase migratedByFlywayUpTo(String version) {
        var flyway = Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + (kind == Kind.H2 ? "h2" : "postgresql"));
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        if (version != null) {
            flyway.target(version);
        }
        flyway.load().migrate();
        return this;
    }

    /** Spring properties that point a run of the job at this database. */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", user(kind));
        p.put("spring.datasource.password", "");
        if (schema != null) {
            p.put("spring.flyway.schemas", schema);
            p.put("spring.flyway.default-schema", schema);
        }
        return p;
    }

    /** H2 remembers the user that created the database; PostgreSQL's comes from the URL. */
    private static String user(Kind kind) {
        return kind == Kind.H2 ? "sa" : "";
    }

    public Kind kind() {
        return kind;
    }

    public String schema() {
        return schema;
    }

    public String url() {
        return url;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection per use on the same database: for work in several threads at once, each in its own transactions. */
    public DataSource connectionPerUse() {
        return new DriverManagerDataSource(url, user(kind), "");
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    /** Closes the connection and leaves the database as it is (a template others are copied from). */
    void releaseConnection() {
        dataSource.destroy();
    }

    @Override
    public void close() {
        try {
            if (kind == Kind.POSTGRES) {
                jdbc().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } else {
                jdbc().execute("SHUTDOWN");
            }
        } finally {
            dataSource.destroy();
        }
    }
}
