package io.bulkreg;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * bulkreg relies on every commit surviving a crash: the IN_FLIGHT mark before a request, the credentials before
 * the next one. An embedded H2 database writes commits to its file up to 500 ms later by default (WRITE_DELAY),
 * so a killed process loses them: devices the platform registered came back PENDING, were resent and refused,
 * and their keys were lost (found by the crash test). On H2, unless the URL sets WRITE_DELAY itself, every
 * commit is written at once. The setting must be on the URL: H2 does not keep a SET WRITE_DELAY across opens.
 * Likewise H2 closes the database from a JVM shutdown hook of its own, under a job that GracefulStop is still
 * letting finish its request: DB_CLOSE_ON_EXIT=FALSE leaves the closing to the application.
 */
@Component
class DurableH2Commits implements BeanPostProcessor {

    static final String WRITE_DELAY = ";WRITE_DELAY=0";
    static final String CLOSE_ON_EXIT = ";DB_CLOSE_ON_EXIT=FALSE";
    /**
     * No {@code .trace.db} beside the database: H2 writes failed statements there with their values (a too-long
     * value is quoted in the message), in a file created with the default mode, after bulkreg made the others
     * owner-only. The errors reach bulkreg's log through the driver anyway.
     */
    static final String NO_TRACE_FILE = ";TRACE_LEVEL_FILE=0";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null) {
            ds.setJdbcUrl(durable(ds.getJdbcUrl()));
        }
        return bean;
    }

    static String durable(String url) {
        String u = url.toUpperCase(Locale.ROOT);
        if (!u.startsWith("JDBC:H2:") || u.startsWith("JDBC:H2:MEM:") || u.startsWith("JDBC:H2:TCP:")) {
            return url;
        }
        return url + (u.contains(";WRITE_DELAY=") ? "" : WRITE_DELAY) + (u.contains(";DB_CLOSE_ON_EXIT=") ? "" : CLOSE_ON_EXIT)
                + (u.contains(";TRACE_LEVEL_FILE=") ? "" : NO_TRACE_FILE);
    }
}
