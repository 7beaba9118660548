package io.bulkreg.device;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which database the job's tables are on, where a statement or a strategy differs between H2 and PostgreSQL. */
public final class DatabaseProduct {

    private DatabaseProduct() {
    }

    /** Asks the driver (one connection borrowed): callers that ask often keep the answer. */
    public static boolean isPostgreSql(JdbcTemplate jdbc) {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) c -> "PostgreSQL".equals(
                c.getMetaData().getDatabaseProductName())));
    }
}
