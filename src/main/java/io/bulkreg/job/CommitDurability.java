package io.bulkreg.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether a commit survives a power cut. The write-ahead protocol is only as good as its commits: a claim undone
 * sends a device twice, a store undone loses its key. PostgreSQL says so in its settings; H2 writes each commit to
 * the operating system's cache without syncing it, so it is for the demo and rehearsals, not for production.
 */
@Component
public class CommitDurability {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public CommitDurability(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** What makes this database's commits not durable; empty when they are (as far as the database can tell). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!product().contains("postgresql")) {
            return problems;
        }
        if ("off".equals(setting("fsync"))) {
            problems.add("PostgreSQL runs with fsync=off: a crash of the server can lose or corrupt any commit");
        }
        if ("off".equals(setting("synchronous_commit"))) {
            problems.add("PostgreSQL runs with synchronous_commit=off: a crash of the server loses the last commits "
                    + "(a claim or a stored key)");
        }
        return problems;
    }

    /** A file-backed H2 database: commits reach the operating system, not the disk. */
    public boolean isEmbeddedH2File() {
        String url = url().toLowerCase(Locale.ROOT);
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    private String setting(String name) {
        return jdbc.queryForObject("SHOW " + name, String.class).toLowerCase(Locale.ROOT);
    }

    private String product() {
        return metadata(true);
    }

    private String url() {
        return metadata(false);
    }

    private String metadata(boolean product) {
        try (Connection c = dataSource.getConnection()) {
            String value = product ? c.getMetaData().getDatabaseProductName() : c.getMetaData().getURL();
            return value == null ? "" : product ? value.toLowerCase(Locale.ROOT) : value;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's metadata: " + e.getMessage(), e);
        }
    }
}
