package io.bulkreg.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Databases in the state a first run leaves, without Flyway's cost per database: Flyway migrates one template per test
 * JVM (per PostgreSQL database), and each new database is a copy of it. On H2 the copy is the template's own
 * {@code SCRIPT} (tables, views, indexes and Flyway's history, row for row); on PostgreSQL it is the SQL of the
 * migrations the template's history lists, in its order, run in the new schema, followed by that history. A run of
 * the job on the copy then finds every migration applied and validates their checksums, as on every night after the
 * first; the first run of all, migrating an empty database, stays covered by the specs and ITs that start from one
 * ({@link TestDatabase#create} alone, the packaged jar in {@code io.bulkreg.crash}).
 */
final class MigratedTemplates {

    private static volatile Path h2Script;
    /** Template schema by PostgreSQL database URL (without currentSchema). */
    private static final Map<String, String> POSTGRES_TEMPLATES = new ConcurrentHashMap<>();
    private static volatile String postgresMigrations;

    private MigratedTemplates() {
    }

    /** Copies the migrated template into the empty H2 database {@code target} reaches. */
    static void copyH2Into(JdbcTemplate target) {
        target.execute("RUNSCRIPT FROM '" + h2Script() + "'");
        // SCRIPT writes a view before a table created after it (one a later migration rebuilt): RUNSCRIPT then creates
        // the view FORCE, broken (no columns: "Column LOT_ID not found"), until it is recompiled.
        for (String view : target.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.VIEWS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC'", String.class)) {
            target.execute("ALTER VIEW \"" + view + "\" RECOMPILE");
        }
    }

    private static Path h2Script() {
        Path script = h2Script;
        if (script == null) {
            synchronized (MigratedTemplates.class) {
                if (h2Script == null) {
                    try (TestDatabase template = TestDatabase.create(TestDatabase.Kind.H2).migratedByFlyway()) {
                        Path file = Files.createTempFile("bulkreg-migrated-h2-", ".sql");
                        file.toFile().deleteOnExit();
                        template.jdbc().execute("SCRIPT TO '" + file + "'");
                        h2Script = file;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                script = h2Script;
            }
        }
        return script;
    }

    /**
     * Creates {@code schema} in the PostgreSQL database of {@code databaseUrl} (which {@code target} reaches, with
     * {@code schema} as its current schema) as a copy of the migrated template of that database.
     */
    static void copyPostgresInto(String databaseUrl, String schema, JdbcTemplate target) {
        String template = POSTGRES_TEMPLATES.computeIfAbsent(databaseUrl, MigratedTemplates::migratePostgresTemplate);
        String migrations = postgresMigrations(databaseUrl, template);
        target.execute((Connection c) -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("SET LOCAL search_path TO " + schema);
                s.execute(migrations);
                s.execute("CREATE TABLE " + schema + ".flyway_schema_history (LIKE " + template
                        + ".flyway_schema_history INCLUDING ALL)");
                s.execute("INSERT INTO " + schema + ".flyway_schema_history SELECT * FROM " + template
                        + ".flyway_schema_history");
                // The row of the schema Flyway created names it
                s.execute("UPDATE " + schema + ".flyway_schema_history SET script = replace(script, '" + template + "', '"
                        + schema + "') WHERE type = 'SCHEMA'");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private static String migratePostgresTemplate(String databaseUrl) {
        TestDatabase template = TestDatabase.createIn(databaseUrl, "tpl").migratedByFlyway();
        String schema = template.schema();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                // the database itself may be gone (a spec created and dropped it)
            }
        }));
        template.releaseConnection();
        return schema;
    }

    /** The SQL of the migrations the template's history lists, in its order (the same in every database). */
    private static String postgresMigrations(String databaseUrl, String template) {
        String sql = postgresMigrations;
        if (sql == null) {
            List<String> scripts = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT script FROM " + template + ".flyway_schema_history"
                            + " WHERE type = 'SQL' AND success ORDER BY installed_rank")) {
                while (rows.next()) {
                    scripts.add(rows.getString(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            sql = scripts.stream().map(MigratedTemplates::migration).collect(Collectors.joining(";\n"));
            postgresMigrations = sql;
        }
        return sql;
    }

    private static String migration(String script) {
        for (String folder : List.of("db/migration/common/", "db/migration/postgresql/")) {
            try (InputStream in = MigratedTemplates.class.getClassLoader().getResourceAsStream(folder + script)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no migration " + script + " on the classpath");
    }
}
