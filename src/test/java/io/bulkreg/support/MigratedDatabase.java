package io.bulkreg.support;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * An in-memory H2 database of its own with bulkreg's migrations applied, without Spring: what the fast
 * specifications of the state changes run against, in milliseconds instead of a Spring context per run.
 */
public final class MigratedDatabase implements AutoCloseable {

    private final SingleConnectionDataSource dataSource;

    private MigratedDatabase(SingleConnectionDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static MigratedDatabase create() {
        String url = "jdbc:h2:mem:m" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true);
        dataSource.setAutoCommit(true);
        MigratedTemplates.copyH2Into(new JdbcTemplate(dataSource));   // as Flyway's migrations leave it
        return new MigratedDatabase(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection per use on the same database: for work in several threads at once, each in its own transactions. */
    public DataSource connectionPerUse() {
        return new DriverManagerDataSource(dataSource.getUrl(), "sa", "");
    }

    public JdbcClient jdbcClient() {
        return JdbcClient.create(dataSource);
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    public PlatformTransactionManager transactionManager() {
        return new DataSourceTransactionManager(dataSource);
    }

    public long count(String sql, Object... args) {
        return jdbc().queryForObject(sql, Long.class, args);
    }

    @Override
    public void close() {
        jdbc().execute("SHUTDOWN");
        dataSource.destroy();
    }
}
